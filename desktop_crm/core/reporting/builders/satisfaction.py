"""9. Satisfaction and loyalty 满意度与忠诚度: the period metrics of DOMAIN §6.5 (churn, retention,
repurchase, complaint rate, satisfaction mean and share of scores ≥ 4) for the whole scope and
per value grade — computed by the same SQL as `services.metrics.period_metrics` — and the
customers by loyalty stage."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from desktop_crm.core.enums import GRADE, LOYALTY
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Complaint, Customer
from desktop_crm.core.reporting.builders.common import DRILL, col, fraction_value, shares, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, _and, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Report, Section, Table, total_label
from desktop_crm.core.rules import metrics as rules
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.metrics import _churn_counts, _in_scope, _order_counts, _scores

CENT = Decimal("0.01")


def _metrics(s, p: ReportParams, cust, order_cond) -> dict[str, Any]:  # noqa: ANN001
    active, lost = _churn_counts(s, p.start, p.end, cust)
    ordering, repeat, n_orders, _sales = _order_counts(s, p.date_from, p.date_to, cust, order_cond)
    complaints = s.scalar(select(func.count(Complaint.id)).where(
        Complaint.received_at >= p.start, Complaint.received_at <= p.end,
        _in_scope(Complaint.customer_id, cust))) or 0
    sat = rules.satisfaction(_scores(s, p.start, p.end, cust))
    rate = rules.complaint_rate(complaints, n_orders)
    return {"active_at_start": active, "churn_rate": fraction_value(rules.churn_rate(active, lost)),
            "retention_rate": fraction_value(rules.retention_rate(active, lost)),
            "repurchase_rate": fraction_value(rules.repurchase_rate(repeat, ordering)),
            "orders": n_orders, "complaints": complaints,
            "complaint_rate": fraction_value(rate, CENT) if rate is not None else None,
            "satisfaction_mean": fraction_value(sat.mean, CENT), "satisfaction_share_4plus":
            fraction_value(sat.share_4_plus), "scores": sat.count}


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    keys = list(GRADE.keys)
    total_steps = len(keys) + 2
    rows = []
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        cust = scope.customer_cond()
        step(progress, 0, total_steps, _("Computing metrics…"))
        overall = _metrics(s, p, cust, scope.order)
        for i, g in enumerate(keys, 1):
            step(progress, i, total_steps)
            row = {"group": GRADE.label(g), **_metrics(s, p, _and(cust, Customer.grade == g), scope.order)}
            row[DRILL] = {"grade": [g]}
            rows.append(row)
        loyalty = dict(s.execute(select(Customer.loyalty, func.count()).where(scope.customers_of(Customer.id))
                                 .group_by(Customer.loyalty)).all())
    totals = {"group": _("All customers"), **overall}
    columns = [col("group", _("Grade")), col("active_at_start", _("Active at start"), "int"),
               col("churn_rate", _("Churn rate"), "percent"), col("retention_rate", _("Retention"), "percent"),
               col("repurchase_rate", _("Repurchase rate"), "percent"), col("orders", _("Orders"), "int"),
               col("complaints", _("Complaints"), "int"),
               col("complaint_rate", _("Complaints per 100 orders"), "number"),
               col("satisfaction_mean", _("Satisfaction (1–5)"), "number"),
               col("satisfaction_share_4plus", _("Scores ≥ 4"), "percent"), col("scores", _("Scores"), "int")]
    stages = list(LOYALTY.keys) + ([None] if loyalty.get(None) else [])
    counts = [loyalty.get(k, 0) for k in stages]
    loyalty_rows = []
    for k, n, share in zip(stages, counts, shares(counts), strict=True):
        row = {"loyalty": LOYALTY.label(k) if k else _("(not computed)"), "customers": n, "share": share}
        if k:
            row[DRILL] = {"loyalty": [k]}
        loyalty_rows.append(row)
    loyalty_table = Table([col("loyalty", _("Loyalty stage")), col("customers", _("Customers"), "int"),
                           col("share", _("Share"), "percent")], loyalty_rows,
                          {"loyalty": total_label(), "customers": sum(counts), "share": 1 if sum(counts) else None})
    chart = ChartSeries("bar", _("Satisfaction by grade (1–5)"), [r["group"] for r in rows] + [_("All customers")],
                        [(_("Satisfaction (1–5)"), [r["satisfaction_mean"] or 0 for r in rows]
                          + [overall["satisfaction_mean"] or 0])])
    step(progress, total_steps, total_steps)
    return shell("satisfaction", _("Satisfaction and loyalty"), p, scope, head, Table(columns, rows, totals),
                 sections=[Section("by_loyalty", _("By loyalty stage"), loyalty_table)], chart=chart,
                 notes=[_("Totals row: the whole scope, including customers without a grade.")])
