"""2. ABC analysis (DOMAIN §6.4): customers of the scope ranked by period sales; class A/B/C
by the cumulative share before each customer (limits from the `abc_cutoffs` setting).

Population: the scope's customers with sales in the period; customers without sales are not
ranked (the report says how many active customers had none). Shares come from `rules.abc` (they
add up to exactly 1).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Order
from desktop_crm.core.reporting.builders.common import CUSTOMER, col, money, sales_sum, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Parameter, Report, Section, Table, total_label
from desktop_crm.core.rules.abc import CLASSES, ABCParams, abc_analysis
from desktop_crm.core.services import settings
from desktop_crm.core.services.context import Ctx


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    step(progress, 0, 3, _("Adding up sales…"))
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        cut = settings.read(s, "abc_cutoffs")
        params = ABCParams(Decimal(str(cut["A"])), Decimal(str(cut["B"])))
        sales = dict(s.execute(
            select(Order.customer_id, sales_sum())
            .where(Order.date >= p.date_from, Order.date <= p.date_to, scope.sales_of(Order.customer_id))
            .group_by(Order.customer_id)).all())
        step(progress, 1, 3, _("Ranking customers…"))
        people = s.execute(select(Customer.id, Customer.code, Customer.name, Customer.status).where(
            scope.customers_of(Customer.id),
            or_(Customer.status == "active", Customer.id.in_(
                select(Order.customer_id).where(Order.date >= p.date_from, Order.date <= p.date_to)))
        )).all()
    unsold = sum(1 for cid, _c, _n, status in people if status == "active" and money(sales.get(cid)) <= 0)
    people = [(cid, code, name) for cid, code, name, _s in people if money(sales.get(cid)) > 0]
    names = {cid: (code, name) for cid, code, name in people}
    result = abc_analysis([(cid, code, money(sales.get(cid))) for cid, code, _n in people], params)
    step(progress, 2, 3)
    rows = [{"rank": r.rank, "customer_code": r.code, "customer_name": names[r.customer_id][1],
             "sales": r.sales, "share": r.share, "cumulative_share": r.cumulative_share, "class": r.abc_class,
             CUSTOMER: r.customer_id} for r in result.rows]
    total = result.total_sales
    columns = [col("rank", _("Rank"), "int"), col("customer_code", _("Code")), col("customer_name", _("Customer")),
               col("sales", _("Sales"), "money"), col("share", _("Share"), "percent"),
               col("cumulative_share", _("Cumulative share"), "percent"), col("class", _("Class"))]
    totals = {"customer_name": total_label(), "sales": total, "share": Decimal(1) if total > 0 else None}
    class_rows = [{"class": c.abc_class, "customers": c.count, "sales": c.sales,
                   "share": c.share if total > 0 else None} for c in result.classes]
    by_class = Table([col("class", _("Class")), col("customers", _("Customers"), "int"),
                      col("sales", _("Sales"), "money"), col("share", _("Share of sales"), "percent")],
                     class_rows, {"class": total_label(), "customers": len(rows), "sales": total,
                                  "share": Decimal(1) if total > 0 else None})
    classes = {c.abc_class: {"customers": c.count, "sales": float(c.sales),
                             "share": float(c.share) if total > 0 else None} for c in result.classes}
    chart = ChartSeries("bar", _("Sales by class"), list(CLASSES),
                        [(_("Sales"), [c.sales for c in result.classes])])
    limits = _("A below {a}, B below {b} of cumulative sales before the customer").format(
        a=f"{params.a_limit * 100:.0f}%", b=f"{params.b_limit * 100:.0f}%")
    step(progress, 3, 3)
    return shell("abc", _("ABC analysis"), p, scope, head, Table(columns, rows, totals),
                 parameters=[Parameter(_("Classes"), limits, "limits")],
                 sections=[Section("by_class", _("By class"), by_class)], chart=chart,
                 json_totals={"classes": classes, "not_ranked": unsold},
                 notes=[_("Customers without sales in the period are not ranked: {n} active customers had "
                          "none.").format(n=unsold)],
                 json_params={"a_limit": float(params.a_limit), "b_limit": float(params.b_limit)})
