"""Seasonal index and monthly targets (DOMAIN §6.6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_crm.core.rules.seasonal import seasonal_index

D = Decimal


def test_hand_worked_two_years_one_month_without_sales():
    # 2022 and 2023; December never sold; every other month m sold 100·m in 2022 and 300·m in 2023.
    sales = {}
    for m in range(1, 12):
        sales[(2022, m)] = D(100 * m)
        sales[(2023, m)] = D(300 * m)
    sales[(2021, 5)] = D(10**6)  # outside the chosen years: ignored
    result = seasonal_index(sales, [2023, 2022], D("132000"))
    # ΣS = 400·66 = 26400; A = 26400 / 24 = 1100; A_m = 200·m; SI_m = 200m/1100·100 = 18.1818·m
    assert result.years == (2022, 2023)
    assert result.total_sales == D(26400)
    assert result.overall_average == D("1100.00")
    jan, jun, dec = result.months[0], result.months[5], result.months[11]
    # share_1 = 1.5151…% stays 1.51 (largest remainder: the four extra units go to months 11, 9, 7, 5)
    assert (jan.month, jan.average, jan.index, jan.share, jan.target) == (
        1, D("200.00"), D("18.18"), D("1.51"), D("2000.00"))
    assert [m.share for m in result.months] == [D(x) for x in (
        "1.51", "3.03", "4.54", "6.06", "7.58", "9.09", "10.61", "12.12", "13.64", "15.15", "16.67", "0.00")]
    assert (jun.average, jun.index, jun.share, jun.target) == (D("1200.00"), D("109.09"), D("9.09"), D("12000.00"))
    assert (dec.average, dec.index, dec.share, dec.target) == (D("0.00"), D("0.00"), D("0.00"), D("0.00"))
    assert sum(m.index for m in result.months) == D("1200.00")
    assert sum(m.share for m in result.months) == D("100.00")
    assert sum(m.target for m in result.months) == D("132000.00")


def test_flat_sales_give_index_100():
    result = seasonal_index({(2023, m): D(50) for m in range(1, 13)}, [2023], D("1200"))
    assert {m.index for m in result.months} == {D("100.00")}
    assert {m.target for m in result.months} == {D("100.00")}
    assert sum(m.share for m in result.months) == 100


def test_targets_split_by_largest_remainder():
    # equal months, target 100.00 → 8.34 ×4 and 8.33 ×8 (earlier months get the extra cent)
    result = seasonal_index({(2023, m): D(1) for m in range(1, 13)}, [2023], D("100"))
    assert [m.target for m in result.months] == [D("8.34")] * 4 + [D("8.33")] * 8
    assert [m.share for m in result.months] == [D("8.34")] * 4 + [D("8.33")] * 8


def test_no_sales_is_a_clear_error():
    with pytest.raises(ValueError, match="no sales in 2021, 2022, 2023"):
        seasonal_index({}, [2021, 2022, 2023], D("1000"))
    with pytest.raises(ValueError, match="no sales"):
        seasonal_index({(2020, 1): D(5), (2021, 3): D(0)}, [2021], D("1000"))
    with pytest.raises(ValueError):
        seasonal_index({(2021, 1): D(5)}, [], D("1000"))
    with pytest.raises(ValueError):
        seasonal_index({(2021, 13): D(5)}, [2021], D("1000"))
    with pytest.raises(ValueError):
        seasonal_index({(2021, 1): D(5)}, [2021], D("-1"))


_month_sales = st.dictionaries(
    st.tuples(st.sampled_from([2021, 2022, 2023]), st.integers(1, 12)),
    st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
    min_size=1,
)
_targets = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)


@given(_month_sales, _targets)
def test_shares_sum_to_100_and_targets_to_annual_target(sales, target):
    if sum(sales.values()) == 0:
        with pytest.raises(ValueError):
            seasonal_index(sales, [2021, 2022, 2023], target)
        return
    result = seasonal_index(sales, [2021, 2022, 2023], target)
    assert len(result.months) == 12
    assert sum(m.share for m in result.months) == 100
    assert sum(m.index for m in result.months) == 1200
    assert sum(m.target for m in result.months) == target
    total = sum(sales.values())
    for m in result.months:
        month_total = sum(v for (_y, mo), v in sales.items() if mo == m.month)
        assert abs(m.share - 100 * month_total / total) < D("0.01")
        assert abs(m.target - target * month_total / total) < D("0.01")
        assert m.target >= 0 and m.share >= 0
