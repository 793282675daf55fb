"""The customer list's ListSource over customer_query, and the per-desk column choice."""

from __future__ import annotations

from PySide6.QtGui import QColor

from desktop_crm.core.i18n import _
from desktop_crm.core.services import customer_query
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD, CUSTOMER_FIELDS
from desktop_crm.core.services.customer_query import CustomerFilter
from desktop_crm.ui.app import desk_settings
from desktop_crm.ui.customers.common import shown
from desktop_crm.ui.tablemodel import ListColumn, ListSource

SETTINGS_KEY = "customers/columns"
STATUS_COLOURS = {"lost": "#b00020", "invalid": "#888888", "active": "#1b7f3b", "target": "#1f5fa8"}
WIDTHS = {"code": 90, "name": 220, "kind": 80, "status": 80, "grade": 90, "loyalty": 80, "owner": 100,
          "city": 80, "province": 80, "district": 90, "mobile": 120, "phone": 120, "email": 180,
          "industry": 100, "created_at": 130, "updated_at": 130, "last_contact_at": 130, "address": 240,
          "credit_code": 170, "credit_rating": 60, "source": 110, "tags": 140}


def choosable() -> list[str]:
    return [f.key for f in CUSTOMER_FIELDS if f.list_column]


def load_columns() -> list[str]:
    saved = desk_settings().value(SETTINGS_KEY)
    if isinstance(saved, str):
        saved = [saved]
    keys = [k for k in (saved or []) if k in CUSTOMER_FIELD]
    return keys or list(customer_query.DEFAULT_COLUMNS)


def save_columns(keys: list[str]) -> None:
    s = desk_settings()
    s.setValue(SETTINGS_KEY, list(keys))
    s.sync()


def column_width(key: str) -> int:
    f = CUSTOMER_FIELD[key]
    return WIDTHS.get(key, 160 if f.kind in ("longtext", "text") else 100)


class CustomerSource:
    """Holds the filter; `source()` builds the ListSource the lazy model pages through."""

    def __init__(self, ctx, columns: list[str]):  # noqa: ANN001
        self.ctx = ctx
        self.flt = CustomerFilter()
        self.columns = columns
        self.total = 0
        self.sort_key, self.descending = "code", False

    def recount(self) -> int:
        """Count with the current filter (raises ValidationError for a bad condition)."""
        self.total = customer_query.count(self.ctx, self.flt)
        return self.total

    def fetch(self, offset: int, limit: int, sort_key: str, descending: bool) -> list[tuple]:
        self.sort_key, self.descending = sort_key or "code", descending
        try:
            return customer_query.page(self.ctx, self.flt, columns=self.columns, sort=self.sort_key,
                                       descending=descending, offset=offset, limit=limit)
        except Exception:  # noqa: BLE001 - a vanished row or bad filter shows as an empty page
            return []

    @staticmethod
    def display(key: str, value: object) -> str:
        if key == "owner":
            return str(value) if value else _("(pool)")
        return shown(CUSTOMER_FIELD[key], value)

    @staticmethod
    def colour(key: str, value: object, _row: tuple) -> QColor | None:
        if key == "status" and value in STATUS_COLOURS:
            return QColor(STATUS_COLOURS[value])
        if key == "owner" and not value:
            return QColor("#888888")
        return None

    def source(self) -> ListSource:
        cols = [ListColumn(k, CUSTOMER_FIELD[k].title, align_right=CUSTOMER_FIELD[k].kind in ("money", "int"))
                for k in self.columns]
        return ListSource(columns=cols, count=lambda: self.total, fetch=self.fetch, display=self.display,
                          colour=self.colour, sort_key=self.sort_key, descending=self.descending)
