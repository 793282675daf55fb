"""The customer page's orders tab (totals, receivable, the grade explanation) and contracts tab
(registered in ui/customers/page_tabs.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_crm.core.enums import LOYALTY
from desktop_crm.core.i18n import _
from desktop_crm.core.services import contracts, grading, orders
from desktop_crm.core.services.orders import OrderFilter
from desktop_crm.ui.customers.common import fill_table, readonly_table
from desktop_crm.ui.orders.common import money, text_of, title

ORDER_COLUMNS = ["order_no", "date", "product", "category", "quantity", "amount", "paid_amount", "receivable",
                 "due_date"]
CONTRACT_COLUMNS = ["number", "title", "signed_on", "start_on", "end_on", "amount", "status"]


class CustomerOrders(QWidget):
    def __init__(self, ctx, customer_id: int, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        lay = QVBoxLayout(self)
        self.grade = QLabel()
        self.grade.setObjectName("grade_explanation")
        self.grade.setWordWrap(True)
        lay.addWidget(self.grade)
        bar = QHBoxLayout()
        self.totals = QLabel()
        self.totals.setObjectName("customer_order_totals")
        bar.addWidget(self.totals, 1)
        self.new_button = QPushButton(_("New order…"))
        self.new_button.setVisible(ctx.actor.role != "viewer")
        self.new_button.clicked.connect(self.new)
        bar.addWidget(self.new_button)
        lay.addLayout(bar)
        self.table = readonly_table([title(k) for k in ORDER_COLUMNS])
        self.table.setObjectName("customer_orders")
        self.table.doubleClicked.connect(self.edit)
        lay.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        info = grading.explain(self.ctx, self.customer_id)
        extra = []
        if info.loyalty:
            extra.append(_("Loyalty: {stage}").format(stage=LOYALTY.label(info.loyalty)))
        if info.abc_class:
            extra.append(_("ABC class: {cls}").format(cls=info.abc_class))
        self.grade.setText(info.text + ("\n" + " · ".join(extra) if extra else ""))
        t = orders.customer_totals(self.ctx, self.customer_id)
        self.totals.setText(_("{n} orders · sales {amount} · paid {paid} · receivable {receivable}").format(
            n=f"{t.orders:,}", amount=money(t.amount), paid=money(t.paid), receivable=money(t.receivable)))
        rows = orders.page(self.ctx, OrderFilter(customer_id=self.customer_id), columns=ORDER_COLUMNS, limit=500)
        fill_table(self.table, [[text_of(k, v) for k, v in zip(ORDER_COLUMNS, r[2:], strict=True)] for r in rows],
                   data=[r[0] for r in rows], widths=[110, 90, 140, 90, 60, 100, 100, 100, 90])

    def new(self) -> None:
        from desktop_crm.ui.orders.dialogs import OrderDialog

        if OrderDialog(self.ctx, customer_id=self.customer_id, parent=self).exec():
            self.refresh()

    def edit(self, index) -> None:  # noqa: ANN001
        from desktop_crm.ui.orders.dialogs import OrderDialog

        item = self.table.item(index.row(), 0)
        if item is not None and self.ctx.actor.role != "viewer" and OrderDialog(
                self.ctx, order_id=int(item.data(Qt.UserRole)), parent=self).exec():
            self.refresh()


class CustomerContracts(QWidget):
    def __init__(self, ctx, customer_id: int, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.count = QLabel()
        bar.addWidget(self.count, 1)
        self.new_button = QPushButton(_("New contract…"))
        self.new_button.setVisible(ctx.actor.role != "viewer")
        self.new_button.clicked.connect(self.new)
        bar.addWidget(self.new_button)
        lay.addLayout(bar)
        self.table = readonly_table([title(k) for k in CONTRACT_COLUMNS])
        self.table.setObjectName("customer_contracts")
        self.table.doubleClicked.connect(self.edit)
        lay.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        rows = contracts.list_contracts(self.ctx, self.customer_id)
        fill_table(self.table, [[text_of(k, getattr(r, k)) for k in CONTRACT_COLUMNS] for r in rows],
                   data=[r.id for r in rows], widths=[110, 160, 90, 90, 90, 110, 80])
        ending = sum(1 for r in rows if r.ending_soon)
        text = _("{n} contracts").format(n=len(rows))
        if ending:
            text += " · " + _("{n} ending soon: renew").format(n=ending)
        self.count.setText(text)

    def new(self) -> None:
        from desktop_crm.ui.orders.dialogs import ContractDialog

        if ContractDialog(self.ctx, customer_id=self.customer_id, parent=self).exec():
            self.refresh()

    def edit(self, index) -> None:  # noqa: ANN001
        from desktop_crm.ui.orders.dialogs import ContractDialog

        item = self.table.item(index.row(), 0)
        if item is not None and self.ctx.actor.role != "viewer" and ContractDialog(
                self.ctx, contract_id=int(item.data(Qt.UserRole)), parent=self).exec():
            self.refresh()


def orders_tab(ctx, nav, customer_id: int, parent):  # noqa: ANN001, ANN201
    return _("Orders"), CustomerOrders(ctx, customer_id, parent)


def contracts_tab(ctx, nav, customer_id: int, parent):  # noqa: ANN001, ANN201
    return _("Contracts"), CustomerContracts(ctx, customer_id, parent)
