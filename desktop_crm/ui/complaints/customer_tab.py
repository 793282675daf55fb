"""The customer page's complaints tab (registered in ui/customers/page_tabs.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_crm.core.i18n import _
from desktop_crm.core.services import complaints_query
from desktop_crm.core.services.complaints_query import ComplaintFilter
from desktop_crm.ui.complaints import common
from desktop_crm.ui.customers.common import fill_table, readonly_table

COLUMNS = ["number", "status", "severity", "category", "received_at", "handler", "next_due", "description"]


class CustomerComplaints(QWidget):
    def __init__(self, ctx, nav, customer_id: int, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav, self.customer_id = ctx, nav, customer_id
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.count = QLabel()
        bar.addWidget(self.count)
        bar.addStretch(1)
        self.new_button = QPushButton(_("New complaint…"))
        self.new_button.setVisible(ctx.actor.role != "viewer")
        self.new_button.clicked.connect(self.new_complaint)
        bar.addWidget(self.new_button)
        layout.addLayout(bar)
        self.table = readonly_table([common.title(k) for k in COLUMNS])
        self.table.setObjectName("customer_complaints")
        self.table.doubleClicked.connect(self.open_row)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        rows = complaints_query.page(self.ctx, ComplaintFilter(customer_id=self.customer_id), columns=COLUMNS,
                                     limit=500)
        shown = []
        for r in rows:
            values = dict(zip(COLUMNS, r[2:], strict=True))
            shown.append([common.time_left(v) if k == "next_due" else common.text_of(k, v).replace("\n", " ")
                          for k, v in values.items()])
        fill_table(self.table, shown, data=[r[0] for r in rows], widths=[130, 80, 70, 110, 120, 90, 120])
        self.count.setText(_("{n} complaints").format(n=len(rows)))

    def open_row(self, index) -> None:  # noqa: ANN001
        item = self.table.item(index.row(), 0)
        if item is not None and self.nav is not None:
            self.nav.open_complaint(int(item.data(Qt.UserRole)))

    def new_complaint(self) -> None:
        from desktop_crm.core.services import complaints

        if self.nav is None:
            return
        intake = complaints.open_from_feedback(self.ctx, self.customer_id, "", source="desk", channel="hotline")
        self.nav.new_complaint(intake)
        self.refresh()


def complaints_tab(ctx, nav, customer_id: int, parent):  # noqa: ANN001, ANN201
    return _("Complaints"), CustomerComplaints(ctx, nav, customer_id, parent)
