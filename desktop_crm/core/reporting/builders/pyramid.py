"""3. Value pyramid 客户金字塔 (DOMAIN §6.2): the scope's active customers by value grade —
how many, their sales in the period and its share. Grades are those stored by the last
recompute (`services.grading`), the same the customer list filters on, so a drill-down
from a row shows exactly the customers counted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from desktop_crm.core.enums import GRADE
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Order
from desktop_crm.core.reporting.builders.common import DRILL, KEYS, col, money, sales_sum, shares, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Report, Table, total_label
from desktop_crm.core.rules.grading import GRADES
from desktop_crm.core.services import settings
from desktop_crm.core.services.context import Ctx


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    step(progress, 0, 2, _("Counting customers…"))
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        active = (Customer.status == "active", scope.customers_of(Customer.id))
        counts = dict(s.execute(select(Customer.grade, func.count()).where(*active).group_by(Customer.grade)).all())
        sales = dict(s.execute(
            select(Customer.grade, sales_sum()).join(Customer, Customer.id == Order.customer_id)
            .where(*active, Order.date >= p.date_from, Order.date <= p.date_to, scope.sales_of(Order.customer_id))
            .group_by(Customer.grade)).all())
        as_of = settings.read(s, "grades_recomputed_on")
    keys = list(GRADES) + ([None] if counts.get(None) or sales.get(None) else [])
    amounts = [money(sales.get(k)) for k in keys]
    rows = []
    for k, amount, share in zip(keys, amounts, shares(amounts), strict=True):
        row = {"grade": GRADE.label(k) if k else _("(not ranked: no sales)"), "customers": counts.get(k, 0),
               "sales": amount, "share": share, KEYS: {"grade": k}}
        if k:
            row[DRILL] = {"grade": [k], "status": ["active"]}
        rows.append(row)
    total = sum(amounts, start=money(0))
    totals = {"grade": total_label(), "customers": sum(r["customers"] for r in rows), "sales": total,
              "share": 1 if total else None}
    columns = [col("grade", _("Grade")), col("customers", _("Customers"), "int"), col("sales", _("Sales"), "money"),
               col("share", _("Share of sales"), "percent")]
    chart = ChartSeries("bar", _("Customers and sales by grade"), [r["grade"] for r in rows],
                        [(_("Customers"), [r["customers"] for r in rows])])
    notes = [_("Grades as of the last recompute ({day}); population: active customers.").format(
        day=as_of or _("never"))]
    step(progress, 2, 2)
    return shell("pyramid", _("Value pyramid"), p, scope, head, Table(columns, rows, totals), chart=chart,
                 notes=notes)
