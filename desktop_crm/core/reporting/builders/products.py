"""5. Product sales composition 商品销售构成: products by period sales, with share and cumulative
share; a section by product category."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, func, select, type_coerce

from desktop_crm.core.i18n import _
from desktop_crm.core.models import Order
from desktop_crm.core.reporting.builders.common import DRILL, col, money, sales_sum, shares, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Report, Section, Table, total_label
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_query import IDS

CHART_TOP = 10
DRILL_PAIRS = 200_000  # (product, customer) pairs the drill-down lists carry; beyond that rows have none


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    step(progress, 0, 2, _("Adding up sales…"))
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        where = (Order.date >= p.date_from, Order.date <= p.date_to, scope.sales_of(Order.customer_id))
        data = s.execute(select(Order.product, Order.category, func.count(), sales_sum()).where(*where)
                         .group_by(Order.product, Order.category)).all()
        pairs = select(Order.product, Order.category, Order.customer_id).where(*where).distinct()
        buyers: dict[tuple, list[int]] = {}
        if (s.scalar(select(func.count()).select_from(pairs.subquery())) or 0) <= DRILL_PAIRS:
            for prod, cat, cid in s.execute(pairs):
                buyers.setdefault((prod, cat), []).append(cid)
        qty = dict(((prod, cat), q) for prod, cat, q in s.execute(
            select(Order.product, Order.category, func.sum(type_coerce(Order.quantity, BigInteger))).where(*where)
            .group_by(Order.product, Order.category)))
    step(progress, 1, 2)
    none = _("(not set)")
    items = sorted(data, key=lambda r: (-int(r[3] or 0), r[0] or "", r[1] or ""))
    amounts = [money(r[3]) for r in items]
    rows, running = [], Decimal(0)
    for (prod, cat, n, _c), amount, share in zip(items, amounts, shares(amounts), strict=True):
        running = running + (share or 0)
        q = qty.get((prod, cat))
        rows.append({"product": prod or none, "category": cat or none, "orders": int(n),
                     "quantity": Decimal(int(q)) / 1000 if q is not None else None, "sales": amount,
                     "share": share, "cumulative_share": running if share is not None else None})
        if (prod, cat) in buyers:
            rows[-1][DRILL] = {IDS: sorted(buyers[(prod, cat)])}
    total = sum(amounts, start=money(0))
    totals = {"product": total_label(), "orders": sum(r["orders"] for r in rows), "sales": total,
              "share": 1 if total else None}
    columns = [col("product", _("Product")), col("category", _("Product category")), col("orders", _("Orders"), "int"),
               col("quantity", _("Quantity"), "number"), col("sales", _("Sales"), "money"),
               col("share", _("Share"), "percent"), col("cumulative_share", _("Cumulative share"), "percent")]
    by_cat: dict[str, list] = {}
    for r, amount in zip(rows, amounts, strict=True):
        entry = by_cat.setdefault(r["category"], [0, money(0)])
        entry[0] += r["orders"]
        entry[1] += amount
    cats = sorted(by_cat.items(), key=lambda kv: (-kv[1][1], kv[0]))
    cat_rows = [{"category": k, "orders": v[0], "sales": v[1], "share": sh}
                for (k, v), sh in zip(cats, shares([v[1] for _k, v in cats]), strict=True)]
    section = Table([col("category", _("Product category")), col("orders", _("Orders"), "int"),
                     col("sales", _("Sales"), "money"), col("share", _("Share"), "percent")], cat_rows,
                    {"category": total_label(), "orders": totals["orders"], "sales": total,
                     "share": 1 if total else None})
    top = rows[:CHART_TOP]
    chart = ChartSeries("bar", _("Top {n} products by sales").format(n=CHART_TOP), [r["product"] for r in top],
                        [(_("Sales"), [r["sales"] for r in top])])
    step(progress, 2, 2)
    return shell("products", _("Product sales composition"), p, scope, head, Table(columns, rows, totals),
                 sections=[Section("by_category", _("By category"), section)], chart=chart)
