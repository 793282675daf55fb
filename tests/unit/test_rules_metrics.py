"""Period metrics (DOMAIN §6.5)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction as F

import pytest

from desktop_crm.core.rules.metrics import (
    churn_from_history,
    churn_rate,
    complaint_rate,
    complaints_per_order,
    repurchase_from_counts,
    repurchase_rate,
    retention_rate,
    sales_share,
    satisfaction,
    status_at,
    to_percent,
)


def test_rates_from_counts():
    assert churn_rate(40, 3) == F(3, 40)
    assert retention_rate(40, 3) == F(37, 40)
    assert churn_rate(0, 0) is None and retention_rate(0, 0) is None
    assert repurchase_rate(3, 12) == F(1, 4)
    assert repurchase_rate(0, 0) is None
    assert repurchase_from_counts([0, 1, 2, 5, 1]) == F(2, 4)
    assert repurchase_from_counts([]) is None
    assert complaint_rate(3, 250) == F(6, 5)  # 1.2 complaints per 100 orders
    assert complaint_rate(1, 0) is None
    assert complaints_per_order(3, 250) == F(3, 250)
    assert sales_share(Decimal("25.00"), Decimal("200.00")) == F(1, 8)
    assert sales_share(Decimal("0"), Decimal("0")) is None


def test_rate_inputs_checked():
    with pytest.raises(ValueError):
        churn_rate(3, 4)
    with pytest.raises(ValueError):
        repurchase_rate(-1, 2)
    with pytest.raises(ValueError):
        complaint_rate(-1, 2)


def test_satisfaction():
    s = satisfaction([5, 4, 3, 1, 5])
    assert (s.count, s.mean, s.share_4_plus) == (5, F(18, 5), F(3, 5))
    empty = satisfaction([])
    assert (empty.count, empty.mean, empty.share_4_plus) == (0, None, None)
    for bad in ([0], [6], [True], [4.5]):
        with pytest.raises(ValueError):
            satisfaction(bad)


def test_to_percent():
    assert to_percent(F(1, 3)) == Decimal("33.33")
    assert to_percent(F(2, 3)) == Decimal("66.67")
    assert to_percent(F(1, 8), 1) == Decimal("12.5")
    assert to_percent(F(1, 800), 1) == Decimal("0.1")  # 0.125 half-up
    assert to_percent(F(-1, 800), 1) == Decimal("-0.1")
    assert to_percent(None) is None


def dt(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 3, day, hour)


def test_status_at():
    history = [(dt(10), "active"), (dt(1), "potential"), (dt(20), "lost")]  # unsorted on purpose
    assert status_at(history, dt(1) - (dt(2) - dt(1))) is None
    assert status_at(history, dt(1)) == "potential"
    assert status_at(history, dt(15)) == "active"
    assert status_at(history, dt(20)) == "lost"
    assert status_at([(dt(5), "active"), (dt(5), "lost")], dt(5)) == "lost"  # same instant: later entry wins
    assert status_at([], dt(5)) is None


def test_churn_from_history_hand_worked():
    start, end = dt(1), dt(31, 23)
    histories = {
        "a": [(datetime(2023, 1, 1), "active")],  # active all period
        "b": [(datetime(2023, 1, 1), "active"), (dt(10), "lost")],  # lost within
        "c": [(datetime(2023, 1, 1), "active"), (dt(5), "lost"), (dt(20), "active")],  # twice: still lost
        "d": [(datetime(2023, 1, 1), "target"), (dt(3), "active"), (dt(9), "lost")],  # not active at start
        "e": [(datetime(2023, 1, 1), "active"), (datetime(2024, 4, 2), "lost")],  # lost after the period
        "f": [(datetime(2023, 1, 1), "lost")],  # already lost
        "g": [(datetime(2023, 1, 1), "active"), (dt(1), "lost")],  # change at the start instant: start state
        "h": [(datetime(2023, 1, 1), "active"), (end, "lost")],  # change at the end instant: within
        "i": [],
    }
    result = churn_from_history(histories, start, end)
    assert result.active_at_start == {"a", "b", "c", "e", "h"}
    assert result.lost_in_period == {"b", "c", "h"}
    assert result.rate == F(3, 5)
    assert result.retention == F(2, 5)


def test_churn_from_history_with_dates_and_empty():
    histories = {1: [(datetime(2024, 1, 1, 9), "active"), (datetime(2024, 3, 31, 18), "lost")]}
    result = churn_from_history(histories, date(2024, 3, 1), date(2024, 3, 31))
    assert result.lost_in_period == {1} and result.rate == 1
    none = churn_from_history({}, date(2024, 3, 1), date(2024, 3, 31))
    assert none.rate is None and none.retention is None
    with pytest.raises(ValueError):
        churn_from_history({}, date(2024, 3, 2), date(2024, 3, 1))


def test_consecutive_periods_count_each_change_once():
    histories = {1: [(datetime(2024, 1, 1), "active"), (datetime(2024, 2, 1), "lost")]}
    jan = churn_from_history(histories, datetime(2024, 1, 1), datetime(2024, 2, 1))
    feb = churn_from_history(histories, datetime(2024, 2, 1), datetime(2024, 3, 1))
    assert len(jan.lost_in_period) + len(feb.lost_in_period) == 1
