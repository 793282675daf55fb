"""ABC analysis (DOMAIN §6.4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_crm.core.rules.abc import ABCParams, abc_analysis, abc_class_for

D = Decimal


def test_hand_worked_table():
    rows = [
        (1, "C000001", D("50.00")),
        (2, "C000002", D("30.00")),  # P = 50% → A; crosses 75% but is still A
        (3, "C000003", D("15.00")),  # P = 80% → B
        (4, "C000004", D("5.00")),  # P = 95% → C (not < 95%)
        (5, "C000005", D("0.00")),  # zero sales → C
    ]
    result = abc_analysis(rows)
    assert [(r.customer_id, r.rank, r.share, r.cumulative_share, r.abc_class) for r in result.rows] == [
        (1, 1, D("0.5000"), D("0.5000"), "A"),
        (2, 2, D("0.3000"), D("0.8000"), "A"),
        (3, 3, D("0.1500"), D("0.9500"), "B"),
        (4, 4, D("0.0500"), D("1.0000"), "C"),
        (5, 5, D("0.0000"), D("1.0000"), "C"),
    ]
    assert result.total_sales == D("100.00")
    assert [(c.abc_class, c.count, c.sales, c.share) for c in result.classes] == [
        ("A", 2, D("80.00"), D("0.8000")),
        ("B", 1, D("15.00"), D("0.1500")),
        ("C", 2, D("5.00"), D("0.0500")),
    ]


def test_exactly_75_percent_before_is_b():
    rows = [(1, "C1", D(75)), (2, "C2", D(20)), (3, "C3", D(5))]
    assert [r.abc_class for r in abc_analysis(rows).rows] == ["A", "B", "C"]


def test_ties_ordered_by_code():
    rows = [(1, "C000009", D(40)), (2, "C000002", D(40)), (3, "C000005", D(20))]
    result = abc_analysis(rows)
    assert [r.code for r in result.rows] == ["C000002", "C000009", "C000005"]
    assert [r.abc_class for r in result.rows] == ["A", "A", "B"]  # P = 0, 40%, 80%


def test_single_customer_is_a():
    (row,) = abc_analysis([(1, "C1", D("12.34"))]).rows
    assert (row.rank, row.share, row.cumulative_share, row.abc_class) == (1, D("1.0000"), D("1.0000"), "A")


def test_all_zero_sales_and_empty():
    result = abc_analysis([(1, "C1", D(0)), (2, "C2", D(0))])
    assert [r.abc_class for r in result.rows] == ["C", "C"]
    assert all(r.share == 0 and r.cumulative_share == 0 for r in result.rows)
    assert [c.count for c in result.classes] == [0, 0, 2]
    empty = abc_analysis([])
    assert empty.rows == () and [c.count for c in empty.classes] == [0, 0, 0] and empty.total_sales == 0


def test_thirds_round_to_exactly_one():
    result = abc_analysis([(i, f"C{i}", D(1)) for i in range(3)])
    assert [r.share for r in result.rows] == [D("0.3334"), D("0.3333"), D("0.3333")]
    assert result.rows[-1].cumulative_share == D("1.0000")


def test_parameters():
    params = ABCParams(a_limit=D("0.5"), b_limit=D("0.8"), places=2)
    result = abc_analysis([(1, "C1", D(50)), (2, "C2", D(30)), (3, "C3", D(20))], params)
    assert [r.abc_class for r in result.rows] == ["A", "B", "C"]
    assert result.rows[0].share == D("0.50")
    assert result.params is params
    assert abc_class_for(D("0.49"), D(1), params) == "A"
    assert abc_class_for(D("0"), D(0), params) == "C"
    with pytest.raises(ValueError):
        ABCParams(a_limit=D("0.9"), b_limit=D("0.8"))
    with pytest.raises(ValueError):
        abc_analysis([(1, "C1", D(1)), (1, "C2", D(1))])


_sales = st.lists(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
                  min_size=1, max_size=200)


@given(_sales)
def test_shares_sum_to_one(values):
    result = abc_analysis([(i, f"C{i:06d}", v) for i, v in enumerate(values)])
    if result.total_sales == 0:
        assert all(r.abc_class == "C" for r in result.rows)
        return
    assert sum(r.share for r in result.rows) == 1
    assert result.rows[-1].cumulative_share == 1
    assert sum(c.share for c in result.classes) == 1
    assert sum(c.sales for c in result.classes) == result.total_sales
    assert sum(c.count for c in result.classes) == len(values)
    for r in result.rows:  # each shown share is within one unit of the exact share
        assert abs(r.share - r.sales / result.total_sales) < D("0.0001")


@given(_sales)
def test_classes_monotone_in_sales(values):
    rows = abc_analysis([(i, f"C{i:06d}", v) for i, v in enumerate(values)]).rows
    for a, b in zip(rows, rows[1:], strict=False):
        assert a.sales >= b.sales
        assert a.abc_class <= b.abc_class  # "A" < "B" < "C"
    for r in rows:
        if r.sales == 0:
            assert r.abc_class == "C"
    if any(v > 0 for v in values):
        assert rows[0].abc_class == "A"
