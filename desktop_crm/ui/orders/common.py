"""Shared bits of the sales screens: column titles, value text, a date field that may be empty."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from desktop_crm.core.enums import CONTRACT_STATUS, GRADE, LOYALTY, OPPORTUNITY_STAGE
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.reporting.formatting import money_text

TITLES = {
    "order_no": N_("Order no."), "date": N_("Date"), "customer_code": N_("Customer code"),
    "customer_name": N_("Customer"), "product": N_("Product"), "category": N_("Product category"),
    "quantity": N_("Quantity"), "amount": N_("Amount"), "cost": N_("Cost"), "paid_amount": N_("Paid"),
    "receivable": N_("Receivable"), "due_date": N_("Payment due"), "owner": N_("Owner"), "notes": N_("Notes"),
    "number": N_("Contract no."), "title": N_("Contract title"), "signed_on": N_("Signed"), "start_on": N_("Start"),
    "end_on": N_("End"), "status": N_("Status"), "name": N_("Name"), "expected_close": N_("Expected close"),
    "stage": N_("Stage"), "last_action_at": N_("Last action"),
}
MONEY = {"amount", "cost", "paid_amount", "receivable"}


def title(key: str) -> str:
    return _(TITLES.get(key, key))


def money(value: object) -> str:
    return money_text(value)


def text_of(key: str, value: object) -> str:
    if value is None:
        return ""
    if key in MONEY:
        return money(value)
    if key == "stage":
        return OPPORTUNITY_STAGE.label(str(value))
    if key == "status":
        return CONTRACT_STATUS.label(str(value))
    if key == "grade":
        return GRADE.label(str(value))
    if key == "loyalty":
        return LOYALTY.label(str(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


class OptionalDate(QWidget):
    """A date edit with a check box: unchecked = no date."""

    def __init__(self, value: date | None = None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox()
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.check.toggled.connect(self.edit.setEnabled)
        lay.addWidget(self.check)
        lay.addWidget(self.edit, 1)
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        d = value or date.today()
        self.edit.setDate(QDate(d.year, d.month, d.day))

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        q = self.edit.date()
        return date(q.year(), q.month(), q.day())
