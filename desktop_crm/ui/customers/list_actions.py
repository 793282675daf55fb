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
    """The whole list through the exporter; a selection row by row through the same writers."""
    if ids is not None:
        return export_selection(ctx, ids, columns, path, progress)
    params = inspect.signature(fn).parameters
    given = {"flt": flt, "path": path, "columns": columns, "sort": sort, "descending": descending,
             "progress": progress}
    return fn(ctx, **{k: v for k, v in given.items() if k in params})


def export_selection(ctx, ids: list[int], columns: list[str], path: str, progress=None) -> int:  # noqa: ANN001
    """Selected customers (as shown: same columns and labels as the list export)."""
    from desktop_crm.core.errors import Cancelled, ValidationError
    from desktop_crm.core.exporting import lists
    from desktop_crm.core.reporting.model import Column, Table
    from desktop_crm.core.services import customers
    from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD
    from desktop_crm.core.services.permissions import require_export

    require_export(ctx.actor)
    suffix = path.lower().rsplit(".", 1)[-1]
    if suffix not in ("xlsx", "csv"):
        raise ValidationError({"path": _("use a .xlsx or .csv file name")})
    fields = [CUSTOMER_FIELD[c] for c in columns]
    rows = []
    for i, cid in enumerate(ids):
        if progress is not None:
            if progress.cancelled():
                raise Cancelled()
            progress.step(i, len(ids))
        d = customers.get_customer(ctx, cid)
        rows.append({f.key: (d.owner_name or None) if f.key == "owner" else lists.shown_value(f, d[f.key])
                     for f in fields})
    cols = [Column(f.key, _(f.label), lists.column_kind(f)) for f in fields]
    if suffix == "xlsx":
        from desktop_crm.core.exporting.excel import write_table_xlsx

        write_table_xlsx(cols, rows, path, sheet_title=_("Customers"))
    else:
        from desktop_crm.core.exporting.csvjson import write_csv

        write_csv(Table(columns=cols, rows=rows), path)
    return len(rows)


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
        if len(ids) >= view.data.total:
            ids = None  # everything is selected: the list export streams it
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


def plan_visits(view) -> None:  # noqa: ANN001
    """Plan return visits for the selected customers, or the whole list when none is selected."""
    from desktop_crm.ui.visits.visit_dialogs import plan_for_list

    plan_for_list(view)
