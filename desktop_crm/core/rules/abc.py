"""ABC analysis of customers by sales (DOMAIN §6.4, 客户构成分析).

Customers are sorted by sales descending, ties by code ascending (then id).
P_i = cumulative share of the customers *before* i. Class A if P_i < 75%,
B if P_i < 95%, else C — so the customer that crosses 75% is still A.
Customers with zero (or negative, e.g. net returns) sales are always C.

Classes are decided on exact fractions. The shares shown are rounded to
`params.places` decimals of a fraction (4 → 0.01%) by largest-remainder
rounding so that the customers' shares add up to exactly 1; the cumulative
share shown for a customer is the running sum of the shown shares up to and
including it (so the last one is exactly 1). The three class shares are
apportioned the same way on their own, so they also add up to exactly 1.
When total sales are not positive, every share is 0 and everyone is C.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from desktop_crm.core.rules.rounding import apportion

CLASSES = ("A", "B", "C")


@dataclass(frozen=True)
class ABCParams:
    """Limits on the cumulative share before a customer (fractions), and decimals of the shown shares."""

    a_limit: Decimal = Decimal("0.75")
    b_limit: Decimal = Decimal("0.95")
    places: int = 4

    def __post_init__(self) -> None:
        if not 0 <= self.a_limit <= self.b_limit <= 1:
            raise ValueError("ABC limits must satisfy 0 <= a_limit <= b_limit <= 1")
        if not 0 <= self.places <= 12:
            raise ValueError("places must be within 0..12")


@dataclass(frozen=True)
class ABCRow:
    """One customer: rank, sales, share and cumulative share (fractions of total, rounded) and class."""

    customer_id: Hashable
    code: str
    rank: int
    sales: Decimal
    share: Decimal
    cumulative_share: Decimal
    abc_class: str


@dataclass(frozen=True)
class ABCClassSummary:
    """One class: number of customers, their sales and their share of total sales."""

    abc_class: str
    count: int
    sales: Decimal
    share: Decimal


@dataclass(frozen=True)
class ABCResult:
    """Rows in rank order, the A/B/C summaries (always three, in that order), total sales and parameters."""

    rows: tuple[ABCRow, ...]
    classes: tuple[ABCClassSummary, ...]
    total_sales: Decimal
    params: ABCParams

    def by_id(self) -> dict[Hashable, ABCRow]:
        """Rows keyed by customer id."""
        return {r.customer_id: r for r in self.rows}


def abc_class_for(cumulative_before: Fraction | Decimal, sales: Decimal, params: ABCParams | None = None) -> str:
    """Class of a customer from P_i (the exact cumulative share before it, a fraction) and its sales."""
    p = params or ABCParams()
    if sales <= 0:
        return "C"
    before = Fraction(cumulative_before)
    if before < Fraction(p.a_limit):
        return "A"
    if before < Fraction(p.b_limit):
        return "B"
    return "C"


def abc_analysis(rows: Iterable[tuple[Hashable, str, Decimal]], params: ABCParams | None = None) -> ABCResult:
    """ABC-classify (customer_id, code, sales) rows of one scope and period."""
    p = params or ABCParams()
    items = list(rows)
    ids = [row[0] for row in items]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate customer id")
    for row in items:
        if not isinstance(row[2], Decimal | int) or isinstance(row[2], bool):
            raise TypeError("sales must be Decimal")
    ordered = sorted(((cid, code, Decimal(s)) for cid, code, s in items), key=lambda r: (-r[2], r[1], str(r[0])))
    total = sum((r[2] for r in ordered), Decimal(0))
    quantum = Decimal(1).scaleb(-p.places)
    positive = total > 0

    exact = [Fraction(s) / Fraction(total) if positive else Fraction(0) for _c, _k, s in ordered]
    shown = apportion(exact, quantum) if positive else [Decimal(0).quantize(quantum)] * len(ordered)

    out: list[ABCRow] = []
    before = Fraction(0)
    running = Decimal(0).quantize(quantum)
    for rank, ((cid, code, sales), share, fraction) in enumerate(zip(ordered, shown, exact, strict=True), 1):
        cls = abc_class_for(before, sales, p) if positive else "C"
        running += share
        out.append(ABCRow(cid, code, rank, sales, share, running, cls))
        before += fraction

    counts = {c: 0 for c in CLASSES}
    sales_by = {c: Decimal(0) for c in CLASSES}
    for r in out:
        counts[r.abc_class] += 1
        sales_by[r.abc_class] += r.sales
    if positive:
        class_shares = apportion([Fraction(sales_by[c]) / Fraction(total) for c in CLASSES], quantum)
    else:
        class_shares = [Decimal(0).quantize(quantum)] * 3
    summaries = tuple(
        ABCClassSummary(c, counts[c], sales_by[c], share) for c, share in zip(CLASSES, class_shares, strict=True)
    )
    return ABCResult(tuple(out), summaries, total, p)
