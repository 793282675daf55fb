"""The orders view (Ctrl+5): search, filters (period, customer, product, category, owner, unpaid), the shared
lazy list, totals and receivable of what is shown; new / edit / delete, import, "Recompute grades"."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import customers, grading, orders
from desktop_crm.core.services.orders import OrderFilter
from desktop_crm.ui.orders.common import OptionalDate, money, text_of, title
from desktop_crm.ui.reports.list_output import output_menu_button
from desktop_crm.ui.tablemodel import LazyTableModel, ListColumn, ListSource, lazy_table_view
from desktop_crm.ui.tasks import run_task, show_error
from desktop_crm.ui.widgets.flow import flow_row, pair

COLUMNS = orders.COLUMNS
WIDTHS = {"order_no": 110, "date": 90, "customer_code": 80, "customer_name": 170, "product": 130, "category": 90,
          "quantity": 60, "amount": 100, "cost": 90, "paid_amount": 100, "receivable": 100, "due_date": 90}


class OrdersView(QWidget):
    def __init__(self, ctx, nav=None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search order no., product, customer…"))
        self.search.setClearButtonEnabled(True)
        self.date_from, self.date_to = OptionalDate(None), OptionalDate(None)
        self.customer = QLineEdit()
        self.customer.setPlaceholderText(_("Customer code"))
        self.customer.setMaximumWidth(110)
        self.product = QLineEdit()
        self.product.setPlaceholderText(_("Product"))
        self.product.setMaximumWidth(120)
        self.category = QComboBox()
        self.category.addItem(_("All categories"), "")
        for c in orders.categories(ctx):
            self.category.addItem(c, c)
        self.owner = QComboBox()
        self.owner.addItem(_("All owners"), None)
        from desktop_crm.ui.customers.common import user_choices

        for uid, label in user_choices(ctx, pool=False):
            self.owner.addItem(label, uid)
        self.unpaid = QCheckBox(_("Unpaid only"))
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search, 1)
        lay.addLayout(bar)
        # the filters wrap onto a second line on a narrow window
        lay.addWidget(flow_row(pair(QLabel(_("Period from")), self.date_from), pair(QLabel(_("until")), self.date_to),
                               self.customer, self.product, self.category, self.owner, self.unpaid))

        actions = QHBoxLayout()
        self.new_button = QPushButton(_("New order…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))
        self.import_button = QPushButton(_("Import orders…"))
        self.recompute_button = QPushButton(_("Recompute grades"))
        writable = ctx.actor.role != "viewer"
        for b in (self.new_button, self.edit_button, self.delete_button, self.import_button, self.recompute_button):
            b.setEnabled(writable)
        self.output_button = output_menu_button(self, self._output)
        self.output_button.setVisible(writable or ctx.actor.can_export)
        actions.addWidget(flow_row(self.new_button, self.edit_button, self.delete_button, self.import_button,
                                   self.recompute_button, self.output_button), 1)
        self.totals = QLabel()
        self.totals.setObjectName("orders_totals")
        self.totals.setWordWrap(True)
        actions.addWidget(self.totals, 1, Qt.AlignTop)
        lay.addLayout(actions)

        self.flt = OrderFilter()
        self.source = ListSource([ListColumn(k, title(k), k in ("amount", "cost", "paid_amount", "receivable",
                                                               "quantity")) for k in COLUMNS],
                                 self._count, self._fetch, text_of, self._colour, "date", True)
        self.model = LazyTableModel(self.source, parent=self)
        self.table = lazy_table_view(self.model, "orders_table")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index("date"), Qt.DescendingOrder)
        for i, k in enumerate(COLUMNS):
            self.table.setColumnWidth(i, WIDTHS.get(k, 90))
        # an order number is read whole (SO + date + a 7-digit sequence)
        sample = self.table.fontMetrics().horizontalAdvance("SO26120400000001") + 16
        self.table.setColumnWidth(COLUMNS.index("order_no"), max(WIDTHS["order_no"], sample))
        self.table.doubleClicked.connect(lambda _i: self.edit())
        lay.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh)
        for w in (self.search, self.customer, self.product):
            w.textChanged.connect(lambda _t: self._timer.start())
        for w in (self.category, self.owner):
            w.currentIndexChanged.connect(lambda _i: self.refresh())
        self.unpaid.toggled.connect(lambda _b: self.refresh())
        for d in (self.date_from, self.date_to):
            d.check.toggled.connect(lambda _b: self.refresh())
            d.edit.dateChanged.connect(lambda _d: self._timer.start())
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self.import_orders)
        self.recompute_button.clicked.connect(self.recompute)
        self.refresh()

    # -- data ------------------------------------------------------------------------------------
    def current_filter(self) -> OrderFilter:
        cid = None
        code = self.customer.text().strip()
        if code:
            try:
                cid = customers.id_by_code(self.ctx, code)
            except CrmError:
                cid = -1
        return OrderFilter(search=self.search.text(), date_from=self.date_from.value(), date_to=self.date_to.value(),
                           customer_id=cid, product=self.product.text(), category=self.category.currentData() or "",
                           owner_id=self.owner.currentData(), unpaid=self.unpaid.isChecked())

    def _count(self) -> int:
        return orders.count(self.ctx, self.flt)

    def _fetch(self, offset: int, limit: int, sort: str, desc: bool) -> list[tuple]:
        return orders.page(self.ctx, self.flt, columns=COLUMNS, sort=sort or "date", descending=desc,
                           offset=offset, limit=limit)

    def _colour(self, key: str, value: object, row: tuple) -> QColor | None:
        if key == "receivable" and value:
            return QColor("#b00020")
        return None

    def refresh(self) -> None:
        self.flt = self.current_filter()
        self.model.refresh()
        t = orders.totals(self.ctx, self.flt)
        self.totals.setText(_("{n} orders · sales {amount} · paid {paid} · receivable {receivable}").format(
            n=f"{t.orders:,}", amount=money(t.amount), paid=money(t.paid), receivable=money(t.receivable)))

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    # -- actions ---------------------------------------------------------------------------------
    def new(self) -> None:
        from desktop_crm.ui.orders.dialogs import OrderDialog

        if OrderDialog(self.ctx, parent=self).exec():
            self.refresh()

    def edit(self) -> None:
        from desktop_crm.ui.orders.dialogs import OrderDialog

        oid = self.selected_id()
        if oid is None or self.ctx.actor.role == "viewer":
            return
        if OrderDialog(self.ctx, order_id=oid, parent=self).exec():
            self.refresh()

    def delete(self) -> None:
        oid = self.selected_id()
        if oid is None:
            return
        if QMessageBox.question(self, _("Delete order"), _("Delete the selected order?")) != QMessageBox.Yes:
            return
        try:
            orders.delete_order(self.ctx, oid)
        except CrmError as exc:
            show_error(self, exc)
        self.refresh()

    def _output(self, how: str) -> None:
        from desktop_crm.core.services.orders import order_table
        from desktop_crm.ui.reports.list_output import output_list

        flt, sort, desc = self.flt, self.source.sort_key or "date", self.source.descending
        titles = {k: title(k) for k in COLUMNS}
        output_list(self, self.ctx, _("Orders"), lambda: order_table(self.ctx, flt, sort=sort, descending=desc,
                                                                      titles=titles), how)

    def import_orders(self) -> None:
        from desktop_crm.ui.customers.import_dialog import ImportDialog

        dlg = ImportDialog(self.ctx, self)
        dlg.setWindowTitle(_("Import orders"))
        dlg.kind.clear()
        dlg.kind.addItem(_("Orders"), "orders")
        dlg.exec()
        result = dlg.import_result
        if result is not None and (result.created or result.updated) and not result.dry_run:
            self.refresh()  # the import itself recomputed the grades (ImportSpec.after_import)

    def recompute(self) -> None:
        ctx = self.ctx
        run_task(self, _("Recomputing grades…"), lambda p: grading.recompute(ctx, progress=p),
                 on_done=self._recomputed)

    def _recomputed(self, r: grading.RecomputeResult) -> None:
        from desktop_crm.core.enums import GRADE

        counts = ", ".join(f"{GRADE.label(k)} {v:,}" for k, v in r.grades.items())
        text = _("Grades recomputed as of {date}: {counts}; {changed} customers changed.").format(
            date=r.params.as_of.isoformat(), counts=counts, changed=f"{r.changed:,}")
        if self.nav is not None and hasattr(self.nav, "notify"):
            self.nav.notify(text)
        else:
            QMessageBox.information(self, _("Recompute grades"), text)
