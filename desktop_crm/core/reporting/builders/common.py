"""Pieces every report builder shares: the report shell with its header, shares that add
up to exactly 1, money sums from cents, progress steps.

Rows may carry keys that are not columns; renderers ignore them. Builders use
`DRILL` (customer-list filter fields for the row) and `CUSTOMER` (a customer id) so the
screen can drill down from a row to the customers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import BigInteger, func, type_coerce

from desktop_crm.core.models import Order
from desktop_crm.core.models.types import cents_to_money
from desktop_crm.core.progress import check
from desktop_crm.core.reporting import model
from desktop_crm.core.reporting.builders.params import Header, ReportParams, Scope
from desktop_crm.core.reporting.model import ChartSeries, Column, Parameter, Report, Section, Table
from desktop_crm.core.rules.rounding import apportion

DRILL = "_filter"  # row key: customer-list filter fields (dict) for drill-down
KEYS = model.KEYS  # row key: machine keys of label cells, for the JSON form
CUSTOMER = "_customer_id"  # row key: one customer to open
SHARE_QUANTUM = Decimal("0.0001")  # shares shown to 0.01 %: apportioned at it, so they add up to 100 %
EXACT = Decimal("1E-12")  # rates and means: as good as exact; the renderers round them


@dataclass
class BuiltReport(Report):
    """A built report: JSON `parameters` carry keys (not labels), `totals` may carry more than
    the totals row (e.g. ABC's `classes`)."""

    json_params: dict[str, Any] = field(default_factory=dict)
    json_totals: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["parameters"] = {**data["parameters"], **self.json_params}
        data["totals"] = {**data["totals"], **self.json_totals}
        return data


def sales_sum():  # noqa: ANN201 - SQL expression
    """SUM(amount) in cents (exact on every database)."""
    return func.coalesce(func.sum(type_coerce(Order.amount, BigInteger)), 0)


def money(cents: int | None) -> Decimal:
    return cents_to_money(cents)


def shares(values: list[Decimal | int], quantum: Decimal = SHARE_QUANTUM) -> list[Decimal | None]:
    """Each value ÷ their total, rounded so the shares add up to exactly 1 (None when the total is 0)."""
    total = sum((Decimal(v) for v in values), Decimal(0))
    if total <= 0 or any(Decimal(v) < 0 for v in values):
        if total == 0:
            return [None] * len(values)
        return [fraction_value(Fraction(Decimal(v)) / Fraction(total), quantum) for v in values]
    return apportion([Fraction(Decimal(v)) / Fraction(total) for v in values], quantum)


def ratio(num: int | Decimal, den: int | Decimal, quantum: Decimal = EXACT) -> Decimal | None:
    if not den:
        return None
    return fraction_value(Fraction(Decimal(num)) / Fraction(Decimal(den)), quantum)


def fraction_value(value: Fraction | None, quantum: Decimal = EXACT) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum)


def mean(values: list[float | int], places: str = "1E-12") -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal(places))


def shell(key: str, title: str, p: ReportParams, scope: Scope, head: Header, main: Table, *,
          parameters: list[Parameter] | None = None, sections: list[Section] | None = None,
          chart: ChartSeries | None = None, notes: list[str] | None = None,
          json_totals: dict[str, Any] | None = None, json_params: dict[str, Any] | None = None) -> Report:
    """The report with its header facts; JSON parameters: from, to, scope (keys) and `json_params`."""
    if chart is not None and (len(chart.categories) < 2 or not any(v for _n, values in chart.series for v in values)):
        chart = None  # nothing to compare: no empty box or lone bar on screen, in the workbook or the PDF
    jp = {"from": p.date_from.isoformat(), "to": p.date_to.isoformat(), "scope": scope.key, **(json_params or {})}
    return BuiltReport(key=key, title=title, main=main, period=p.period_text, parameters=list(parameters or []),
                       scope=scope.label, company=head.company, produced_by=head.produced_by,
                       produced_at=head.produced_at, sections=list(sections or []), chart=chart,
                       notes=list(notes or []), json_params=jp, json_totals=dict(json_totals or {}))


def col(key: str, title: str, kind: str = "text", width: int | None = None) -> Column:
    return Column(key, title, kind, width)


def step(progress: Any, done: int, total: int, message: str = "") -> None:
    check(progress, done, total, message)
