"""Seasonal index and monthly targets (DOMAIN §6.6, 季节推算分析).

S[y][m] = sales of month m in year y, for the years Y. A_m = mean over Y of
S[y][m]; A = ΣS ÷ (12·|Y|); SI_m = A_m ÷ A × 100 (%); share_m = SI_m ÷ 12 (%);
target_m = annual target × share_m ÷ 100.

Everything is computed on exact fractions, then rounded for display:
A_m half-up to cents; SI_m, share_m and target_m by largest-remainder rounding
(see `rounding.apportion`) so that the twelve indexes sum to exactly 1200, the
twelve shares to exactly 100 and the twelve targets to exactly the annual
target (itself first rounded half-up to cents). Each shown value is within one
unit of the last decimal of its exact value; ties for the extra unit go to the
earlier month. A month without sales in some year counts as 0 in that year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from desktop_crm.core.i18n import _
from desktop_crm.core.models.types import to_money
from desktop_crm.core.rules.rounding import apportion

CENT = Decimal("0.01")


@dataclass(frozen=True)
class SeasonalMonth:
    """One month: average sales A_m, seasonal index SI_m (%), share of the year (%) and target."""

    month: int
    average: Decimal
    index: Decimal
    share: Decimal
    target: Decimal


@dataclass(frozen=True)
class SeasonalResult:
    """The twelve months (January first), the years used, A, the total sales and the annual target."""

    months: tuple[SeasonalMonth, ...]
    years: tuple[int, ...]
    overall_average: Decimal
    total_sales: Decimal
    annual_target: Decimal
    places: int


def seasonal_index(
    sales: Mapping[tuple[int, int], Decimal],
    years: Iterable[int],
    annual_target: Decimal,
    places: int = 2,
) -> SeasonalResult:
    """Seasonal indexes and monthly targets from sales per (year, month); `places` decimals for SI and share.

    Entries of `sales` for years not in `years` are ignored; missing months are 0.
    Raises ValueError (translated) when there are no years or no sales in them.
    """
    ys = tuple(sorted(set(years)))
    if not ys:
        raise ValueError(_("Choose at least one year for the seasonal index."))
    if not 0 <= places <= 10:
        raise ValueError("places must be within 0..10")
    target = to_money(annual_target)
    if target < 0:
        raise ValueError(_("The annual target cannot be negative."))
    per_month = [Fraction(0)] * 12
    total_sales = Decimal(0)
    for (year, month), amount in sales.items():
        if not 1 <= month <= 12:
            raise ValueError(f"month must be within 1..12, got {month}")
        if year in ys:
            per_month[month - 1] += Fraction(Decimal(amount))
            total_sales += Decimal(amount)
    total = sum(per_month, Fraction(0))
    year_text = ", ".join(str(y) for y in ys)
    if total == 0 and all(m == 0 for m in per_month):
        raise ValueError(
            _("There are no sales in {years}, so the seasonal index cannot be computed.").format(years=year_text)
        )
    if total <= 0:
        raise ValueError(
            _("Total sales in {years} are not positive, so the seasonal index cannot be computed.").format(
                years=year_text)
        )
    quantum = Decimal(1).scaleb(-places)
    averages = [to_money(_decimal(m / len(ys))) for m in per_month]
    indexes = apportion([1200 * m / total for m in per_month], quantum)
    shares = apportion([100 * m / total for m in per_month], quantum)
    targets = apportion([Fraction(target) * m / total for m in per_month], CENT)
    months = tuple(
        SeasonalMonth(i + 1, averages[i], indexes[i], shares[i], targets[i]) for i in range(12)
    )
    overall = to_money(_decimal(total / (12 * len(ys))))
    return SeasonalResult(months, ys, overall, total_sales, target, places)


def _decimal(value: Fraction) -> Decimal:
    """A fraction to a Decimal with 6 extra decimals, enough for half-up rounding to cents afterwards."""
    scaled = value * 10**8
    return Decimal(scaled.numerator // scaled.denominator).scaleb(-8) if value >= 0 else -_decimal(-value)

