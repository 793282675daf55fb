"""The reports view (Ctrl+4): run in the background, tables and chart, drill-down, exports,
print preview with the PDF's pages, the monthly pack, and list output from the customer list."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from desktop_crm.core import i18n
from desktop_crm.core.exporting.pdf import write_report_pdf
from desktop_crm.core.reporting.builders.params import ReportParams
from desktop_crm.ui.reports.list_output import customer_list_output
from desktop_crm.ui.reports.pack_dialog import PackDialog
from desktop_crm.ui.reports.print_layout import layout_pages, paint_pages
from desktop_crm.ui.reports.view import ReportsView
from desktop_crm.ui.tasks import wait_idle
from tests.core import report_world
from tests.ui.customer_helpers import FakeNav, desk  # noqa: F401


class Nav(FakeNav):
    def __init__(self) -> None:
        super().__init__()
        self.filters: list[dict] = []

    def customers_with_filter(self, fields: dict) -> None:
        self.filters.append(fields)


@pytest.fixture
def world(team):  # noqa: ANN001, ANN201
    report_world.build(team)
    return team


def _run(qtbot, view: ReportsView, key: str, **kw) -> None:  # noqa: ANN001
    view.set_report(key, ReportParams(*report_world.PERIOD, kw.pop("scope", "all"), **kw))
    qtbot.mouseClick(view.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.report is not None and view.report.key == key, timeout=20000)


def test_run_show_and_drill_down(qtbot, world):  # noqa: ANN001
    nav = Nav()
    view = ReportsView(world["manager"], nav)
    qtbot.addWidget(view)
    _run(qtbot, view, "composition", by="status")
    assert view.tabs.count() == 1 and view.chart.chart is not None
    model = view.models[0]
    assert model.rowCount() == len(view.report.main.rows) + 1
    active = next(r for r in range(model.rowCount() - 1) if model.text(r, 0) == "Active")
    assert view.drill(model, active)
    assert nav.filters[-1] == {"status": ["active"]}
    assert not view.drill(model, model.rowCount() - 1)  # the totals row
    _run(qtbot, view, "abc")
    assert view.tabs.count() == 2
    assert view.drill(view.models[0], 0) and nav.opened


def test_scope_choices_follow_the_role(qtbot, world):  # noqa: ANN001
    view = ReportsView(world["rep1"], Nav())
    qtbot.addWidget(view)
    keys = [view.scope_box.itemData(i) for i in range(view.scope_box.count())]
    assert keys[0] == "all" and "owner:rep1" in keys and "owner:rep2" not in keys
    assert not any(k.startswith("department:") for k in keys)


def test_exports_and_print_preview_agree_with_the_pdf(qtbot, world, tmp_path):  # noqa: ANN001
    nav = Nav()
    view = ReportsView(world["manager"], nav)
    qtbot.addWidget(view)
    _run(qtbot, view, "complaints")
    xlsx, pdf = tmp_path / "c.xlsx", tmp_path / "c.pdf"
    view.export(".xlsx", str(xlsx))
    view.export(".pdf", str(pdf))
    assert wait_idle()
    qtbot.waitUntil(lambda: xlsx.exists() and pdf.exists(), timeout=10000)
    assert len(load_workbook(xlsx).sheetnames) == 1 + 6
    # printing: the PDF's own layout, so the same number of pages with the same numbers on each
    pages = layout_pages(view.report)
    reader = PdfReader(pdf)
    assert len(pages) == len(reader.pages)
    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(printed))
    paint_pages(printer, pages)
    printed_pages = PdfReader(printed).pages
    assert len(printed_pages) == len(reader.pages)
    # every number of the body rows is printed on the same page as in the PDF (bold totals are outlines)
    for ours, theirs in zip(printed_pages, reader.pages, strict=True):
        text = ours.extract_text()
        body = [line for line in theirs.extract_text().splitlines() if not line.startswith("Total")]
        numbers = [w for line in body for w in line.split() if w[0].isdigit() and w[-1].isdigit() or w.endswith("%")]
        missing = [n for n in numbers if n not in text]
        assert numbers and not missing
    dialog = view.print_preview()
    assert dialog is not None
    dialog.show()
    qtbot.wait(300)  # the preview paints through paint_pages (its printer must outlive this function)
    dialog.close()


def test_monthly_pack_from_the_dialog(qtbot, world, tmp_path):  # noqa: ANN001
    nav = Nav()
    dialog = PackDialog(world["manager"], nav)
    qtbot.addWidget(dialog)
    for key, check in dialog.checks.items():
        check.setChecked(key in ("abc", "complaints"))
    dialog.month.setDate(dialog.month.date().fromString("2026-06-01", "yyyy-MM-dd"))
    dialog.remember.setChecked(True)
    out = tmp_path / "pack.pdf"
    dialog.produce(".pdf", str(out))
    assert wait_idle()
    qtbot.waitUntil(out.exists, timeout=20000)
    assert len(PdfReader(out).pages) >= 3
    from desktop_crm.core.reporting.builders import pack

    assert pack.chosen(world["manager"]) == ["abc", "complaints"]


def test_customer_list_to_excel_pdf_and_print(qtbot, world, tmp_path, desk):  # noqa: ANN001, F811
    from desktop_crm.ui.customers.list_view import CustomerListView

    view = CustomerListView(world["manager"], Nav())
    qtbot.addWidget(view)
    view.apply_filter({"status": ["active"]})
    assert view.list_pdf_action.text() and view.print_list_action.text()
    xlsx, pdf = tmp_path / "list.xlsx", tmp_path / "list.pdf"
    customer_list_output(view, "xlsx", str(xlsx))
    customer_list_output(view, "pdf", str(pdf))
    assert wait_idle()
    qtbot.waitUntil(lambda: xlsx.exists() and pdf.exists(), timeout=10000)
    rows = list(load_workbook(xlsx).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + view.data.total == 1 + 6
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "C000001" in text and "C000004" not in text  # 张伟 is lost


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_screens_in_both_languages(qtbot, world, tmp_path, lang):  # noqa: ANN001
    i18n.set_language(lang)
    view = ReportsView(world["manager"], Nav())
    qtbot.addWidget(view)
    view.resize(1200, 800)
    _run(qtbot, view, "visits")
    view.show()
    image = view.grab()
    assert not image.isNull()
    image.save(str(tmp_path / f"reports-{lang}.png"))
    if lang == "zh_CN":
        assert view.report.title == "回访" or view.report.title != "Return visits"
    write_report_pdf(view.report, Path(tmp_path / "v.pdf"))


def test_order_and_complaint_lists_to_excel_and_pdf(qtbot, world, tmp_path):  # noqa: ANN001
    from desktop_crm.core.services.complaints_query import ComplaintFilter, complaint_table
    from desktop_crm.core.services.orders import OrderFilter, order_table
    from desktop_crm.ui.complaints.view import ComplaintsView
    from desktop_crm.ui.orders.view import OrdersView
    from desktop_crm.ui.reports.list_output import output_list

    mgr = world["manager"]
    orders_view = OrdersView(mgr, Nav())
    complaints_view = ComplaintsView(mgr, Nav())
    qtbot.addWidget(orders_view)
    qtbot.addWidget(complaints_view)
    assert [a.objectName() for a in orders_view.output_button.menu().actions()] == [
        "list_output_xlsx", "list_output_pdf", "list_output_print"]
    assert complaints_view.output_button.menu().actions()
    table = order_table(mgr, OrderFilter())
    assert table.rows and table.totals["order_no"] == len(table.rows)
    assert sum(r["amount"] for r in table.rows) == table.totals["amount"]
    for name, make in (("orders", lambda: order_table(mgr, OrderFilter())),
                       ("complaints", lambda: complaint_table(mgr, ComplaintFilter(),
                                                              ["number", "status", "severity", "customer_name"]))):
        xlsx, pdf = tmp_path / f"{name}.xlsx", tmp_path / f"{name}.pdf"
        output_list(orders_view, mgr, name, make, "xlsx", path=str(xlsx))
        output_list(orders_view, mgr, name, make, "pdf", path=str(pdf))
        assert wait_idle()
        qtbot.waitUntil(lambda x=xlsx, p=pdf: x.exists() and p.exists(), timeout=10000)
        rows = list(load_workbook(xlsx).worksheets[0].iter_rows(values_only=True))
        assert len(rows) >= 1 + len(make().rows)
        text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
        first = make().rows[0]
        key = "order_no" if name == "orders" else "number"
        assert str(first[key]) in text


@pytest.mark.parametrize("key", ["products", "complaints", "visits", "churn"])
def test_drill_down_to_the_customers_behind_a_row(qtbot, world, key):  # noqa: ANN001
    from desktop_crm.core.services import customer_query
    from desktop_crm.core.services.customer_query import CustomerFilter
    from desktop_crm.ui.customers.list_view import CustomerListView

    nav = Nav()
    view = ReportsView(world["manager"], nav)
    qtbot.addWidget(view)
    _run(qtbot, view, key)
    model = view.models[0]
    rows = [r for r in range(model.rowCount()) if ((model.row_data(r) or {}).get("_filter") or {}).get("ids")]
    assert rows, "some row has customers behind it"
    assert view.drill(model, rows[0])
    fields = nav.filters[-1]
    ids = fields["ids"]
    assert ids and customer_query.count(world["manager"], CustomerFilter(fields=fields)) == len(ids)
    listing = CustomerListView(world["manager"], Nav())
    qtbot.addWidget(listing)
    listing.apply_filter(fields)
    assert listing.model.rowCount() == len(ids) and not listing.drill_bar.isHidden()
    listing.clear_drill()
    assert listing.model.rowCount() > len(ids) or listing.drill_bar.isHidden()
