"""The handover of a leaving user (DOMAIN §4, 转交): what they own, a split among colleagues
by rule, and one confirmation that moves everything and deactivates the account in one
transaction. Also the transfers follower that moves open visits and follow-ups."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop_crm.core.db import among
from desktop_crm.core.errors import NotFound, PermissionDenied, ValidationError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.models import Customer, Interaction, User, VisitPlan
from desktop_crm.core.services import audit, transfers
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_role, user_in_scope

RULES = [("city", N_("By city")), ("grade", N_("By grade")), ("round_robin", N_("Round-robin")),
         ("hand", N_("By hand"))]
POOL = None  # a target of None = the customer pool


@dataclass(frozen=True)
class OwnedCustomer:
    id: int
    code: str
    name: str
    city: str
    grade: str


@dataclass(frozen=True)
class Inventory:
    user_id: int
    username: str
    label: str
    customers: tuple[OwnedCustomer, ...]
    open_complaints: int
    planned_visits: int
    pending_follow_ups: int


@dataclass(frozen=True)
class HandoverResult:
    moved: dict[int | None, int]  # target user id (None = pool) -> customers
    visits: int
    follow_ups: int
    complaints: int
    deactivated: bool


OPEN_COMPLAINT = ("registered", "accepted", "processing")


def follow_transfer(s: Session, ctx: Ctx, customer_ids: list[int], old_owner_id: int,
                    new_owner_id: int | None) -> None:
    """transfers.followers(): planned return visits and pending follow-ups of these customers that
    belong to the old owner go to the new owner (unassigned when the customers go to the pool)."""
    visits = s.scalars(select(VisitPlan.id).where(among(VisitPlan.customer_id, customer_ids),
                                                  VisitPlan.assignee_id == old_owner_id,
                                                  VisitPlan.status == "planned")).all()
    if visits:
        s.execute(update(VisitPlan).where(among(VisitPlan.id, visits)).values(assignee_id=new_owner_id)
                  .execution_options(synchronize_session=False))
        audit.record_many(s, ctx.actor, [("visit", vid, "assign", {"assignee_id": (old_owner_id, new_owner_id)},
                                          None) for vid in visits])
    s.execute(update(Interaction).where(among(Interaction.customer_id, customer_ids),
                                        Interaction.follow_up_user_id == old_owner_id,
                                        Interaction.follow_up_due.is_not(None))
              .values(follow_up_user_id=new_owner_id).execution_options(synchronize_session=False))


def _complaint_model():  # noqa: ANN202
    try:
        from desktop_crm.core.models import Complaint
    except ImportError:
        return None
    return Complaint


def inventory(ctx: Ctx, user_id: int) -> Inventory:
    require_role(ctx.actor, "supervisor", _("Only supervisors and managers hand over customers."))
    with ctx.db.read() as s:
        u = s.get(User, user_id)
        if u is None:
            raise NotFound(_("No such user."))
        if not user_in_scope(s, ctx.actor, user_id):
            raise PermissionDenied(_("You can only transfer within your team."))
        rows = s.execute(select(Customer.id, Customer.code, Customer.name, Customer.city, Customer.grade)
                         .where(Customer.owner_id == user_id).order_by(Customer.code))
        owned = tuple(OwnedCustomer(i, c, n, city or "", g or "") for i, c, n, city, g in rows)
        Complaint = _complaint_model()  # noqa: N806
        complaints = 0 if Complaint is None else s.scalar(
            select(func.count()).where(Complaint.handler_id == user_id, Complaint.status.in_(OPEN_COMPLAINT))) or 0
        visits = s.scalar(select(func.count()).where(VisitPlan.assignee_id == user_id,
                                                     VisitPlan.status == "planned")) or 0
        follow = s.scalar(select(func.count()).where(Interaction.follow_up_user_id == user_id,
                                                     Interaction.follow_up_due.is_not(None))) or 0
        return Inventory(u.id, u.username, u.display_name or u.username, owned, complaints, visits, follow)


def split(customers: list[OwnedCustomer] | tuple[OwnedCustomer, ...], rule: str,
          targets: list[int | None]) -> dict[int, int | None]:
    """A proposal customer id -> target. `city` and `grade` keep each city/grade with one colleague,
    largest groups first to the least-loaded colleague; `round_robin` deals customers in code order."""
    if not targets:
        raise ValidationError({"targets": _("choose at least one colleague or the pool")})
    if rule == "round_robin":
        cycle = itertools.cycle(targets)
        return {c.id: next(cycle) for c in sorted(customers, key=lambda c: c.code)}
    if rule not in ("city", "grade"):
        raise ValidationError({"rule": _("must be one of: {keys}").format(keys="city, grade, round_robin")})
    key = (lambda c: c.city) if rule == "city" else (lambda c: c.grade)
    sizes = Counter(key(c) for c in customers)
    load = {i: 0 for i in range(len(targets))}
    owner_of: dict[str, int | None] = {}
    for value, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        slot = min(load, key=lambda i: (load[i], i))
        owner_of[value] = targets[slot]
        load[slot] += n
    return {c.id: owner_of[key(c)] for c in customers}


def execute(ctx: Ctx, user_id: int, assignment: dict[int, int | None], *, reason: str = "",
            rest_to: int | None = None, deactivate: bool = True) -> HandoverResult:
    """One confirmation: every customer in `assignment` goes to its target (None = pool); open visits,
    follow-ups and complaints follow their customers; what remains of the leaving user's open work
    (on customers they did not own) goes to `rest_to`; then the account is deactivated. All or nothing."""
    require_role(ctx.actor, "supervisor", _("Only supervisors and managers hand over customers."))
    if deactivate:
        require_role(ctx.actor, "admin", _("Only administrators deactivate users."))
    with ctx.db.write() as s:
        u = s.get(User, user_id)
        if u is None:
            raise NotFound(_("No such user."))
        if not user_in_scope(s, ctx.actor, user_id):
            raise PermissionDenied(_("You can only transfer within your team."))
        if user_id in assignment.values() or rest_to == user_id:
            raise ValidationError({"targets": _("cannot hand over to the user who is leaving")})
        owned = set(s.scalars(select(Customer.id).where(Customer.owner_id == user_id)))
        missing = owned - set(assignment)
        if deactivate and missing:
            raise ValidationError({"customers": _("{n} customers have no new owner yet").format(n=len(missing))})
        if set(assignment) - owned:
            raise ValidationError({"customers": _("some customers are not owned by {user}").format(user=u.username)})
        reason = (reason or "").strip() or _("Handover: {user} left").format(user=u.username)
        by_target: dict[int | None, list[int]] = {}
        for cid, target in assignment.items():
            by_target.setdefault(target, []).append(cid)
        moved = {t: transfers.move_customers(s, ctx, sorted(ids), t, reason) for t, ids in by_target.items()}
        visits, follow_ups, complaints = _rest(s, ctx, user_id, rest_to)
        if deactivate:
            _deactivate(s, ctx, u)
        audit.record(s, ctx.actor, "user", u.id, "handover",
                     {"customers": (len(owned), 0), "visits": (None, visits), "follow_ups": (None, follow_ups),
                      "complaints": (None, complaints)}, label=u.username)
        return HandoverResult(moved, visits, follow_ups, complaints, deactivate)


def _rest(s: Session, ctx: Ctx, user_id: int, rest_to: int | None) -> tuple[int, int, int]:
    """Open work of the leaving user on customers they do not own (after the move)."""
    if rest_to is not None:
        target = s.get(User, rest_to)
        if target is None or not target.active:
            raise ValidationError({"rest_to": _("is not an active user")})
        if not user_in_scope(s, ctx.actor, rest_to):
            raise PermissionDenied(_("You can only transfer within your team."))
    visit_ids = s.scalars(select(VisitPlan.id).where(VisitPlan.assignee_id == user_id,
                                                     VisitPlan.status == "planned")).all()
    if visit_ids:
        s.execute(update(VisitPlan).where(VisitPlan.id.in_(visit_ids)).values(assignee_id=rest_to)
                  .execution_options(synchronize_session=False))
        for vid in visit_ids:
            audit.record(s, ctx.actor, "visit", vid, "assign", {"assignee_id": (user_id, rest_to)})
    follow = s.execute(update(Interaction).where(Interaction.follow_up_user_id == user_id,
                                                 Interaction.follow_up_due.is_not(None))
                       .values(follow_up_user_id=rest_to).execution_options(synchronize_session=False)).rowcount
    complaints = 0
    Complaint = _complaint_model()  # noqa: N806
    if Complaint is not None:
        now = datetime.now().replace(microsecond=0)
        for c in s.scalars(select(Complaint).where(Complaint.handler_id == user_id,
                                                   Complaint.status.in_(OPEN_COMPLAINT))):
            audit.record(s, ctx.actor, "complaint", c.id, "assign", {"handler_id": (user_id, rest_to)},
                         label=c.number)
            c.handler_id, c.updated_at, c.updated_by_id = rest_to, now, ctx.actor.id
            _complaint_event(s, ctx, c.id, now, rest_to)
            complaints += 1
    return len(visit_ids), int(follow or 0), complaints


def _complaint_event(s: Session, ctx: Ctx, complaint_id: int, at: datetime, handler_id: int | None) -> None:
    """The complaint's own timeline shows the reassignment too."""
    try:
        from desktop_crm.core.models import ComplaintEvent
    except ImportError:
        return
    who = s.scalar(select(User.display_name).where(User.id == handler_id)) if handler_id else None
    s.add(ComplaintEvent(complaint_id=complaint_id, at=at, user_id=ctx.actor.id, kind="assign",
                         note=_("Handler: {who} (handover of a leaving user)").format(who=who or _("nobody"))))


def _deactivate(s: Session, ctx: Ctx, u: User) -> None:
    if u.id == ctx.actor.id:
        raise ValidationError({"user": _("you cannot deactivate yourself")})
    if u.role == "admin" and (s.scalar(select(func.count(User.id)).where(User.role == "admin",
                                                                         User.active.is_(True))) or 0) <= 1:
        raise ValidationError({"user": _("the last administrator cannot be deactivated")})
    if s.scalar(select(func.count()).where(Customer.owner_id == u.id)):
        raise ValidationError({"customers": _("{user} still owns customers").format(user=u.username)})
    u.active = False
    audit.record(s, ctx.actor, "user", u.id, "deactivate", {"active": (True, False)}, label=u.username)
