"""9. Satisfaction and loyalty 满意度与忠诚度: the period metrics of DOMAIN §6.5 (churn, retention,
repurchase, complaint rate, satisfaction mean and share of scores ≥ 4) for the whole scope — the
same SQL as `services.metrics.period_metrics` — and per value grade *at the start of the period*
(`grading.grades_as_of`): a customer lost in the period has no grade today, so today's grade would
hide every loss. The grade rows, with the row of customers without a grade at the start, add up
to the whole scope. Then the customers by loyalty stage."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from desktop_crm.core.enums import GRADE, LOYALTY
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Complaint, Customer, Order
from desktop_crm.core.models.visits import VisitPlan
from desktop_crm.core.reporting.builders.common import DRILL, KEYS, col, fraction_value, shares, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Report, Section, Table, total_label
from desktop_crm.core.rules import metrics as rules
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_query import IDS
from desktop_crm.core.services.grading import grades_as_of
from desktop_crm.core.services.metrics import _churn_counts, _in_scope, _order_counts, _scores, cohort


def _figures(active: int, lost: int, per_orders: list[int], complaints: int, scores: list[int]) -> dict[str, Any]:
    """The figures of a group of customers, from each one's orders, complaints and scores."""
    return _from_counts(active, lost, len(per_orders), sum(1 for n in per_orders if n >= 2), sum(per_orders),
                        complaints, scores)


def _from_counts(active: int, lost: int, ordering: int, repeat: int, n_orders: int, complaints: int,
                 scores: list[int]) -> dict[str, Any]:
    sat = rules.satisfaction(scores)
    rate = rules.complaint_rate(complaints, n_orders)
    return {"active_at_start": active, "churn_rate": fraction_value(rules.churn_rate(active, lost)),
            "retention_rate": fraction_value(rules.retention_rate(active, lost)),
            "repurchase_rate": fraction_value(rules.repurchase_rate(repeat, ordering)),
            "orders": n_orders, "complaints": complaints,
            "complaint_rate": fraction_value(rate) if rate is not None else None,
            "satisfaction_mean": fraction_value(sat.mean), "satisfaction_share_4plus":
            fraction_value(sat.share_4_plus), "scores": sat.count}


def _overall(s, p: ReportParams, cust, order_cond) -> dict[str, Any]:  # noqa: ANN001
    active, lost = _churn_counts(s, p.start, p.end, cust)
    ordering, repeat, n_orders, _sales = _order_counts(s, p.date_from, p.date_to, cust, order_cond)
    complaints = s.scalar(select(func.count(Complaint.id)).where(
        Complaint.received_at >= p.start, Complaint.received_at <= p.end,
        _in_scope(Complaint.customer_id, cust))) or 0
    return _from_counts(active, lost, ordering, repeat, n_orders, complaints, _scores(s, p.start, p.end, cust))


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    keys: list[str | None] = [*GRADE.keys, None]
    step(progress, 0, 4, _("Computing metrics…"))
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        cust = scope.customer_cond()
        overall = _overall(s, p, cust, scope.order)
        step(progress, 1, 4, _("Grading as at the start of the period…"))
        grade_of = grades_as_of(s, p.date_from - timedelta(days=1))
        active, lost = cohort(s, p.start, p.end, cust)
        step(progress, 2, 4)
        order_conds = [Order.date >= p.date_from, Order.date <= p.date_to, _in_scope(Order.customer_id, cust)]
        if scope.order is not None:
            order_conds.append(scope.order)
        orders = dict(s.execute(select(Order.customer_id, func.count()).where(*order_conds)
                                .group_by(Order.customer_id)).all())
        complaints = dict(s.execute(select(Complaint.customer_id, func.count()).where(
            Complaint.received_at >= p.start, Complaint.received_at <= p.end,
            _in_scope(Complaint.customer_id, cust)).group_by(Complaint.customer_id)).all())
        scores: list[tuple[int, int]] = list(s.execute(select(VisitPlan.customer_id, VisitPlan.score).where(
            VisitPlan.done_at >= p.start, VisitPlan.done_at <= p.end, VisitPlan.score.is_not(None),
            _in_scope(VisitPlan.customer_id, cust))).all())
        scores += list(s.execute(select(Complaint.customer_id, Complaint.satisfaction).where(
            Complaint.closed_at >= p.start, Complaint.closed_at <= p.end, Complaint.satisfaction.is_not(None),
            _in_scope(Complaint.customer_id, cust))).all())
        loyalty = dict(s.execute(select(Customer.loyalty, func.count()).where(scope.customers_of(Customer.id))
                                 .group_by(Customer.loyalty)).all())
    step(progress, 3, 4)
    members: dict[str | None, set[int]] = {k: set() for k in keys}
    for cid in set(orders) | set(complaints) | {c for c, _sc in scores} | active:
        members[grade_of.get(cid)].add(cid)
    rows = []
    for k in keys:
        ids = members[k]
        row = {"group": GRADE.label(k) if k else _("No grade at the start"), KEYS: {"group": k},
               **_figures(len(ids & active), len(ids & lost), [orders[c] for c in ids if c in orders],
                          sum(complaints.get(c, 0) for c in ids), [sc for c, sc in scores if c in ids])}
        row[DRILL] = {IDS: sorted(ids & active)}
        rows.append(row)
    totals = {"group": _("All customers"), **overall}
    columns = [col("group", _("Grade at the start")), col("active_at_start", _("Active at start"), "int"),
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
        row = {"loyalty": LOYALTY.label(k) if k else _("(not computed)"), "customers": n, "share": share,
               KEYS: {"loyalty": k}}
        if k:
            row[DRILL] = {"loyalty": [k]}
        loyalty_rows.append(row)
    loyalty_table = Table([col("loyalty", _("Loyalty stage")), col("customers", _("Customers"), "int"),
                           col("share", _("Share"), "percent")], loyalty_rows,
                          {"loyalty": total_label(), "customers": sum(counts), "share": 1 if sum(counts) else None})
    graded = [r for r in rows if r[KEYS]["group"]]
    chart = ChartSeries("bar", _("Satisfaction by grade at the start (1–5)"),
                        [r["group"] for r in graded] + [_("All customers")],
                        [(_("Satisfaction (1–5)"), [r["satisfaction_mean"] or 0 for r in graded]
                          + [overall["satisfaction_mean"] or 0])])
    step(progress, 4, 4)
    return shell("satisfaction", _("Satisfaction and loyalty"), p, scope, head, Table(columns, rows, totals),
                 sections=[Section("by_loyalty", _("By loyalty stage"), loyalty_table)], chart=chart,
                 notes=[_("Grades as at the day before the period starts, by the grading rules on the data of that "
                          "day (a customer lost since has no grade today). The rows add up to the whole scope: "
                          "the last one holds the customers without a grade then (not active, or no sales in "
                          "the twelve months before)."),
                        _("Loyalty stages: as of the last recompute.")])
