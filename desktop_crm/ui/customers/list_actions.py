"""Bulk actions of the customer list: transfer, set status, export (selection or list), import."""

from __future__ import annotations

import inspect

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_crm.core.i18n import _
from desktop_crm.core.services.customer_query import CustomerFilter
from desktop_crm.ui.tasks import run_task


def _need_selection(view) -> list[int]:  # noqa: ANN001
    ids = view.selected_ids()
    if not ids:
        QMessageBox.information(view, _("Customers"), _("Select one or more customers first."))
    return ids


def transfer_selection(view) -> None:  # noqa: ANN001
    from desktop_crm.ui.customers.transfer_dialog import TransferDialog

    ids = _need_selection(view)
    if ids and TransferDialog(view.ctx, ids, view).exec():
        view.refresh()
        view.nav.notify(_("{n} customers transferred.").format(n=len(ids)))


def status_selection(view) -> None:  # noqa: ANN001
    from desktop_crm.ui.customers.status_dialog import StatusDialog

    ids = _need_selection(view)
    if ids and StatusDialog(view.ctx, ids, parent=view).exec():
        view.refresh()
        view.nav.notify(_("Status changed for {n} customers.").format(n=len(ids)))


def export_function():  # noqa: ANN201
    try:
        from desktop_crm.core.exporting.lists import export_customers
    except ImportError:
        return None
    return export_customers


def _call_export(fn, ctx, flt: CustomerFilter, path: str, columns: list[str], sort: str, descending: bool,  # noqa: ANN001
                 ids: list[int] | None, progress) -> object:  # noqa: ANN001
    """Pass what the exporter accepts (its signature may still grow)."""
    params = inspect.signature(fn).parameters
    kwargs: dict[str, object] = {}
    for name, value in (("columns", columns), ("sort", sort), ("descending", descending), ("progress", progress),
                        ("ids", ids)):
        if name in params:
            kwargs[name] = value
    if ids is not None and "ids" not in params:
        raise RuntimeError(_("Exporting a selection is not available yet."))
    return fn(ctx, flt, path, **kwargs)


def export(view, *, selection: bool) -> None:  # noqa: ANN001
    fn = export_function()
    if fn is None:
        QMessageBox.information(view, _("Export"), _("Export is not available in this version."))
        return
    ids = None
    if selection:
        ids = _need_selection(view)
        if not ids:
            return
    path, chosen = QFileDialog.getSaveFileName(
        view, _("Export customers"), "customers.xlsx", _("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"))
    if not path:
        return
    if not path.lower().endswith((".xlsx", ".csv")):
        path += ".csv" if "csv" in chosen.lower() else ".xlsx"
    start_export(view, path, ids)


def start_export(view, path: str, ids: list[int] | None):  # noqa: ANN001, ANN201
    fn = export_function()
    flt = CustomerFilter(search=view.data.flt.search, fields=dict(view.data.flt.fields))
    columns, sort, desc = list(view.data.columns), view.data.sort_key, view.data.descending
    return run_task(view, _("Exporting customers…"),
                    lambda p: _call_export(fn, view.ctx, flt, path, columns, sort, desc, ids, p),
                    on_done=lambda _r: view.nav.notify(_("Exported to {path}").format(path=path)))


def import_customers(view) -> None:  # noqa: ANN001
    from desktop_crm.ui.customers.import_dialog import ImportDialog

    ImportDialog(view.ctx, view).exec()
    view.refresh()
