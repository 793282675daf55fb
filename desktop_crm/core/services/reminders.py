"""Care reminders computed by the app (DOMAIN §3) — no external scheduler.

Every group is one indexed query on the user's own items; the pure date rules of
core/rules/reminders.py decide the edge cases. Groups: follow-ups due or overdue,
return visits due or overdue, birthdays of individual customers and of contacts,
key customers not contacted, churn warnings (no order), contracts ending,
opportunities without an action this month, open complaints handled by the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import Session

from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.i18n import N_, _, gettext
from desktop_crm.core.models import Contact, Customer, Interaction, ReminderDismissal, User, VisitPlan
from desktop_crm.core.models.visits import month_day
from desktop_crm.core.rules import reminders as rules
from desktop_crm.core.services import settings
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import user_in_scope

GROUPS: list[tuple[str, str]] = [
    ("follow_up", N_("Follow-ups due")),
    ("visit", N_("Return visits due")),
    ("complaint", N_("Open complaints")),
    ("birthday", N_("Birthdays")),
    ("key_no_contact", N_("Key customers not contacted")),
    ("churn", N_("Churn warnings")),
    ("contract_end", N_("Contracts ending")),
    ("contract_anniversary", N_("Contract anniversaries")),
    ("opportunity_stale", N_("Opportunities without an action this month")),
]
GROUP_TITLES = dict(GROUPS)
PER_GROUP = 200  # items listed per group; counts are exact
KEY_GRADES = ("key_important", "key_secondary")


@dataclass(frozen=True)
class Reminder:
    kind: str
    due: date
    customer_id: int | None
    customer_code: str
    customer_name: str
    title: str
    ref_id: int
    overdue: bool
    user_id: int | None = None

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "due": self.due.isoformat(), "customer_code": self.customer_code,
                "customer": self.customer_name, "title": self.title, "ref_id": self.ref_id, "overdue": self.overdue}


@dataclass(frozen=True)
class Group:
    kind: str
    title: str
    count: int
    items: tuple[Reminder, ...]


def params(s: Session) -> rules.ReminderParams:
    return rules.ReminderParams(
        birthday_days=int(settings.read(s, "remind_birthday_days")),
        not_contacted_days=int(settings.read(s, "remind_key_no_contact_days")),
        no_order_days=int(settings.read(s, "remind_no_order_days")),
        contract_days=int(settings.read(s, "remind_contract_end_days")),
    )


def window_month_days(today: date, days: int) -> list[int]:
    """month*100+day values of the days today..today+days; Feb 29 birthdays count on Feb 28 of common years."""
    out: list[int] = []
    for n in range(min(days, 366) + 1):
        d = today + timedelta(days=n)
        out.append(d.month * 100 + d.day)
        if d.month == 2 and d.day == 28 and not _leap(d.year):
            out.append(229)
    return sorted(set(out))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _dismissed(s: Session, user_id: int, today: date) -> set[tuple[str, int]]:
    return set(s.execute(select(ReminderDismissal.kind, ReminderDismissal.ref_id)
                         .where(ReminderDismissal.user_id == user_id, ReminderDismissal.until >= today)).all())


def _group(kind: str, items: list[Reminder], count: int | None = None) -> Group:
    items.sort(key=lambda r: (r.due, r.customer_code))
    return Group(kind, gettext(GROUP_TITLES[kind]), len(items) if count is None else count, tuple(items[:PER_GROUP]))


def _follow_ups(s: Session, uid: int, today: date) -> Group:
    cond = and_(Interaction.follow_up_user_id == uid, Interaction.follow_up_due <= today)
    count = s.scalar(select(func.count()).where(cond)) or 0
    rows = s.execute(select(Interaction.id, Interaction.follow_up_due, Interaction.summary, Customer.id, Customer.code,
                            Customer.name).join(Customer, Customer.id == Interaction.customer_id).where(cond)
                     .order_by(Interaction.follow_up_due).limit(PER_GROUP))
    items = [Reminder("follow_up", due, cid, code, name, summary[:80], iid, due < today, uid)
             for iid, due, summary, cid, code, name in rows]
    return _group("follow_up", items, count)


def _visible_to(s: Session, uid: int):  # noqa: ANN202 - SQL condition on Customer
    from desktop_crm.core.services.permissions import customer_scope
    from desktop_crm.core.services.users import actor_of

    user = s.get(User, uid)
    return customer_scope(actor_of(user)) if user is not None else false()


def _visits(s: Session, uid: int, today: date) -> Group:
    from desktop_crm.core.enums import VISIT_PURPOSE

    cond = and_(VisitPlan.assignee_id == uid, VisitPlan.status == "planned", VisitPlan.due <= today,
                _visible_to(s, uid))  # a visit assigned to someone who may not see the customer shows nothing
    count = s.scalar(select(func.count()).select_from(VisitPlan).join(Customer, Customer.id == VisitPlan.customer_id)
                     .where(cond)) or 0
    rows = s.execute(select(VisitPlan.id, VisitPlan.due, VisitPlan.purpose, Customer.id, Customer.code, Customer.name)
                     .join(Customer, Customer.id == VisitPlan.customer_id).where(cond)
                     .order_by(VisitPlan.due).limit(PER_GROUP))
    items = [Reminder("visit", due, cid, code, name, VISIT_PURPOSE.label(purpose), vid, due < today, uid)
             for vid, due, purpose, cid, code, name in rows]
    return _group("visit", items, count)


def customer_birthdays(uid: int, mds: list[int]):  # noqa: ANN201 - a Select (uses ix_customers_owner_birthday_md)
    return (select(Customer.id, Customer.code, Customer.name, Customer.birthday)
            .where(Customer.owner_id == uid, month_day(Customer.birthday).in_(mds), Customer.kind == "individual",
                   Customer.status.not_in(("lost", "invalid"))))


def _birthdays(s: Session, uid: int, today: date, p: rules.ReminderParams, hidden: set) -> Group:
    mds = window_month_days(today, p.birthday_days)
    items: list[Reminder] = []
    for cid, code, name, born in s.execute(customer_birthdays(uid, mds)):
        up = rules.upcoming_birthday(born, today, p)
        if up is not None and ("birthday", cid) not in hidden:
            items.append(Reminder("birthday", up.on, cid, code, name,
                                  _("{name} turns {age}").format(name=name, age=up.years), cid, False, uid))
    owned = select(Customer.id).where(Customer.owner_id == uid)
    found = s.execute(select(Contact.id, Contact.name, Contact.birthday, Contact.customer_id)
                      .where(month_day(Contact.birthday).in_(mds), Contact.customer_id.in_(owned))).all()
    names = _customer_names(s, {r[3] for r in found})
    for kid, kname, born, cid in found:
        up = rules.upcoming_birthday(born, today, p)
        if up is not None and ("contact_birthday", kid) not in hidden:
            code, name = names[cid]
            items.append(Reminder("contact_birthday", up.on, cid, code, name,
                                  _("Contact {name}'s birthday").format(name=kname), kid, False, uid))
    return _group("birthday", items)


def _customer_names(s: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    return {cid: (code, name) for cid, code, name in s.execute(
        select(Customer.id, Customer.code, Customer.name).where(Customer.id.in_(sorted(ids))))}


def _hidden_ids(hidden: set, kind: str) -> list[int]:
    return [ref for k, ref in hidden if k == kind]


def _key_not_contacted(s: Session, uid: int, today: date, p: rules.ReminderParams, hidden: set) -> Group:
    limit_at = datetime.combine(today - timedelta(days=p.not_contacted_days - 1), datetime.min.time())
    cond = and_(Customer.owner_id == uid, Customer.grade.in_(KEY_GRADES),
                or_(Customer.last_contact_at.is_(None), Customer.last_contact_at < limit_at),
                Customer.status.not_in(("lost", "invalid")), Customer.id.not_in(_hidden_ids(hidden, "key_no_contact")))
    rows = s.execute(select(Customer.id, Customer.code, Customer.name, Customer.last_contact_at).where(cond)).all()
    items = []
    for cid, code, name, last in rows:
        if not rules.not_contacted(last, today, p):
            continue
        since = rules.days_since(last, today)
        title = _("Never contacted") if since is None else _("Not contacted for {n} days").format(n=since)
        due = today if last is None else last.date() + timedelta(days=p.not_contacted_days)
        items.append(Reminder("key_no_contact", due, cid, code, name, title, cid, due < today, uid))
    return _group("key_no_contact", items)


def _churn(s: Session, uid: int, today: date, p: rules.ReminderParams, hidden: set) -> Group | None:
    try:
        from desktop_crm.core.models import Order
    except ImportError:  # orders not installed
        return None
    since = today - timedelta(days=p.no_order_days - 1)
    cond = and_(Customer.owner_id == uid, Customer.status == "active",
                ~exists().where(Order.customer_id == Customer.id, Order.date >= since),
                Customer.id.not_in(_hidden_ids(hidden, "churn")))
    ids = s.scalars(select(Customer.id).where(cond).order_by(Customer.id)).all()  # a covering index scan
    names = _customer_names(s, set(ids[:PER_GROUP]))
    shown = [(cid, *names[cid]) for cid in ids[:PER_GROUP]]
    last: dict[int, date] = {}
    if shown:
        last = dict(s.execute(select(Order.customer_id, func.max(Order.date))
                              .where(Order.customer_id.in_([r[0] for r in shown])).group_by(Order.customer_id)).all())
    items = []
    for cid, code, name in shown:
        last_order = last.get(cid)
        if not rules.no_order(last_order, today, p):
            continue
        title = _("No order yet") if last_order is None else _("No order since {date}").format(date=last_order)
        items.append(Reminder("churn", today, cid, code, name, title, cid, False, uid))
    return _group("churn", items, len(ids))


def _contracts(s: Session, uid: int, today: date, p: rules.ReminderParams, hidden: set) -> Group | None:
    try:
        from desktop_crm.core.models import Contract
    except ImportError:
        return None
    rows = s.execute(select(Contract.id, Contract.number, Contract.end_on, Customer.id, Customer.code, Customer.name)
                     .join(Customer, Customer.id == Contract.customer_id)
                     .where(Customer.owner_id == uid, Contract.status == "active",
                            Contract.end_on.between(today, today + timedelta(days=p.contract_days))))
    items = [Reminder("contract_end", end, cid, code, name, _("Contract {number} ends {date}").format(
        number=number, date=end.isoformat()), kid, False, uid)
        for kid, number, end, cid, code, name in rows
        if rules.contract_ending(end, today, p) and ("contract_end", kid) not in hidden]
    return _group("contract_end", items)


def _anniversaries(s: Session, uid: int, today: date, p: rules.ReminderParams, hidden: set) -> Group | None:
    """Contracts in force whose signing anniversary is within `contract_days` (a thank-you call)."""
    try:
        from desktop_crm.core.models import Contract
    except ImportError:
        return None
    rows = s.execute(select(Contract.id, Contract.number, Contract.signed_on, Customer.id, Customer.code, Customer.name)
                     .join(Customer, Customer.id == Contract.customer_id)
                     .where(Customer.owner_id == uid, Contract.status == "active", Contract.signed_on.is_not(None)))
    items = []
    for kid, number, signed, cid, code, name in rows:
        nxt = rules.upcoming_anniversary(signed, today, p.contract_days)
        if nxt is not None and ("contract_anniversary", kid) not in hidden:
            items.append(Reminder("contract_anniversary", nxt.on, cid, code, name,
                                  _("Contract {number}: {n} years on {date}").format(
                                      number=number, n=nxt.years, date=nxt.on.isoformat()), kid, False, uid))
    return _group("contract_anniversary", items)


def _opportunities(s: Session, uid: int, today: date, hidden: set) -> Group | None:
    try:
        from desktop_crm.core.models import Opportunity
    except ImportError:
        return None
    month_start = datetime(today.year, today.month, 1)
    rows = s.execute(select(Opportunity.id, Opportunity.name, Opportunity.last_action_at, Customer.id, Customer.code,
                            Customer.name).join(Customer, Customer.id == Opportunity.customer_id)
                     .where(Opportunity.owner_id == uid, Opportunity.stage.not_in(("won", "lost")),
                            or_(Opportunity.last_action_at.is_(None), Opportunity.last_action_at < month_start)))
    items = [Reminder("opportunity_stale", today, cid, code, name, oname, oid, False, uid)
             for oid, oname, last, cid, code, name in rows
             if rules.no_action_this_month(last, today) and ("opportunity_stale", oid) not in hidden]
    return _group("opportunity_stale", items)


def _complaints(s: Session, uid: int, today: date) -> Group | None:
    try:
        from desktop_crm.core.models import Complaint
        from desktop_crm.core.services.complaints_query import next_due_expr
    except ImportError:
        return None
    due_expr = next_due_expr()
    rows = s.execute(select(Complaint.id, Complaint.number, due_expr, Customer.id, Customer.code, Customer.name)
                     .join(Customer, Customer.id == Complaint.customer_id)
                     .where(Complaint.handler_id == uid, Complaint.status.in_(("registered", "accepted", "processing"))))
    now = datetime.now()
    items = []
    for kid, number, due, cid, code, name in rows:
        due_dt = due if isinstance(due, datetime) else (datetime.fromisoformat(str(due)) if due else now)
        items.append(Reminder("complaint", due_dt.date(), cid, code, name, number, kid, due_dt < now, uid))
    return _group("complaint", items)


def _target_user(s: Session, ctx: Ctx, user_id: int | None) -> int:
    uid = user_id or ctx.actor.id
    if uid != ctx.actor.id and (ctx.actor.role == "staff" or not user_in_scope(s, ctx.actor, uid)):
        raise PermissionDenied(_("You can only see the reminders of your team."))
    return uid


def groups_in_session(s: Session, ctx: Ctx, user_id: int | None = None, today: date | None = None) -> list[Group]:
    today = today or date.today()
    uid = _target_user(s, ctx, user_id)
    p = params(s)
    hidden = _dismissed(s, uid, today)
    out = [_follow_ups(s, uid, today), _visits(s, uid, today), _complaints(s, uid, today),
           _birthdays(s, uid, today, p, hidden), _key_not_contacted(s, uid, today, p, hidden),
           _churn(s, uid, today, p, hidden), _contracts(s, uid, today, p, hidden),
           _anniversaries(s, uid, today, p, hidden),
           _opportunities(s, uid, today, hidden)]
    return [g for g in out if g is not None]


def for_user(ctx: Ctx, user_id: int | None = None, today: date | None = None) -> list[Group]:
    """The user's due items by group (the actor's own by default; supervisors may ask for their team)."""
    with ctx.db.read() as s:
        return groups_in_session(s, ctx, user_id, today)


def flat(groups: list[Group]) -> list[Reminder]:
    return [r for g in groups for r in g.items]


DISMISSABLE = {"birthday", "contact_birthday", "key_no_contact", "churn", "contract_end", "contract_anniversary",
               "opportunity_stale"}


def mark_done(ctx: Ctx, item: Reminder, today: date | None = None) -> None:
    """Mark a due item done: a follow-up is completed; a care reminder is hidden until its next occurrence."""
    from desktop_crm.core.services import audit, interactions

    today = today or date.today()
    if item.kind == "follow_up":
        interactions.complete_follow_up(ctx, item.ref_id)
        return
    if item.kind not in DISMISSABLE:
        raise ValidationError({"kind": _("this item is done from its own dialog")})
    p_days = {"key_no_contact": 7, "churn": 30}
    if item.kind in ("birthday", "contact_birthday", "contract_end", "contract_anniversary"):
        until = max(item.due, today)
    elif item.kind == "opportunity_stale":
        nxt = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
        until = nxt - timedelta(days=1)
    else:
        until = today + timedelta(days=p_days[item.kind])
    with ctx.db.write() as s:
        row = s.scalars(select(ReminderDismissal).where(ReminderDismissal.user_id == ctx.actor.id,
                                                        ReminderDismissal.kind == item.kind,
                                                        ReminderDismissal.ref_id == item.ref_id)).first()
        if row is None:
            s.add(ReminderDismissal(user_id=ctx.actor.id, kind=item.kind, ref_id=item.ref_id, until=until,
                                    at=datetime.now().replace(microsecond=0)))
        else:
            row.until = until
        audit.record(s, ctx.actor, "reminder", item.ref_id, "done", {"kind": (None, item.kind), "until": (None, until)},
                     label=item.customer_code)


def user_label(s: Session, uid: int) -> str:
    row = s.execute(select(User.display_name, User.username).where(User.id == uid)).first()
    return (row[0] or row[1]) if row else ""
