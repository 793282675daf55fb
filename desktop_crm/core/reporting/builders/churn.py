"""7. Churn and retention 流失分析: churn rate by month (DOMAIN §6.5, from the status history,
counted exactly as `services.metrics.period_metrics` does — the same SQL), the period's
totals, the customers lost in the period with reasons, and the churn-warning list (active
customers with no order for `remind_no_order_days` days at the period's end)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from desktop_crm.core.enums import GRADE
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Order, StatusChange, User
from desktop_crm.core.reporting.builders.common import CUSTOMER, DRILL, KEYS, col, fraction_value, shell, step
from desktop_crm.core.reporting.builders.params import ReportParams, add_months, header, resolve_scope
from desktop_crm.core.reporting.model import ChartSeries, Report, Section, Table
from desktop_crm.core.rules import metrics as rules
from desktop_crm.core.services import settings
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_query import IDS
from desktop_crm.core.services.grading import grades_as_of
from desktop_crm.core.services.metrics import _churn_counts, churned_ids  # the one churn query (DOMAIN §6.5)

WARNING_LIMIT = 500
_GRADE_ORDER = {g: i for i, g in enumerate(GRADE.keys)}


def _first_of(lost_rows: list, counted: set[int]) -> list[bool]:
    """Which list rows the period's total counts: a counted customer's first loss in the period."""
    seen: set[int] = set()
    out = []
    for row in lost_rows:
        out.append(row[0] in counted and row[0] not in seen)
        if row[0] in counted:
            seen.add(row[0])
    return out


def build(ctx: Ctx, p: ReportParams, progress: Any = None) -> Report:
    months = p.months()
    total_steps = len(months) + 3
    rows = []
    with ctx.db.read() as s:
        scope = resolve_scope(s, ctx, p.scope)
        head = header(s, ctx)
        cust = scope.customer_cond()
        for i, first in enumerate(months):
            step(progress, i, total_steps, _("Counting churn…"))
            d0 = max(first, p.date_from)
            d1 = min(add_months(first, 1) - timedelta(days=1), p.date_to)
            active, lost = _churn_counts(s, datetime.combine(d0, time.min), datetime.combine(d1, time.max), cust)
            rows.append({"month": f"{first.year}-{first.month:02d}", "active_at_start": active, "lost": lost,
                         "churn_rate": fraction_value(rules.churn_rate(active, lost))})
        active, lost = _churn_counts(s, p.start, p.end, cust)
        counted = churned_ids(s, p.start, p.end, cust)
        grade_at_start = grades_as_of(s, p.date_from - timedelta(days=1)) if len(months) == 1 and counted else {}
        step(progress, len(months), total_steps, _("Listing lost customers…"))
        owner = aliased(User)
        lost_rows = s.execute(
            select(Customer.id, Customer.code, Customer.name, StatusChange.at, StatusChange.reason,
                   owner.display_name, owner.username, Customer.grade)
            .join(Customer, Customer.id == StatusChange.customer_id).outerjoin(owner, owner.id == Customer.owner_id)
            .where(StatusChange.status == rules.LOST, StatusChange.at > p.start, StatusChange.at <= p.end,
                   scope.customers_of(StatusChange.customer_id))
            .order_by(StatusChange.at, Customer.code)).all()
        step(progress, len(months) + 1, total_steps, _("Finding churn warnings…"))
        days = int(settings.read(s, "remind_no_order_days") or 180)
        cutoff = p.date_to - timedelta(days=days)
        last = (select(Order.customer_id, func.max(Order.date).label("last"))
                .where(Order.date <= p.date_to).group_by(Order.customer_id).subquery())
        warn = s.execute(
            select(Customer.id, Customer.code, Customer.name, Customer.grade, last.c.last,
                   owner.display_name, owner.username)
            .outerjoin(last, last.c.customer_id == Customer.id).outerjoin(owner, owner.id == Customer.owner_id)
            .where(Customer.status == rules.ACTIVE, scope.customers_of(Customer.id),
                   (last.c.last.is_(None)) | (last.c.last < cutoff))
            .order_by(last.c.last.is_(None), last.c.last, Customer.code).limit(WARNING_LIMIT * 4)).all()
    totals = {"month": _("Whole period"), "active_at_start": active, "lost": lost,
              "churn_rate": fraction_value(rules.churn_rate(active, lost))}
    columns = [col("month", _("Month")), col("active_at_start", _("Active at start"), "int"),
               col("lost", _("Lost"), "int"), col("churn_rate", _("Churn rate"), "percent")]
    lost_table = Table(
        [col("customer_code", _("Code")), col("customer_name", _("Customer")), col("lost_at", _("Lost at"), "datetime"),
         col("reason", _("Reason")), col("owner", _("Owner")), col("grade", _("Grade")),
         col("counted", _("In the period's churn rate"))],
        [{"customer_code": code, "customer_name": name, "lost_at": at, "reason": reason or "",
          "owner": dn or un or _("(pool)"), "grade": GRADE.label(g), CUSTOMER: cid,
          "counted": _("yes") if first else _("no"), KEYS: {"grade": g, "counted": first}}
         for (cid, code, name, at, reason, dn, un, g), first in zip(lost_rows, _first_of(lost_rows, counted),
                                                                     strict=True)])
    warn = sorted(warn, key=lambda r: (_GRADE_ORDER.get(r[3], 9), r[4] is not None, r[4] or p.date_to, r[1]))
    warn_rows = [{"customer_code": code, "customer_name": name, "grade": GRADE.label(g), "last_order": lo,
                  "days_since": (p.date_to - lo).days if lo else None, "owner": dn or un or _("(pool)"),
                  CUSTOMER: cid} for cid, code, name, g, lo, dn, un in warn[:WARNING_LIMIT]]
    warn_table = Table(
        [col("customer_code", _("Code")), col("customer_name", _("Customer")), col("grade", _("Grade")),
         col("last_order", _("Last order"), "date"), col("days_since", _("Days since"), "int"),
         col("owner", _("Owner"))], warn_rows)
    lost_by_month: dict[str, set[int]] = {}
    for cid, _code, _name, at, *_rest in lost_rows:
        lost_by_month.setdefault(f"{at.year}-{at.month:02d}", set()).add(cid)
    for row in rows:  # the customers who became lost in that month
        row[DRILL] = {IDS: sorted(lost_by_month.get(row["month"], ()))}
    if len(rows) > 1:
        chart = ChartSeries("line", _("Churn rate by month (%)"), [r["month"] for r in rows],
                            [(_("Churn rate (%)"), [float(r["churn_rate"] or 0) * 100 for r in rows])])
    else:  # one month: which customers were lost says more than a lone bar
        grades = [*GRADE.keys, None]
        chart = ChartSeries("bar", _("Customers lost, by grade at the period's start"),
                            [GRADE.label(g) if g else _("No grade") for g in grades],
                            [(_("Lost"), [sum(1 for cid in counted if grade_at_start.get(cid) == g) for g in grades])])
    monthly = sum(r["lost"] for r in rows)
    notes = [_("How the lost customers add up: {listed} times a customer became lost in the period (the list "
               "below); {counted} of these customers were active at the period's start — the period's churn "
               "rate counts those; the months count a customer who was active at that month's start, "
               "{monthly} in all (a customer won and lost again within the period, or gained and lost within it, "
               "counts in a month but not in the period).").format(listed=len(lost_rows), counted=lost,
                                                                    monthly=monthly),
             _("Churn warning: active customers without an order for {days} days at the period's end "
               "(first {n} shown).").format(days=days, n=WARNING_LIMIT)]
    step(progress, total_steps, total_steps)
    return shell("churn", _("Churn and retention"), p, scope, head, Table(columns, rows, totals),
                 sections=[Section("lost_customers", _("Customers lost in the period"), lost_table),
                           Section("churn_warning", _("Churn warning"), warn_table)],
                 chart=chart, notes=notes,
                 json_totals={"retention_rate": float(1 - rules.churn_rate(active, lost))
                              if active else None})
