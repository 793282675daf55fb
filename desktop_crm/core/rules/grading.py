"""Value grade, the customer pyramid (DOMAIN §6.2).

The population (customers with status `active`) is ranked by value descending,
ties by code ascending (then by customer id, for determinism); rank r = 1..N.
With the default shares 1% / 20% / 50%:
`key_important` if r <= ceil(0.01 N), `key_secondary` if r <= ceil(0.20 N),
`ordinary` if r <= ceil(0.50 N), else `small`. Cut-offs are computed exactly
(shares are Decimals, never floats), so ceil(0.20 * 100) is 20, not 21.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from desktop_crm.core.enums import GRADE
from desktop_crm.core.i18n import _

KEY_IMPORTANT = "key_important"
KEY_SECONDARY = "key_secondary"
ORDINARY = "ordinary"
SMALL = "small"
GRADES = (KEY_IMPORTANT, KEY_SECONDARY, ORDINARY, SMALL)


@dataclass(frozen=True)
class GradeParams:
    """Cumulative population shares (fractions of N) of the top three grades."""

    key_important: Decimal = Decimal("0.01")
    key_secondary: Decimal = Decimal("0.20")
    ordinary: Decimal = Decimal("0.50")

    def __post_init__(self) -> None:
        shares = (self.key_important, self.key_secondary, self.ordinary)
        if not all(isinstance(s, Decimal | int) for s in shares):
            raise TypeError("grade shares must be Decimal")
        if not 0 <= shares[0] <= shares[1] <= shares[2] <= 1:
            raise ValueError(_("Grade shares must rise from 0 to 100% (important ≤ secondary ≤ ordinary)."))


@dataclass(frozen=True)
class GradedCustomer:
    """One customer's place in the pyramid."""

    customer_id: Hashable
    code: str
    value: Decimal
    rank: int
    grade: str


@dataclass(frozen=True)
class GradingResult:
    """The graded population in rank order, with N, the cut-off ranks and the parameters used."""

    customers: tuple[GradedCustomer, ...]
    n: int
    cutoffs: tuple[int, int, int]
    params: GradeParams

    def by_id(self) -> dict[Hashable, GradedCustomer]:
        """Customers keyed by id."""
        return {c.customer_id: c for c in self.customers}

    def counts(self) -> dict[str, int]:
        """Number of customers per grade (every grade present, possibly 0)."""
        out = dict.fromkeys(GRADES, 0)
        for c in self.customers:
            out[c.grade] += 1
        return out


@dataclass(frozen=True)
class GradeExplanation:
    """Data for "why this grade": rank r of N, the value, the grade and the cut-off that decided it."""

    customer_id: Hashable
    rank: int
    n: int
    value: Decimal
    grade: str
    cutoff_rank: int  # last rank of this grade; for `small` the last `ordinary` rank (r > it)
    top_share: Decimal  # the parameter behind cutoff_rank, a fraction of N


def grade_cutoffs(n: int, params: GradeParams | None = None) -> tuple[int, int, int]:
    """Last rank of key_important, key_secondary and ordinary for a population of n."""
    p = params or GradeParams()
    if n < 0:
        raise ValueError("n must not be negative")
    return (math.ceil(p.key_important * n), math.ceil(p.key_secondary * n), math.ceil(p.ordinary * n))


def grade_for_rank(rank: int, n: int, params: GradeParams | None = None) -> str:
    """Grade of the customer at `rank` (1-based) among n."""
    if not 1 <= rank <= n:
        raise ValueError("rank must be within 1..n")
    return _grade(rank, grade_cutoffs(n, params))


def grade_customers(
    rows: Iterable[tuple[Hashable, str, Decimal]], params: GradeParams | None = None
) -> GradingResult:
    """Rank and grade the population given as (customer_id, code, value) rows."""
    p = params or GradeParams()
    items = list(rows)
    ids = [row[0] for row in items]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate customer id in the population")
    for _cid, _code, value in items:
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            raise TypeError("values must be Decimal")
    ordered = sorted(items, key=lambda row: (-Decimal(row[2]), row[1], str(row[0])))
    n = len(ordered)
    cutoffs = grade_cutoffs(n, p)
    graded = tuple(
        GradedCustomer(cid, code, Decimal(value), rank, _grade(rank, cutoffs))
        for rank, (cid, code, value) in enumerate(ordered, start=1)
    )
    return GradingResult(graded, n, cutoffs, p)


def _grade(rank: int, cutoffs: tuple[int, int, int]) -> str:
    for grade, cutoff in zip(GRADES, cutoffs, strict=False):
        if rank <= cutoff:
            return grade
    return SMALL


def explain_grade(result: GradingResult, customer_id: Hashable) -> GradeExplanation:
    """The explanation data of one customer's grade; KeyError when the customer is not in the result."""
    c = result.by_id()[customer_id]
    shares = (result.params.key_important, result.params.key_secondary, result.params.ordinary)
    i = min(GRADES.index(c.grade), 2)
    return GradeExplanation(customer_id, c.rank, result.n, c.value, c.grade, result.cutoffs[i], shares[i])


def format_explanation(e: GradeExplanation) -> str:
    """One translated sentence explaining the grade, e.g. for a tooltip."""
    fields = {"rank": e.rank, "n": e.n, "value": e.value, "pct": _pct(e.top_share),
              "cutoff": e.cutoff_rank, "grade": GRADE.label(e.grade)}
    if e.grade == SMALL:
        return _("Rank {rank} of {n} by value {value}: below the top {pct}% (rank > {cutoff}) → {grade}.").format(
            **fields)
    return _("Rank {rank} of {n} by value {value}: within the top {pct}% (rank ≤ {cutoff}) → {grade}.").format(
        **fields)


def _pct(share: Decimal) -> str:
    return format((Decimal(share) * 100).normalize(), "f")
