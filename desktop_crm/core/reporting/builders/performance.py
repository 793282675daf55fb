"""4. Customer transaction performance 交易业绩: each customer's sales per month of the period
(per year when the period is longer than 12 months), the period total and its share of the
company total (the scope's total). Customers with sales in the period, largest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import extract, select

from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Order
from desktop_crm.core.reporting.builders.common import CUSTOMER, col, money, sales_sum, shares, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Parameter, Report, Table, total_label
from desktop_crm.core.services.context import Ctx

MONTHLY_LIMIT = 12


CHART_TOP = 10


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    months = p.months()
    monthly = len(months) <= MONTHLY_LIMIT
    if monthly:
        buckets = [(m.year, m.month) for m in months]
        keys = [f"m{y}_{m:02d}" for y, m in buckets]
        titles = [f"{y}-{m:02d}" for y, m in buckets]
    else:
        years = sorted({m.year for m in months})
        buckets = [(y, 0) for y in years]
        keys = [f"y{y}" for y in years]
        titles = [str(y) for y in years]
    index = dict(zip(buckets, keys, strict=True))
    step(progress, 0, 2, _("Adding up sales…"))
    year, month = extract("year", Order.date), extract("month", Order.date)
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        q = (select(Order.customer_id, Customer.code, Customer.name, year, month, sales_sum())
             .join(Customer, Customer.id == Order.customer_id)
             .where(Order.date >= p.date_from, Order.date <= p.date_to, scope.sales_of(Order.customer_id))
             .group_by(Order.customer_id, Customer.code, Customer.name, year, month))
        data = s.execute(q).all()
    step(progress, 1, 2, _("Building the table…"))
    per: dict[int, dict[str, Any]] = {}
    for cid, code, name, y, m, cents in data:
        row = per.setdefault(cid, {"customer_code": code, "customer_name": name, CUSTOMER: cid, "total": money(0)})
        key = index[(int(y), int(m) if monthly else 0)]
        amount = money(cents)
        row[key] = row.get(key, money(0)) + amount
        row["total"] += amount
    rows = sorted(per.values(), key=lambda r: (-r["total"], r["customer_code"]))
    for row, share in zip(rows, shares([r["total"] for r in rows]), strict=True):
        row["share"] = share
    totals: dict[str, Any] = {"customer_name": total_label()}
    for key in keys:
        totals[key] = sum((r.get(key, money(0)) for r in rows), start=money(0))
    totals["total"] = sum((r["total"] for r in rows), start=money(0))
    totals["share"] = 1 if totals["total"] else None
    columns = ([col("customer_code", _("Code")), col("customer_name", _("Customer"))]
               + [col(k, t, "money") for k, t in zip(keys, titles, strict=True)]
               + [col("total", _("Total"), "money"), col("share", _("Share of total"), "percent")])
    if len(keys) > 1:
        chart = ChartSeries("line", _("Sales by month") if monthly else _("Sales by year"), titles,
                            [(_("Sales"), [totals[k] for k in keys])])
    else:  # one month: a lone bar says nothing; who bought most does
        top = rows[:CHART_TOP]
        chart = ChartSeries("bar", _("Top {n} customers by sales").format(n=CHART_TOP),
                            [r["customer_name"] for r in top], [(_("Sales"), [r["total"] for r in top])])
    step(progress, 2, 2)
    return shell("performance", _("Customer transaction performance"), p, scope, head,
                 Table(columns, rows, totals), chart=chart,
                 parameters=[Parameter(_("Columns"), _("months") if monthly else _("years"), "buckets")],
                 json_params={"buckets": "month" if monthly else "year"})
