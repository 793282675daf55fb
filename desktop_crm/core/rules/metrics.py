"""Period metrics (DOMAIN §6.5): churn, retention, repurchase, complaint rate, satisfaction, sales share.

The rate functions take already-aggregated counts and return an exact
`Fraction` (a share of 1, not a percentage), or None when the denominator is
zero — reports show "—" then. `to_percent` turns a fraction into a rounded
percentage for display.

Churn from status histories — interpretation:
* the status at time t is that of the latest entry with `at <= t` (entries at
  the same instant: the later one in the list wins); None before the first entry;
* the denominator is the customers whose status at `start` is `active`;
* the numerator is those of them with at least one change to `lost` at a time
  `start < at <= end` — even if they were won back later in the period
  (active → lost → active still counts as lost within the period);
* a customer who was not active at `start` (e.g. became active and then lost
  inside the period) counts in neither.
Consecutive periods (a, b], (b, c] therefore never count a change twice.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction

ACTIVE = "active"
LOST = "lost"


def ratio(numerator: int | Decimal | Fraction, denominator: int | Decimal | Fraction) -> Fraction | None:
    """numerator ÷ denominator as an exact fraction, None when the denominator is 0."""
    if denominator == 0:
        return None
    return Fraction(numerator) / Fraction(denominator)


def to_percent(value: Fraction | None, places: int = 2) -> Decimal | None:
    """A fraction as a percentage rounded half-up to `places` decimals (None stays None)."""
    if value is None:
        return None
    scaled = abs(value) * 100 * 10**places
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r >= scaled.denominator:  # half-up, away from zero
        q += 1
    return Decimal(-q if value < 0 else q).scaleb(-places)


def churn_rate(active_at_start: int, lost_in_period: int) -> Fraction | None:
    """Customers lost within the period ÷ customers active at its start."""
    _check_counts(active_at_start, lost_in_period)
    return ratio(lost_in_period, active_at_start)


def retention_rate(active_at_start: int, lost_in_period: int) -> Fraction | None:
    """1 − churn rate."""
    churn = churn_rate(active_at_start, lost_in_period)
    return None if churn is None else 1 - churn


def repurchase_rate(customers_two_plus: int, customers_one_plus: int) -> Fraction | None:
    """Customers with ≥ 2 orders in the period ÷ customers with ≥ 1 order."""
    _check_counts(customers_one_plus, customers_two_plus)
    return ratio(customers_two_plus, customers_one_plus)


def repurchase_from_counts(order_counts: Iterable[int]) -> Fraction | None:
    """Repurchase rate from the number of orders of each customer in the period."""
    counts = list(order_counts)
    return repurchase_rate(sum(1 for c in counts if c >= 2), sum(1 for c in counts if c >= 1))


def complaint_rate(complaints: int, orders: int) -> Fraction | None:
    """Complaints received in the period per 100 orders in the period."""
    if complaints < 0 or orders < 0:
        raise ValueError("counts must not be negative")
    return ratio(100 * complaints, orders)


def complaints_per_order(complaints: int, orders: int) -> Fraction | None:
    """Complaints ÷ orders (the per-customer form of the complaint rate)."""
    if complaints < 0 or orders < 0:
        raise ValueError("counts must not be negative")
    return ratio(complaints, orders)


@dataclass(frozen=True)
class Satisfaction:
    """Number of 1–5 scores, their mean (None when there are none) and the share of scores ≥ 4."""

    count: int
    mean: Fraction | None
    share_4_plus: Fraction | None


def satisfaction(scores: Iterable[int]) -> Satisfaction:
    """Mean and share ≥ 4 of the 1–5 satisfaction scores; ValueError on a score outside 1..5."""
    values = list(scores)
    for s in values:
        if isinstance(s, bool) or not isinstance(s, int) or not 1 <= s <= 5:
            raise ValueError(f"satisfaction score must be an integer 1..5, got {s!r}")
    n = len(values)
    return Satisfaction(n, ratio(sum(values), n), ratio(sum(1 for s in values if s >= 4), n))


def sales_share(customer_sales: Decimal, company_sales: Decimal) -> Fraction | None:
    """A customer's sales ÷ company sales."""
    return ratio(customer_sales, company_sales)


def status_at(history: Sequence[tuple[datetime, str]], t: datetime) -> str | None:
    """Status in effect at t: the latest entry with at ≤ t (the later list entry on equal times); None before any."""
    best: tuple[datetime, int, str] | None = None
    for i, (at, status) in enumerate(history):
        if at <= t and (best is None or (at, i) >= best[:2]):
            best = (at, i, status)
    return None if best is None else best[2]


@dataclass(frozen=True)
class ChurnCount:
    """Who was active at the start and who of them became lost within the period, and the churn rate."""

    active_at_start: frozenset[Hashable]
    lost_in_period: frozenset[Hashable]

    @property
    def rate(self) -> Fraction | None:
        """Churn rate."""
        return churn_rate(len(self.active_at_start), len(self.lost_in_period))

    @property
    def retention(self) -> Fraction | None:
        """Retention rate."""
        return retention_rate(len(self.active_at_start), len(self.lost_in_period))


def churn_from_history(
    histories: Mapping[Hashable, Sequence[tuple[datetime, str]]],
    start: datetime | date,
    end: datetime | date,
) -> ChurnCount:
    """Active-at-start and lost-within-(start, end] customers from status histories (see module doc).

    A `date` start means the start of that day, a `date` end the end of that day.
    """
    t0 = start if isinstance(start, datetime) else datetime.combine(start, time.min)
    t1 = end if isinstance(end, datetime) else datetime.combine(end, time.max)
    if t1 < t0:
        raise ValueError("the period ends before it starts")
    active: set[Hashable] = set()
    lost: set[Hashable] = set()
    for cid, history in histories.items():
        if status_at(history, t0) != ACTIVE:
            continue
        active.add(cid)
        if any(t0 < at <= t1 and status == LOST for at, status in history):
            lost.add(cid)
    return ChurnCount(frozenset(active), frozenset(lost))


def _check_counts(denominator: int, numerator: int) -> None:
    if denominator < 0 or numerator < 0:
        raise ValueError("counts must not be negative")
    if numerator > denominator:
        raise ValueError("the numerator cannot exceed the denominator")
