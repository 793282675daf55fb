"""The start screen's data in one read: the user's own due items by group; for supervisors and
managers their team's overdue items and headline figures. Every query is indexed and scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, and_, func, select, true, type_coerce

from desktop_crm.core.i18n import N_, gettext
from desktop_crm.core.models import Customer, Interaction, User, VisitPlan
from desktop_crm.core.services import reminders
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import owner_scope

TEAM_ITEMS = 200


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal
    text: str = ""  # how it reads when not a plain count (money)
    detail: str = ""  # a line under it (the comparison)


@dataclass(frozen=True)
class TeamLine:
    user_id: int
    user: str
    overdue_follow_ups: int
    overdue_visits: int


@dataclass(frozen=True)
class Dashboard:
    today: date
    groups: tuple[reminders.Group, ...]
    team: tuple[TeamLine, ...]
    team_items: tuple[reminders.Reminder, ...]
    figures: tuple[Figure, ...]

    @property
    def total_due(self) -> int:
        return sum(g.count for g in self.groups)


FIGURES = [("sales_month", N_("Sales this month")), ("pipeline", N_("Pipeline")),
           ("open_complaints", N_("Open complaints")), ("overdue_complaints", N_("Overdue complaints")),
           ("visits_done_month", N_("Return visits done this month")),
           ("new_customers_month", N_("New customers this month"))]


def load(ctx: Ctx, today: date | None = None) -> Dashboard:
    today = today or date.today()
    with ctx.db.read() as s:
        groups = reminders.groups_in_session(s, ctx, None, today)
        team: tuple[TeamLine, ...] = ()
        items: tuple[reminders.Reminder, ...] = ()
        figures: tuple[Figure, ...] = ()
        if ctx.actor.at_least("supervisor") or ctx.actor.role == "viewer":
            team, items = _team(s, ctx, today)
            figures = _figures(s, ctx, today)
        return Dashboard(today, tuple(groups), team, items, figures)


def _team(s, ctx: Ctx, today: date) -> tuple[tuple[TeamLine, ...], tuple[reminders.Reminder, ...]]:  # noqa: ANN001
    fu_cond = and_(Interaction.follow_up_due < today, owner_scope(ctx.actor, Interaction.follow_up_user_id),
                   Interaction.follow_up_user_id != ctx.actor.id)
    v_cond = and_(VisitPlan.status == "planned", VisitPlan.due < today, owner_scope(ctx.actor, VisitPlan.assignee_id),
                  VisitPlan.assignee_id != ctx.actor.id)
    fu = dict(s.execute(select(Interaction.follow_up_user_id, func.count()).where(fu_cond)
                        .group_by(Interaction.follow_up_user_id)).all())
    vi = dict(s.execute(select(VisitPlan.assignee_id, func.count()).where(v_cond)
                        .group_by(VisitPlan.assignee_id)).all())
    uids = [u for u in set(fu) | set(vi) if u is not None]
    names = {uid: dn or un for uid, dn, un in s.execute(select(User.id, User.display_name, User.username)
                                                        .where(User.id.in_(uids)))} if uids else {}
    lines = sorted((TeamLine(u, names.get(u, "?"), fu.get(u, 0), vi.get(u, 0)) for u in uids),
                   key=lambda t: (-(t.overdue_follow_ups + t.overdue_visits), t.user))
    items: list[reminders.Reminder] = []
    for iid, due, summary, uid, cid, code, name in s.execute(
            select(Interaction.id, Interaction.follow_up_due, Interaction.summary, Interaction.follow_up_user_id,
                   Customer.id, Customer.code, Customer.name).join(Customer, Customer.id == Interaction.customer_id)
            .where(fu_cond).order_by(Interaction.follow_up_due).limit(TEAM_ITEMS)):
        items.append(reminders.Reminder("follow_up", due, cid, code, name,
                                        f"{names.get(uid, '?')}: {summary[:60]}", iid, True, uid))
    for vid, due, uid, cid, code, name in s.execute(
            select(VisitPlan.id, VisitPlan.due, VisitPlan.assignee_id, Customer.id, Customer.code, Customer.name)
            .join(Customer, Customer.id == VisitPlan.customer_id).where(v_cond)
            .order_by(VisitPlan.due).limit(TEAM_ITEMS)):
        items.append(reminders.Reminder("visit", due, cid, code, name, names.get(uid, "?"), vid, True, uid))
    items.sort(key=lambda r: (r.due, r.customer_code))
    return tuple(lines), tuple(items[:TEAM_ITEMS])


def _figures(s, ctx: Ctx, today: date) -> tuple[Figure, ...]:  # noqa: ANN001
    month_start = datetime(today.year, today.month, 1)
    values: dict[str, int] = {}
    try:
        from desktop_crm.core.models import Complaint
        from desktop_crm.core.services.complaints import complaint_scope
        from desktop_crm.core.services.complaints_query import overdue_expr
    except ImportError:  # complaints not installed
        pass
    else:
        scope = complaint_scope(ctx.actor)
        open_states = ("registered", "accepted", "processing")
        values["open_complaints"] = s.scalar(select(func.count()).select_from(Complaint)
                                             .where(scope, Complaint.status.in_(open_states))) or 0
        values["overdue_complaints"] = s.scalar(select(func.count()).select_from(Complaint)
                                                .where(scope, overdue_expr(datetime.now()))) or 0
    values["visits_done_month"] = s.scalar(
        select(func.count()).where(VisitPlan.done_at >= month_start, owner_scope(ctx.actor, VisitPlan.done_by_id))) or 0
    values["new_customers_month"] = s.scalar(
        select(func.count()).where(Customer.created_at >= month_start, owner_scope(ctx.actor, Customer.owner_id))) or 0
    extra = _sales_and_pipeline(s, ctx, today)
    values.update({k: v[0] for k, v in extra.items()})
    return tuple(Figure(k, gettext(label), values[k], *extra.get(k, (0, "", ""))[1:]) for k, label in FIGURES
                 if k in values)


def _sales_and_pipeline(s, ctx: Ctx, today: date) -> dict[str, tuple]:  # noqa: ANN001
    """Sales this month so far against the same days of the month a year ago; the open pipeline."""
    from desktop_crm.core.models import Opportunity, Order
    from desktop_crm.core.models.types import cents_to_money
    from desktop_crm.core.reporting.formatting import money_text

    mine = select(Customer.id).where(owner_scope(ctx.actor, Customer.owner_id))
    scoped = (lambda col: true()) if ctx.actor.sees_all else (lambda col: col.in_(mine))

    def sales(d0: date, d1: date) -> Decimal:
        cents = s.scalar(select(func.sum(type_coerce(Order.amount, BigInteger))).where(
            Order.date >= d0, Order.date <= d1, scoped(Order.customer_id)))
        return cents_to_money(cents)

    first = today.replace(day=1)
    try:
        ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        ago = today.replace(year=today.year - 1, day=28)
    now_sales, then_sales = sales(first, today), sales(ago.replace(day=1), ago)
    if then_sales:
        change = (now_sales - then_sales) / then_sales * 100
        detail = gettext("same days last year {amount} ({change:+.1f}%)").format(amount=money_text(then_sales),
                                                                                 change=change)
    else:
        detail = gettext("same days last year {amount}").format(amount=money_text(then_sales))
    n, amount = s.execute(select(func.count(), func.sum(type_coerce(Opportunity.amount, BigInteger))).where(
        Opportunity.stage.not_in(("won", "lost")), scoped(Opportunity.customer_id))).one()
    return {"sales_month": (now_sales, money_text(now_sales), detail),
            "pipeline": (int(n or 0), money_text(cents_to_money(amount)),
                         gettext("{n} open opportunities").format(n=int(n or 0)))}


def warm_up(db) -> None:  # noqa: ANN001
    """Compile and run the dashboard's statements once for each role shape (on a user id that owns
    nothing), so the first real load after login finds them in SQLAlchemy's compiled cache. Meant for
    the start-up thread that opens the database while the login window waits for the password."""
    from desktop_crm.core.services.context import Actor

    for role in ("staff", "supervisor", "manager"):
        load(Ctx(db, Actor(id=0, username="", role=role, department_id=0)))
