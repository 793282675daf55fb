"""Value grade / customer pyramid (DOMAIN §6.2)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_crm.core.rules.grading import (
    GradeParams,
    explain_grade,
    format_explanation,
    grade_customers,
    grade_cutoffs,
    grade_for_rank,
)

D = Decimal


def _population(n: int) -> list[tuple[int, str, Decimal]]:
    return [(i, f"C{i:06d}", D(1000 - i)) for i in range(1, n + 1)]


@pytest.mark.parametrize("n, cutoffs, counts", [
    (0, (0, 0, 0), (0, 0, 0, 0)),
    (1, (1, 1, 1), (1, 0, 0, 0)),
    (3, (1, 1, 2), (1, 0, 1, 1)),
    (10, (1, 2, 5), (1, 1, 3, 5)),
    (100, (1, 20, 50), (1, 19, 30, 50)),
    (101, (2, 21, 51), (2, 19, 30, 50)),
])
def test_cutoffs_and_counts(n, cutoffs, counts):
    result = grade_customers(_population(n))
    assert grade_cutoffs(n) == cutoffs
    assert result.cutoffs == cutoffs
    assert result.n == n
    assert tuple(result.counts().values()) == counts


def test_hand_worked_table_with_ties():
    rows = [
        (10, "C000010", D("500.00")),
        (11, "C000011", D("900.00")),
        (12, "C000003", D("500.00")),  # tie with C000010: the smaller code ranks first
        (13, "C000004", D("0")),
        (14, "C000005", D("-20.00")),  # net returns: last
    ]
    result = grade_customers(rows)
    # N = 5: cut-offs ceil(0.05)=1, ceil(1.0)=1, ceil(2.5)=3
    assert [(c.customer_id, c.rank, c.grade) for c in result.customers] == [
        (11, 1, "key_important"),
        (12, 2, "ordinary"),
        (10, 3, "ordinary"),
        (13, 4, "small"),
        (14, 5, "small"),
    ]
    assert result.params == GradeParams()


def test_single_customer_is_key_important():
    (only,) = grade_customers([("x", "C000001", D("0"))]).customers
    assert (only.rank, only.grade) == (1, "key_important")


def test_custom_parameters_are_carried():
    params = GradeParams(D("0.10"), D("0.30"), D("0.60"))
    result = grade_customers(_population(10), params)
    assert result.params is params
    assert result.cutoffs == (1, 3, 6)
    assert grade_for_rank(4, 10, params) == "ordinary"


def test_bad_parameters_and_input():
    with pytest.raises(ValueError):
        GradeParams(D("0.3"), D("0.2"), D("0.5"))
    with pytest.raises(ValueError):
        grade_customers([(1, "C1", D(1)), (1, "C2", D(2))])
    with pytest.raises(TypeError):
        grade_customers([(1, "C1", 1.5)])
    with pytest.raises(ValueError):
        grade_for_rank(0, 5)


def test_explanation():
    result = grade_customers(_population(101))
    top = explain_grade(result, 1)
    assert (top.rank, top.n, top.value, top.grade, top.cutoff_rank, top.top_share) == (
        1, 101, D(999), "key_important", 2, D("0.01"))
    assert format_explanation(top) == (
        "Rank 1 of 101 by value 999: within the top 1% (rank ≤ 2) → Key (important).")
    low = explain_grade(result, 60)
    assert (low.grade, low.cutoff_rank, low.top_share) == ("small", 51, D("0.50"))
    assert "below the top 50% (rank > 51)" in format_explanation(low)
    with pytest.raises(KeyError):
        explain_grade(result, 999)


@given(st.lists(st.integers(min_value=-1000, max_value=10**6), max_size=300))
def test_grades_partition_population_by_percentages(values):
    rows = [(i, f"C{i:06d}", D(v)) for i, v in enumerate(values)]
    result = grade_customers(rows)
    n = len(values)
    counts = result.counts()
    assert sum(counts.values()) == n
    assert counts["key_important"] == math.ceil(n / 100)
    assert counts["key_important"] + counts["key_secondary"] == math.ceil(n * 20 / 100)
    assert n - counts["small"] == math.ceil(n * 50 / 100)
    assert [c.rank for c in result.customers] == list(range(1, n + 1))
    # higher value never gets a lower grade
    order = ["key_important", "key_secondary", "ordinary", "small"]
    for a, b in zip(result.customers, result.customers[1:], strict=False):
        assert a.value >= b.value
        assert order.index(a.grade) <= order.index(b.grade)
