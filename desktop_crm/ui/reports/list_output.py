"""Any list as shown (its filter and columns) → Excel, PDF or the printer (DOMAIN §7 item 12).

A list view calls `output_list(view, ctx, title, make_table, how)` where `make_table()`
returns a report-model `Table` (columns as shown, rows as shown — an iterator or a lazy
sequence streamed from the service, which applies the permissions). The work runs in the
background with progress; Excel goes through `excel.write_table_xlsx`, the PDF and the
printout through the report PDF layout (header, page x of y, repeated header row), so the
printed list and its PDF agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from desktop_crm.core.i18n import N_, _
from desktop_crm.core.reporting.model import Report, Table
from desktop_crm.core.services import settings
from desktop_crm.core.services.permissions import require_export
from desktop_crm.ui.tasks import run_task, show_error

HOW = ("xlsx", "pdf", "print")
_previews: list[tuple] = []


def list_report(ctx, title: str, table: Table, description: str = "") -> Report:  # noqa: ANN001
    """A list as a one-table report (rows materialised: the PDF needs the count for "page x of y")."""
    rows = list(table.rows)
    try:
        company = str(settings.get(ctx, "company_name") or "")
    except Exception:  # noqa: BLE001 - the header is a nicety
        company = ""
    return Report(key="list", title=title, main=Table(table.columns, rows, table.totals), scope=description,
                  company=company, produced_by=ctx.actor.label, produced_at=datetime.now().replace(microsecond=0))


def output_list(parent: QWidget, ctx, title: str, make_table: Callable[[], Table], how: str,  # noqa: ANN001
                description: str = "", path: str | None = None) -> None:
    """Export (`xlsx`, `pdf`) or print (`print`, through a preview) the list as shown."""
    if how not in HOW:
        raise ValueError(how)
    if how in ("xlsx", "pdf"):
        try:
            require_export(ctx.actor)
        except Exception as exc:  # noqa: BLE001
            show_error(parent, exc)
            return
        suffix = "." + how
        if path is None:
            filters = _("Excel workbook (*.xlsx)") if how == "xlsx" else _("PDF document (*.pdf)")
            path, _c = QFileDialog.getSaveFileName(parent, _("Export list"), f"list{suffix}", filters)
            if not path:
                return
            if not path.lower().endswith(suffix):
                path += suffix

        def work(progress):  # noqa: ANN001, ANN202
            table = make_table()
            if how == "xlsx":
                from desktop_crm.core.exporting.excel import write_table_xlsx

                write_table_xlsx(table.columns, table.rows, path, table.totals, sheet_title=title, progress=progress)
            else:
                from desktop_crm.core.exporting.pdf import write_report_pdf

                write_report_pdf(list_report(ctx, title, table, description), path, progress)
            return path

        notify = getattr(getattr(parent, "nav", None), "notify", None)
        run_task(parent, _("Writing {file}…").format(file=path), work,
                 on_done=lambda _r: notify and notify(_("Saved {file}").format(file=path)))
        return

    def pages(progress):  # noqa: ANN001, ANN202
        from desktop_crm.ui.reports.print_layout import layout_pages

        return layout_pages(list_report(ctx, title, make_table(), description), progress)

    def preview(laid_out: list[dict]) -> None:
        from desktop_crm.ui.reports.print_layout import paint_pages

        printer = QPrinter(QPrinter.HighResolution)
        dialog = QPrintPreviewDialog(printer, parent)
        _previews[:] = [(dialog, printer, laid_out)]  # the dialog does not own the printer: keep it alive
        dialog.setWindowTitle(_("Print preview — {title}").format(title=title))
        dialog.paintRequested.connect(lambda pr: paint_pages(pr, laid_out))
        dialog.resize(1000, 800)
        dialog.open()

    run_task(parent, _("Preparing the printout…"), pages, on_done=preview)


_HOW_LABELS = {"xlsx": N_("Excel workbook…"), "pdf": N_("PDF…"), "print": N_("Print…")}


def output_menu_button(parent: QWidget, handler: Callable[[str], None],
                       formats: tuple[str, ...] = ("xlsx", "pdf", "print")) -> QToolButton:
    """A "List output" button whose menu sends the list as shown to Excel, PDF or the printer."""
    button = QToolButton(parent)
    button.setText(_("List output"))
    button.setPopupMode(QToolButton.InstantPopup)
    menu = QMenu(button)
    for how in formats:
        act = menu.addAction(_(_HOW_LABELS[how]))
        act.setObjectName(f"list_output_{how}")
        act.triggered.connect(lambda _c=False, h=how: handler(h))
    button.setMenu(menu)
    return button


def customer_list_output(view, how: str, path: str | None = None) -> None:  # noqa: ANN001
    """The customer list view's filter, columns and sort → Excel / PDF / print."""
    from desktop_crm.core.exporting.lists import customer_table
    from desktop_crm.core.services.customer_query import CustomerFilter

    ctx = view.ctx
    flt = CustomerFilter(search=view.data.flt.search, fields=dict(view.data.flt.fields))
    columns, sort, desc = list(view.data.columns), view.data.sort_key, view.data.descending
    parts = [f"{_('Search')}: {flt.search}"] if flt.search else []
    parts += [f"{k}: {v}" for k, v in flt.fields.items()]
    output_list(view, ctx, _("Customers"), lambda: customer_table(ctx, flt, columns, sort=sort, descending=desc),
                how, description="; ".join(parts) or _("All customers"), path=path)
