"""1. Customer composition 客户构成: customers and period sales by category (industry), kind,
status, grade, source or region (province) — count, sales, share of sales."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from desktop_crm.core import enums
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.models import Customer, Order
from desktop_crm.core.reporting.builders.common import DRILL, KEYS, col, money, sales_sum, shares, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Parameter, Report, Table, total_label
from desktop_crm.core.services.context import Ctx

# --by value → (customer column, enum or None, label)
BY_FIELDS: dict[str, tuple[str, Any, str]] = {
    "category": ("industry", None, N_("Customer category")),
    "kind": ("kind", enums.CUSTOMER_KIND, N_("Kind")),
    "status": ("status", enums.CUSTOMER_STATUS, N_("Status")),
    "grade": ("grade", enums.GRADE, N_("Grade")),
    "source": ("source", enums.SOURCE, N_("Source")),
    "region": ("province", None, N_("Region")),
}
DEFAULT_BY = "category"


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    by = p.by or DEFAULT_BY
    if by not in BY_FIELDS:
        raise ValidationError({"by": _("use one of: {keys}").format(keys=", ".join(BY_FIELDS))})
    field, enum, by_label = BY_FIELDS[by]
    column = getattr(Customer, field)
    step(progress, 0, 2, _("Counting customers…"))
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        counts = dict(s.execute(select(column, func.count()).where(scope.customers_of(Customer.id))
                                .group_by(column)).all())
        step(progress, 1, 2, _("Adding up sales…"))
        sales = dict(s.execute(
            select(column, sales_sum()).join(Customer, Customer.id == Order.customer_id)
            .where(Order.date >= p.date_from, Order.date <= p.date_to, scope.sales_of(Order.customer_id))
            .group_by(column)).all())
    keys = set(counts) | set(sales)
    amounts = {k: money(sales.get(k)) for k in keys}
    order = sorted(keys, key=lambda k: (-amounts[k], -counts.get(k, 0), k is None, str(k or "")))
    share = shares([amounts[k] for k in order])
    rows = []
    for k, sh in zip(order, share, strict=True):
        label = (enum.label(k) if enum else str(k)) if k not in (None, "") else _("(not set)")
        row = {"group": label, "customers": counts.get(k, 0), "sales": amounts[k], "share": sh,
               KEYS: {"group": k if k not in ("",) else None}}
        if k not in (None, ""):
            row[DRILL] = {field: [k] if enum else k}
        rows.append(row)
    total_sales = sum((amounts[k] for k in keys), start=money(0))
    totals = {"group": total_label(), "customers": sum(counts.values()), "sales": total_sales,
              "share": 1 if total_sales else None}
    columns = [col("group", _(by_label)), col("customers", _("Customers"), "int"),
               col("sales", _("Sales"), "money"), col("share", _("Share of sales"), "percent")]
    chart = ChartSeries("pie", _("Sales by {field}").format(field=_(by_label)),
                        [r["group"] for r in rows], [(_("Sales"), [r["sales"] for r in rows])])
    if not total_sales:
        chart = ChartSeries("pie", _("Customers by {field}").format(field=_(by_label)),
                            [r["group"] for r in rows], [(_("Customers"), [r["customers"] for r in rows])])
    step(progress, 2, 2)
    return shell("composition", _("Customer composition"), p, scope, head, Table(columns, rows, totals),
                 parameters=[Parameter(_("Group by"), _(by_label), "by")], chart=chart,
                 json_params={"by": by})
