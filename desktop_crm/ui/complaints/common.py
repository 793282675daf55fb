"""What the complaint screens share: field titles, SLA time-left text and colours, enum combos."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox

from desktop_crm.core.enums import (
    COMPLAINT_CATEGORY,
    COMPLAINT_CHANNEL,
    COMPLAINT_SEVERITY,
    COMPLAINT_STATE,
    ROOT_CAUSE,
    Enum,
)
from desktop_crm.core.i18n import N_, gettext
from desktop_crm.core.reporting.formatting import money_text
from desktop_crm.core.services.complaint_fields import FIELD_TITLES

ENUMS: dict[str, Enum] = {"status": COMPLAINT_STATE, "channel": COMPLAINT_CHANNEL, "category": COMPLAINT_CATEGORY,
                          "severity": COMPLAINT_SEVERITY, "root_cause": ROOT_CAUSE}
TITLES = FIELD_TITLES
SEVERITY_COLOURS = {"critical": "#b00020", "major": "#c25e00"}
STATUS_COLOURS = {"registered": "#1f5fa8", "accepted": "#1f5fa8", "processing": "#7a4fb3", "resolved": "#1b7f3b",
                  "closed": "#666666", "rejected": "#888888"}
RED, AMBER, GREEN = "#b00020", "#c25e00", "#1b7f3b"


SOURCES = {"desk": N_("Service desk"), "import": N_("Import"), "cli": N_("Command line"), "visit": N_("Return visit"),
           "interaction": N_("Interaction")}


def title(key: str) -> str:
    return gettext(TITLES.get(key, key))


def text_of(key: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if key in ENUMS:
        return ENUMS[key].label(str(value))
    if key == "source":
        return gettext(SOURCES.get(str(value), str(value)))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return money_text(value)  # compensation, claims
    if isinstance(value, bool):
        return gettext("Yes") if value else ""
    return str(value)


def span(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, rem = divmod(minutes, 24 * 60)
    hours, mins = divmod(rem, 60)
    if days:
        return gettext("{d} d {h} h").format(d=days, h=hours)
    if hours:
        return gettext("{h} h {m} min").format(h=hours, m=mins)
    return gettext("{m} min").format(m=mins)


def time_left(due: datetime | None, now: datetime | None = None) -> str:
    """'3 h 20 min left' / 'overdue 2 h 5 min' for the next due time of an open complaint."""
    if due is None:
        return ""
    delta = due - (now or datetime.now())
    if delta.total_seconds() < 0:
        return gettext("overdue {span}").format(span=span(delta))
    return gettext("{span} left").format(span=span(delta))


def time_left_colour(due: datetime | None, received_at: datetime | None, now: datetime | None = None) -> str | None:
    """Red when overdue, amber in the last quarter of the allowed time (or under 2 h), green otherwise."""
    if due is None:
        return None
    now = now or datetime.now()
    left = due - now
    if left.total_seconds() < 0:
        return RED
    total = (due - received_at) if received_at else timedelta(hours=8)
    if left < max(total / 4, timedelta(0)) or left < timedelta(hours=2):
        return AMBER
    return GREEN


def colour(key: str, value: object) -> QColor | None:
    if key == "severity" and value in SEVERITY_COLOURS:
        return QColor(SEVERITY_COLOURS[value])  # type: ignore[index]
    if key == "status" and value in STATUS_COLOURS:
        return QColor(STATUS_COLOURS[value])  # type: ignore[index]
    return None


def enum_combo(key: str, *, blank: str | None = None, default: str | None = None) -> QComboBox:
    w = QComboBox()
    w.setObjectName(f"combo_{key}")
    if blank is not None:
        w.addItem(blank, None)
    for k in ENUMS[key].keys:
        w.addItem(ENUMS[key].label(k), k)
    if default is not None:
        w.setCurrentIndex(max(w.findData(default), 0))
    return w
