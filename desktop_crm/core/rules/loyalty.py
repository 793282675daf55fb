"""Loyalty stage (DOMAIN §6.3): potential → new → regular / old → loyal.

At date T, with n12 = orders in the 12 months before T and tenure = T − first
order date (in days): no orders → `potential`; tenure < 365 → `new`;
tenure ≥ 730 and n12 ≥ 6 → `loyal`; n12 ≥ 3 → `regular`; else `old`.
A first order after T counts as "no orders yet" at T (→ `potential`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

POTENTIAL = "potential"
NEW = "new"
REGULAR = "regular"
OLD = "old"
LOYAL = "loyal"
STAGES = (POTENTIAL, NEW, REGULAR, OLD, LOYAL)


@dataclass(frozen=True)
class LoyaltyParams:
    """Thresholds of the loyalty stages (administrator settings)."""

    new_days: int = 365  # tenure below this → new
    loyal_days: int = 730  # tenure at least this (and loyal_orders) → loyal
    loyal_orders: int = 6  # n12 at least this (and loyal_days) → loyal
    regular_orders: int = 3  # n12 at least this → regular


def loyalty_stage(as_of: date, first_order: date | None, n12: int, params: LoyaltyParams | None = None) -> str:
    """The loyalty stage key at `as_of` from the first order date and the orders of the last 12 months."""
    p = params or LoyaltyParams()
    if n12 < 0:
        raise ValueError("n12 must not be negative")
    if first_order is None or first_order > as_of:
        return POTENTIAL
    tenure = (as_of - first_order).days
    if tenure < p.new_days:
        return NEW
    if tenure >= p.loyal_days and n12 >= p.loyal_orders:
        return LOYAL
    if n12 >= p.regular_orders:
        return REGULAR
    return OLD


def twelve_months_before(as_of: date) -> date:
    """Start of the n12 window [start, as_of): the same day a year earlier (Feb 29 → Feb 28)."""
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:
        return as_of.replace(year=as_of.year - 1, day=28)
