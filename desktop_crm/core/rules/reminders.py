"""Care reminders (DOMAIN §3, 客户关怀): pure date rules evaluated on a given day `today`.

Conventions: datetimes are reduced to their date; "within N days" means
0 ≤ days until the event ≤ N (today included); "not … for N days" means at
least N whole days since the last event, or no event at all. A Feb 29 birthday
or anniversary falls on Feb 28 in non-leap years; a date in December seen from
late December wraps to next year's January naturally.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ReminderParams:
    """Days ahead / days of silence for each reminder (administrator settings)."""

    birthday_days: int = 7
    not_contacted_days: int = 30
    no_order_days: int = 180
    contract_days: int = 30


@dataclass(frozen=True)
class Upcoming:
    """The next occurrence of a yearly date, how many days until it and which anniversary it is."""

    on: date
    days_until: int
    years: int  # age turned on a birthday, 1 for the first anniversary


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def anniversary_in(original: date, year: int) -> date:
    """The anniversary of `original` in `year` (Feb 29 → Feb 28 in non-leap years)."""
    try:
        return original.replace(year=year)
    except ValueError:
        return original.replace(year=year, day=28)


def next_anniversary(original: date | datetime, today: date | datetime) -> Upcoming | None:
    """The next anniversary on or after today; None when `original` is after today."""
    orig, day = _day(original), _day(today)
    if orig > day:
        return None
    on = anniversary_in(orig, day.year)
    if on < day:
        on = anniversary_in(orig, day.year + 1)
    return Upcoming(on, (on - day).days, on.year - orig.year)


def upcoming_birthday(
    birthday: date | datetime | None, today: date | datetime, params: ReminderParams | None = None
) -> Upcoming | None:
    """The next birthday when it is within `birthday_days` days (today included), else None."""
    if birthday is None:
        return None
    nxt = next_anniversary(birthday, today)
    days = (params or ReminderParams()).birthday_days
    return nxt if nxt is not None and nxt.days_until <= days else None


def upcoming_anniversary(
    signed: date | datetime | None, today: date | datetime, days: int = 30
) -> Upcoming | None:
    """A contract anniversary (not the signing day itself) within `days` days, else None."""
    if signed is None:
        return None
    nxt = next_anniversary(signed, today)
    return nxt if nxt is not None and nxt.years >= 1 and nxt.days_until <= days else None


def days_since(last: date | datetime | None, today: date | datetime) -> int | None:
    """Whole days from `last` to today (negative when last is in the future); None when there is none."""
    return None if last is None else (_day(today) - _day(last)).days


def not_contacted(
    last_contact: date | datetime | None, today: date | datetime, params: ReminderParams | None = None
) -> bool:
    """True when the last contact is at least `not_contacted_days` days ago, or there was none."""
    since = days_since(last_contact, today)
    return since is None or since >= (params or ReminderParams()).not_contacted_days


def no_order(
    last_order: date | datetime | None, today: date | datetime, params: ReminderParams | None = None
) -> bool:
    """Churn warning: True when the last order is at least `no_order_days` days ago, or there was none."""
    since = days_since(last_order, today)
    return since is None or since >= (params or ReminderParams()).no_order_days


def contract_ending(
    end: date | datetime | None, today: date | datetime, params: ReminderParams | None = None
) -> bool:
    """True when the contract ends today or within `contract_days` days; ended contracts give False."""
    if end is None:
        return False
    left = (_day(end) - _day(today)).days
    return 0 <= left <= (params or ReminderParams()).contract_days


def follow_up_due(next_date: date | datetime | None, today: date | datetime) -> bool:
    """True when a planned follow-up is due today or overdue."""
    return next_date is not None and _day(next_date) <= _day(today)


def no_action_this_month(last_action: date | datetime | None, today: date | datetime) -> bool:
    """True when the latest action is not in today's calendar month (or there is none)."""
    if last_action is None:
        return True
    a, t = _day(last_action), _day(today)
    return (a.year, a.month) != (t.year, t.month)
