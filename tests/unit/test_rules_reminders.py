"""Care reminders (DOMAIN §3)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop_crm.core.rules.reminders import (
    ReminderParams,
    anniversary_in,
    contract_ending,
    days_since,
    follow_up_due,
    next_anniversary,
    no_action_this_month,
    no_order,
    not_contacted,
    upcoming_anniversary,
    upcoming_birthday,
)


@pytest.mark.parametrize("birthday, today, expected", [
    (date(1990, 3, 10), date(2024, 3, 5), (date(2024, 3, 10), 5, 34)),
    (date(1990, 3, 5), date(2024, 3, 5), (date(2024, 3, 5), 0, 34)),  # today
    (date(1990, 3, 12), date(2024, 3, 5), (date(2024, 3, 12), 7, 34)),  # exactly 7 days: included
    (date(1990, 3, 13), date(2024, 3, 5), None),  # 8 days
    (date(1990, 3, 4), date(2024, 3, 5), None),  # yesterday: next one is a year away
    (date(1990, 1, 2), date(2024, 12, 28), (date(2025, 1, 2), 5, 35)),  # year wrap
    (date(2000, 2, 29), date(2023, 2, 25), (date(2023, 2, 28), 3, 23)),  # non-leap year → Feb 28
    (date(2000, 2, 29), date(2024, 2, 25), (date(2024, 2, 29), 4, 24)),  # leap year
    (date(2000, 2, 29), date(2023, 2, 28), (date(2023, 2, 28), 0, 23)),
    (date(2000, 2, 29), date(2023, 3, 1), None),
    (date(2030, 1, 1), date(2024, 3, 5), None),  # born in the future: bad data, no reminder
    (None, date(2024, 3, 5), None),
])
def test_upcoming_birthday(birthday, today, expected):
    result = upcoming_birthday(birthday, today)
    assert (None if result is None else (result.on, result.days_until, result.years)) == expected


def test_birthday_window_parameter_and_datetimes():
    params = ReminderParams(birthday_days=30)
    assert upcoming_birthday(date(1990, 4, 1), datetime(2024, 3, 5, 23, 59), params).days_until == 27
    assert anniversary_in(date(2000, 2, 29), 2025) == date(2025, 2, 28)
    assert next_anniversary(date(2020, 12, 31), date(2024, 12, 31)).days_until == 0


def test_contract_anniversary():
    assert upcoming_anniversary(date(2023, 3, 20), date(2024, 3, 5)).on == date(2024, 3, 20)
    assert upcoming_anniversary(date(2024, 3, 1), date(2024, 3, 5)) is None  # first one is a year away
    assert upcoming_anniversary(date(2024, 3, 5), date(2024, 3, 5)) is None  # signing day is no anniversary
    assert upcoming_anniversary(None, date(2024, 3, 5)) is None


@pytest.mark.parametrize("last, expected", [
    (None, True),
    (date(2024, 3, 5), False),
    (date(2024, 2, 5), False),  # 29 days
    (date(2024, 2, 4), True),  # 30 days
    (datetime(2024, 2, 4, 23, 59), True),
])
def test_not_contacted(last, expected):
    assert not_contacted(last, date(2024, 3, 5)) is expected


def test_no_order_churn_warning():
    today = date(2024, 6, 30)
    assert no_order(None, today)
    assert not no_order(date(2024, 1, 3), today)  # 179 days
    assert no_order(date(2024, 1, 2), today)  # 180 days
    assert not no_order(date(2024, 1, 2), today, ReminderParams(no_order_days=181))
    assert days_since(date(2024, 1, 2), today) == 180
    assert days_since(None, today) is None


@pytest.mark.parametrize("end, expected", [
    (date(2024, 3, 5), True),  # ends today
    (date(2024, 4, 4), True),  # 30 days
    (date(2024, 4, 5), False),  # 31 days
    (date(2024, 3, 4), False),  # already ended
    (None, False),
])
def test_contract_ending(end, expected):
    assert contract_ending(end, date(2024, 3, 5)) is expected


def test_follow_up_due():
    today = date(2024, 3, 5)
    assert follow_up_due(date(2024, 3, 5), today)
    assert follow_up_due(datetime(2024, 3, 1, 9), today)
    assert not follow_up_due(date(2024, 3, 6), today)
    assert not follow_up_due(None, today)


@pytest.mark.parametrize("last, expected", [
    (None, True),
    (date(2024, 3, 1), False),
    (datetime(2024, 3, 31, 8), False),
    (date(2024, 2, 29), True),
    (date(2023, 3, 15), True),  # same month, other year
])
def test_no_action_this_month(last, expected):
    assert no_action_this_month(last, date(2024, 3, 15)) is expected
