"""Loyalty stage (DOMAIN §6.3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop_crm.core.rules.loyalty import LoyaltyParams, loyalty_stage, twelve_months_before

T = date(2024, 6, 30)


@pytest.mark.parametrize("first_order, n12, stage", [
    (None, 0, "potential"),
    (T + timedelta(days=1), 0, "potential"),  # first order after T: none yet at T
    (T, 1, "new"),
    (T - timedelta(days=364), 12, "new"),  # tenure 364 < 365
    (T - timedelta(days=365), 0, "old"),
    (T - timedelta(days=365), 2, "old"),
    (T - timedelta(days=365), 3, "regular"),
    (T - timedelta(days=365), 10, "regular"),  # many orders but tenure < 730
    (T - timedelta(days=729), 6, "regular"),
    (T - timedelta(days=730), 6, "loyal"),
    (T - timedelta(days=730), 5, "regular"),
    (T - timedelta(days=3000), 0, "old"),
])
def test_stage_table(first_order, n12, stage):
    assert loyalty_stage(T, first_order, n12) == stage


def test_parameters():
    params = LoyaltyParams(new_days=30, loyal_days=60, loyal_orders=2, regular_orders=1)
    assert loyalty_stage(T, T - timedelta(days=29), 5, params) == "new"
    assert loyalty_stage(T, T - timedelta(days=60), 2, params) == "loyal"
    assert loyalty_stage(T, T - timedelta(days=40), 2, params) == "regular"
    assert loyalty_stage(T, T - timedelta(days=40), 0, params) == "old"


def test_negative_orders_rejected():
    with pytest.raises(ValueError):
        loyalty_stage(T, T, -1)


def test_twelve_months_before():
    assert twelve_months_before(date(2024, 6, 30)) == date(2023, 6, 30)
    assert twelve_months_before(date(2024, 2, 29)) == date(2023, 2, 28)
    assert twelve_months_before(date(2025, 1, 1)) == date(2024, 1, 1)
