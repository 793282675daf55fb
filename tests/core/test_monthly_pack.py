"""The monthly pack is a summary a manager reads: a cover with the company's name, lists of at most
20 rows in the PDF with the full lists in a workbook beside it, and no chart of a single bar."""

from datetime import date, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_crm.core.reporting.builders import pack, registry
from desktop_crm.core.reporting.builders.params import ReportParams
from desktop_crm.core.services import customers, orders, settings

N = 27


def _month_of_sales(admin) -> list[str]:  # noqa: ANN001
    settings.set_many(admin, {"company_name": "迅捷商贸有限公司"})
    names, biggest = [], 0
    for i in range(N):
        c = customers.create_customer(admin, {"name": f"客户{i:02d}号贸易公司"}, allow_duplicates=True)
        customers.set_status(admin, c.id, "active", at=datetime(2026, 1, 1))
        orders.create_order(admin, c.id, {"order_no": f"SO{i:03d}", "date": date(2026, 6, 1 + i % 28),
                                           "amount": str(1000 + 100 * i), "product": "机油滤清器", "category": "配件"})
        names.append(f"客户{i:02d}号贸易公司")
        biggest = c.id
    customers.set_status(admin, biggest, "lost", at=datetime(2026, 6, 20), reason="价格")
    return names


def test_pack_pdf_shows_the_top_20_and_the_workbook_holds_every_row(admin, tmp_path):
    names = _month_of_sales(admin)
    out = tmp_path / "pack.pdf"
    written = pack.write_pack(admin, "2026-06", out, ["performance", "churn"])
    workbook = tmp_path / "pack (full lists).xlsx"
    assert written == [out, workbook]
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    cover = PdfReader(out).pages[0].extract_text()
    assert "迅捷商贸有限公司" in cover and "Monthly report" in cover and "2026-06" in cover
    biggest = names[::-1]  # sales grow with the number
    assert all(n in text for n in biggest[:20]) and not any(n in text for n in biggest[20:])
    assert f"the first 20 of {N} rows are shown" in text and workbook.name in text
    sheet = load_workbook(workbook).worksheets[0]
    listed = {cell.value for row in sheet.iter_rows() for cell in row}
    assert set(names) <= listed  # every customer in the full list


def test_short_lists_need_no_workbook(admin, tmp_path):
    _month_of_sales(admin)
    out = tmp_path / "pack.pdf"
    assert pack.write_pack(admin, "2026-06", out, ["pyramid"]) == [out]


def test_no_chart_of_a_single_bar(admin):
    _month_of_sales(admin)
    june = ReportParams(date(2026, 6, 1), date(2026, 6, 30))
    performance = registry.build(admin, "performance", june)
    assert performance.chart is not None and len(performance.chart.categories) == 10
    assert performance.chart.title == "Top 10 customers by sales"
    churn = registry.build(admin, "churn", june)
    assert churn.chart is not None and len(churn.chart.categories) > 1  # lost customers by grade at the start
    assert sum(churn.chart.series[0][1]) == 1
    year = registry.build(admin, "performance", ReportParams(date(2026, 1, 1), date(2026, 12, 31)))
    assert year.chart is not None and len(year.chart.categories) == 12
    for key in registry.REPORTS:
        built = registry.build(admin, key, june) if key != "seasonal" else None
        if built is not None and built.chart is not None:
            assert len(built.chart.categories) > 1, key
