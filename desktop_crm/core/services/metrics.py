"""Period metrics (DOMAIN §6.5) from set-based SQL aggregates, computed by core/rules/metrics.

The period is [date_from, date_to], both days included (start = date_from 00:00, end =
date_to 23:59:59.999999). Churn comes from the status history, not the current status:
active at the start = latest history entry at or before the start is `active` (equal
times: the later id wins, as `rules.metrics.status_at`); lost = one of those with an
entry `lost` inside (start, end]. Every result carries the parameters it used.

Scope: "all" (everything the user may see), "owner:USERNAME", "department:NAME" or
"category:CATEGORY" (a product category: restricts orders and sales only).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import BigInteger, and_, case, exists, func, select, true, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import True_

from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Complaint, Customer, Department, Order, StatusChange, User
from desktop_crm.core.models.types import cents_to_money
from desktop_crm.core.models.visits import VisitPlan
from desktop_crm.core.rules import metrics as rules
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import customer_scope


@dataclass(frozen=True)
class MetricsParams:
    date_from: date
    date_to: date
    scope: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class PeriodMetrics:
    params: MetricsParams
    active_at_start: int
    lost_in_period: int
    churn_rate: Fraction | None
    retention_rate: Fraction | None
    customers_ordering: int
    customers_repeat: int
    repurchase_rate: Fraction | None
    orders: int
    sales: Decimal
    complaints: int
    complaint_rate_per_100_orders: Fraction | None
    satisfaction_count: int
    satisfaction_mean: Fraction | None
    satisfaction_share_ge4: Fraction | None

    def to_json(self) -> dict[str, object]:
        """Plain JSON values: fractions as floats (shares of 1), money as a number, None as null."""
        out: dict[str, object] = {}
        for k, v in asdict(self).items():
            if k == "params":
                continue
            out[k] = float(v) if isinstance(v, Fraction | Decimal) else v
        p = self.params
        out["parameters"] = {"from": p.date_from.isoformat(), "to": p.date_to.isoformat(), "scope": p.scope,
                             "start": p.start.isoformat(), "end": p.end.isoformat()}
        return out


def _scope(s: Session, ctx: Ctx, scope: str):  # noqa: ANN202
    """(customer condition or None, order condition or None) for a scope string."""
    cond = customer_scope(ctx.actor)
    cust = None if isinstance(cond, True_) else cond
    order_cond = None
    kind, _sep, arg = (scope or "all").partition(":")
    if kind == "all":
        pass
    elif kind == "owner":
        uid = s.scalar(select(User.id).where(User.username == arg))
        if uid is None:
            raise ValidationError({"scope": _("no user '{name}'").format(name=arg)})
        cust = and_(cust, Customer.owner_id == uid) if cust is not None else Customer.owner_id == uid
    elif kind == "department":
        dept = s.scalar(select(Department.id).where(Department.name == arg))
        if dept is None:
            raise ValidationError({"scope": _("no department '{name}'").format(name=arg)})
        c = Customer.owner_id.in_(select(User.id).where(User.department_id == dept))
        cust = and_(cust, c) if cust is not None else c
    elif kind == "category":
        order_cond = Order.category == arg
    else:
        raise ValidationError({"scope": _("use all, owner:USER, department:NAME or category:NAME")})
    return cust, order_cond


def _in_scope(col, cust):  # noqa: ANN001, ANN202
    """customer id column restricted to the scope's customers (no join when the scope is everything)."""
    if cust is None:
        return true()
    return col.in_(select(Customer.id).where(cust))


def period_metrics(ctx: Ctx, date_from: date, date_to: date, scope: str = "all") -> PeriodMetrics:
    if date_to < date_from:
        raise ValidationError({"to": _("is before the start of the period")})
    start, end = datetime.combine(date_from, time.min), datetime.combine(date_to, time.max)
    params = MetricsParams(date_from, date_to, scope or "all", start, end)
    with ctx.db.read() as s:
        cust, order_cond = _scope(s, ctx, scope)

    def the_rest(s: Session) -> tuple:
        complaints = s.scalar(select(func.count(Complaint.id)).where(
            Complaint.received_at >= start, Complaint.received_at <= end,
            _in_scope(Complaint.customer_id, cust))) or 0
        return complaints, _scores(s, start, end, cust)

    # the status-history and order aggregates are the big ones (each ~2 s at 10M orders): side by side
    (active, lost), (ordering, repeat, n_orders, sales), (complaints, scores) = ctx.db.read_parallel(
        lambda s: _churn_counts(s, start, end, cust),
        lambda s: _order_counts(s, date_from, date_to, cust, order_cond), the_rest)
    sat = rules.satisfaction(scores)
    return PeriodMetrics(
        params, active, lost, rules.churn_rate(active, lost), rules.retention_rate(active, lost),
        ordering, repeat, rules.repurchase_rate(repeat, ordering), n_orders, sales, complaints,
        rules.complaint_rate(complaints, n_orders), sat.count, sat.mean, sat.share_4_plus)


def _churn_cohort(start: datetime, end: datetime, cust):  # noqa: ANN001, ANN202
    """(customers active at `start`, whether each became lost in (start, end]) as a subquery and a flag."""
    h = StatusChange
    # the latest entry at or before the start is the one with no next entry (ties: the later id);
    # lead() over the (customer_id, at) index order needs no sort, unlike row_number() … DESC
    nxt = func.lead(h.at).over(partition_by=h.customer_id, order_by=(h.at, h.id))
    latest = (select(h.customer_id.label("cid"), h.status.label("status"), nxt.label("nxt"))
              .where(h.at <= start, _in_scope(h.customer_id, cust)).subquery())
    h2 = StatusChange.__table__.alias("h2")
    lost_flag = exists().where(h2.c.customer_id == latest.c.cid, h2.c.status == rules.LOST,
                               h2.c.at > start, h2.c.at <= end)
    return latest, lost_flag, (latest.c.nxt.is_(None), latest.c.status == rules.ACTIVE)


def _churn_counts(s: Session, start: datetime, end: datetime, cust) -> tuple[int, int]:  # noqa: ANN001
    latest, lost_flag, active = _churn_cohort(start, end, cust)
    row = s.execute(select(func.count(), func.coalesce(func.sum(case((lost_flag, 1), else_=0)), 0))
                    .select_from(latest).where(*active)).one()
    return int(row[0] or 0), int(row[1] or 0)


def churned_ids(s: Session, start: datetime, end: datetime, cust) -> set[int]:  # noqa: ANN001
    """The customers counted as lost by `_churn_counts`: active at the start, lost in the period."""
    return cohort(s, start, end, cust)[1]


def cohort(s: Session, start: datetime, end: datetime, cust) -> tuple[set[int], set[int]]:  # noqa: ANN001
    """(customers active at the start, those of them lost in the period) — `_churn_counts` by customer."""
    latest, lost_flag, active = _churn_cohort(start, end, cust)
    rows = s.execute(select(latest.c.cid, case((lost_flag, 1), else_=0)).where(*active)).all()
    return {r[0] for r in rows}, {r[0] for r in rows if r[1]}


def _order_counts(s: Session, d0: date, d1: date, cust, order_cond) -> tuple[int, int, int, Decimal]:  # noqa: ANN001
    conds = [Order.date >= d0, Order.date <= d1, _in_scope(Order.customer_id, cust)]
    if order_cond is not None:
        conds.append(order_cond)
    per = (select(Order.customer_id, func.count().label("n"),
                  func.sum(type_coerce(Order.amount, BigInteger)).label("amount"))
           .where(*conds).group_by(Order.customer_id).subquery())
    row = s.execute(select(func.count(), func.coalesce(func.sum(case((per.c.n >= 2, 1), else_=0)), 0),
                           func.coalesce(func.sum(per.c.n), 0), func.coalesce(func.sum(per.c.amount), 0))).one()
    return int(row[0]), int(row[1]), int(row[2]), cents_to_money(row[3])


def _scores(s: Session, start: datetime, end: datetime, cust) -> list[int]:  # noqa: ANN001
    """1–5 scores of return visits done and complaint follow-ups closed in the period."""
    counts: dict[int, int] = {}
    q1 = (select(VisitPlan.score, func.count()).where(
        VisitPlan.done_at >= start, VisitPlan.done_at <= end, VisitPlan.score.is_not(None),
        _in_scope(VisitPlan.customer_id, cust)).group_by(VisitPlan.score))
    q2 = (select(Complaint.satisfaction, func.count()).where(
        Complaint.closed_at >= start, Complaint.closed_at <= end, Complaint.satisfaction.is_not(None),
        _in_scope(Complaint.customer_id, cust)).group_by(Complaint.satisfaction))
    for q in (q1, q2):
        for score, n in s.execute(q):
            counts[int(score)] = counts.get(int(score), 0) + int(n)
    return [score for score, n in sorted(counts.items()) for _i in range(n)]


@dataclass(frozen=True)
class CustomerShare:
    customer_id: int
    code: str
    name: str
    sales: Decimal
    orders: int
    share: Fraction | None
    complaints_per_order: Fraction | None


def sales_shares(ctx: Ctx, date_from: date, date_to: date, *, limit: int = 50) -> list[CustomerShare]:
    """Top customers by sales in the period with their share of company sales (DOMAIN §6.5)."""
    with ctx.db.read() as s:
        cust, _o = _scope(s, ctx, "all")
        amount = func.sum(type_coerce(Order.amount, BigInteger))
        base = [Order.date >= date_from, Order.date <= date_to, _in_scope(Order.customer_id, cust)]
        total = cents_to_money(s.scalar(select(func.coalesce(amount, 0)).where(*base)))
        rows = s.execute(select(Order.customer_id, Customer.code, Customer.name, amount, func.count())
                         .join(Customer, Customer.id == Order.customer_id).where(*base)
                         .group_by(Order.customer_id, Customer.code, Customer.name)
                         .order_by(amount.desc(), Customer.code).limit(limit)).all()
        start, end = datetime.combine(date_from, time.min), datetime.combine(date_to, time.max)
        ids = [r[0] for r in rows]
        comp = dict(s.execute(select(Complaint.customer_id, func.count()).where(
            Complaint.customer_id.in_(ids), Complaint.received_at >= start, Complaint.received_at <= end)
            .group_by(Complaint.customer_id)).all()) if ids else {}
    return [CustomerShare(cid, code, name, cents_to_money(a), n, rules.sales_share(cents_to_money(a), total),
                          rules.complaints_per_order(comp.get(cid, 0), n)) for cid, code, name, a, n in rows]
