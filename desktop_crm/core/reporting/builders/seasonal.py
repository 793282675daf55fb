"""6. Seasonal index and monthly targets 季节推算分析 (DOMAIN §6.6), computed by `rules.seasonal`.

Years: only complete calendar years count — a year still running (today's) has unfinished
months, and its December after three days would weigh as a whole month. `--years N` = the N
complete years ending at the period's end (the period's year when it ends on 31 December and is
over, else the year before); otherwise the complete years inside the period; when there are
none, the `seasonal_years` setting back from the end. The report says which years it used.
JSON: seasonal_index in percent (the twelve sum to 1200), share as a fraction (sum 1).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import extract, select

from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.models import Order
from desktop_crm.core.reporting.builders.common import KEYS, col, money, sales_sum, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.formatting import money_text
from desktop_crm.core.reporting.model import ChartSeries, Parameter, Report, Section, Table, total_label
from desktop_crm.core.rules.seasonal import seasonal_index
from desktop_crm.core.services import settings
from desktop_crm.core.services.context import Ctx

MONTHS = [N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
          N_("August"), N_("September"), N_("October"), N_("November"), N_("December")]


def years_for(p: ReportParams, default_years: int, today: date | None = None) -> list[int]:
    """The complete calendar years the index is computed from (see the module docstring)."""
    today = today or date.today()
    last_complete = today.year - 1  # the last year whose 31 December has passed
    last_full = p.date_to.year if p.date_to == date(p.date_to.year, 12, 31) else p.date_to.year - 1
    last_full = min(last_full, last_complete)
    if p.years:
        if p.years < 1 or p.years > 50:
            raise ValidationError({"years": _("must be between 1 and 50")})
        return list(range(last_full - p.years + 1, last_full + 1))
    inside = [y for y in range(p.date_from.year, p.date_to.year + 1)
              if date(y, 1, 1) >= p.date_from and date(y, 12, 31) <= p.date_to and y <= last_complete]
    return inside or list(range(last_full - max(default_years, 1) + 1, last_full + 1))


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    step(progress, 0, 2, _("Adding up sales…"))
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        years = years_for(p, int(settings.read(s, "seasonal_years") or 3))
        year, month = extract("year", Order.date), extract("month", Order.date)
        data = s.execute(select(year, month, sales_sum()).where(
            Order.date >= date(years[0], 1, 1), Order.date <= date(years[-1], 12, 31),
            scope.sales_of(Order.customer_id)).group_by(year, month)).all()
    sales = {(int(y), int(m)): money(c) for y, m, c in data}
    target = p.target
    try:
        result = seasonal_index(sales, years, target if target is not None else Decimal(0))
    except ValueError as exc:
        raise ValidationError({"years": str(exc)}) from None
    step(progress, 1, 2)
    rows = [{"month": _(MONTHS[m.month - 1]), "average_sales": m.average, "seasonal_index": m.index,
             "share": m.share / 100, "target": m.target if target is not None else None, KEYS: {"month": m.month}}
            for m in result.months]
    totals = {"month": total_label(), "average_sales": sum((m.average for m in result.months), start=money(0)),
              "seasonal_index": sum(m.index for m in result.months), "share": Decimal(1),
              "target": result.annual_target if target is not None else None}
    columns = [col("month", _("Month")), col("average_sales", _("Average sales"), "money"),
               col("seasonal_index", _("Seasonal index (%)"), "number"), col("share", _("Share of year"), "percent"),
               col("target", _("Monthly target"), "money")]
    ykeys = [f"y{y}" for y in years]
    year_rows = []
    for m in range(1, 13):
        row: dict[str, Any] = {"month": _(MONTHS[m - 1]), KEYS: {"month": m}}
        for y, k in zip(years, ykeys, strict=True):
            row[k] = sales.get((y, m), money(0))
        year_rows.append(row)
    year_totals: dict[str, Any] = {"month": total_label()}
    for k in ykeys:
        year_totals[k] = sum((r[k] for r in year_rows), start=money(0))
    by_year = Table([col("month", _("Month"))] + [col(k, str(y), "money") for y, k in zip(years, ykeys, strict=True)],
                    year_rows, year_totals)
    chart = ChartSeries("bar", _("Seasonal index by month (%)"), [r["month"] for r in rows],
                        [(_("Seasonal index (%)"), [m.index for m in result.months])])
    year_text = ", ".join(str(y) for y in years)
    params = [Parameter(_("Years"), year_text, "years"),
              Parameter(_("Annual target"), money_text(target) if target is not None else _("(none)"), "target")]
    step(progress, 2, 2)
    return shell("seasonal", _("Seasonal index and monthly targets"), p, scope, head, Table(columns, rows, totals),
                 parameters=params, sections=[Section("sales_by_year", _("Sales by year and month"), by_year)],
                 chart=chart, json_params={"years": years, "target": float(target) if target is not None else None},
                 notes=[_("Average monthly sales A = {a}; seasonal index = month average ÷ A × 100.").format(
                     a=money_text(result.overall_average)),
                        _("Years used: {years} — complete calendar years only; a year counts once it has ended.")
                        .format(years=year_text)])
