"""Shared bits of the sales screens: column titles, value text, a date field that may be empty."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from desktop_crm.core.enums import CONTRACT_STATUS, GRADE, LOYALTY, OPPORTUNITY_STAGE
from desktop_crm.core.i18n import _
from desktop_crm.core.reporting.formatting import money_text
from desktop_crm.core.services.sales_fields import FIELD_TITLES as TITLES  # noqa: E402
from desktop_crm.core.services.sales_fields import MONEY  # noqa: E402


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
