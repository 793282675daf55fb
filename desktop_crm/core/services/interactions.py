"""Interactions (跟进记录, DOMAIN §3) and the customer timeline.

Logging an interaction updates the customer's `last_contact_at` (a plain UPDATE, so the
customer's optimistic version is not bumped under someone editing the form) and closes
the customer's earlier pending follow-ups: the customer has now been contacted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from desktop_crm.core.enums import CUSTOMER_STATUS, INTERACTION_CHANNEL, INTERACTION_KIND
from desktop_crm.core.errors import NotFound, PermissionDenied, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Contact, Customer, Interaction, StatusChange, Transfer, User
from desktop_crm.core.services import audit, users
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customers import load_visible
from desktop_crm.core.services.permissions import owner_scope, require_write
from desktop_crm.core.workplan import links
from desktop_crm.core.workplan.tasks import KIND_OF_CHANNEL


@dataclass(frozen=True)
class InteractionView:
    id: int
    customer_id: int
    at: datetime
    channel: str
    kind: str
    summary: str
    outcome: str
    contact: str
    user: str
    next_follow_up: date | None
    follow_up_pending: bool


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # interaction | status | transfer | complaint | visit
    title: str
    detail: str
    user: str
    ref_id: int | None = None


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _view(i: Interaction, contact: str, user: str) -> InteractionView:
    return InteractionView(i.id, i.customer_id, i.at, i.channel, i.kind, i.summary, i.outcome or "", contact, user,
                           i.next_follow_up, i.follow_up_due is not None)


def touch_customer(s: Session, customer_id: int, at: datetime) -> None:
    """Raise last_contact_at to `at` (never lowers it); no version bump."""
    s.execute(update(Customer).where(Customer.id == customer_id,
                                     or_(Customer.last_contact_at.is_(None), Customer.last_contact_at < at))
              .values(last_contact_at=at).execution_options(synchronize_session=False))


def log_in_session(s: Session, ctx: Ctx, customer_id: int, *, channel: str, summary: str, kind: str = "follow_up",
                   outcome: str | None = None, contact_id: int | None = None, next_follow_up: date | None = None,
                   at: datetime | None = None, visit_id: int | None = None) -> Interaction:
    require_write(ctx.actor)
    c = load_visible(s, ctx, customer_id)
    at = at or now()
    errors: dict[str, str] = {}
    if channel not in INTERACTION_CHANNEL.keys:
        errors["channel"] = _("must be one of: {keys}").format(keys=", ".join(INTERACTION_CHANNEL.keys))
    if kind not in INTERACTION_KIND.keys:
        errors["kind"] = _("must be one of: {keys}").format(keys=", ".join(INTERACTION_KIND.keys))
    if not (summary or "").strip():
        errors["summary"] = _("is required")
    if at > now():
        errors["at"] = _("cannot be in the future")
    if next_follow_up is not None and next_follow_up < at.date():
        errors["next_follow_up"] = _("cannot be before the interaction")
    if contact_id is not None and s.scalar(select(Contact.customer_id).where(Contact.id == contact_id)) != c.id:
        errors["contact"] = _("is not a contact of this customer")
    if errors:
        raise ValidationError(errors)
    # The customer has been contacted: earlier pending follow-ups (and their tasks) are settled.
    pending = list(s.scalars(select(Interaction.id).where(Interaction.customer_id == c.id,
                                                         Interaction.follow_up_due.is_not(None))))
    if pending:
        links.close_linked(s, ctx, interaction_ids=pending, result=summary.strip())
    s.execute(update(Interaction).where(Interaction.customer_id == c.id, Interaction.follow_up_due.is_not(None))
              .values(follow_up_due=None, follow_up_done_at=at).execution_options(synchronize_session=False))
    i = Interaction(customer_id=c.id, contact_id=contact_id, user_id=ctx.actor.id, at=at, channel=channel, kind=kind,
                    summary=summary.strip(), outcome=(outcome or "").strip() or None, next_follow_up=next_follow_up,
                    follow_up_due=next_follow_up, follow_up_user_id=ctx.actor.id if next_follow_up else None,
                    visit_id=visit_id, created_at=now())
    s.add(i)
    s.flush()
    if next_follow_up is not None:
        links.add_linked(s, ctx, day=next_follow_up,
                         owner_id=ctx.actor.id, customer_id=c.id, interaction_id=i.id, contact_id=contact_id,
                         kind=KIND_OF_CHANNEL.get(channel, "call"))
    touch_customer(s, c.id, at)
    audit.record(s, ctx.actor, "interaction", i.id, "create",
                 {"customer_id": (None, c.id), "channel": (None, channel), "kind": (None, kind),
                  "summary": (None, i.summary), "next_follow_up": (None, next_follow_up)}, label=c.code)
    return i


def log_interaction(ctx: Ctx, customer_id: int, *, channel: str, summary: str, kind: str = "follow_up",
                    outcome: str | None = None, contact_id: int | None = None, next_follow_up: date | None = None,
                    at: datetime | None = None) -> InteractionView:
    with ctx.db.write() as s:
        i = log_in_session(s, ctx, customer_id, channel=channel, summary=summary, kind=kind, outcome=outcome,
                           contact_id=contact_id, next_follow_up=next_follow_up, at=at)
        contact = s.scalar(select(Contact.name).where(Contact.id == contact_id)) if contact_id else ""
        return _view(i, contact or "", ctx.actor.label)


def complete_follow_up(ctx: Ctx, interaction_id: int) -> None:
    """Mark a pending follow-up done without logging a new interaction."""
    require_write(ctx.actor)
    with ctx.db.write() as s:
        i = s.get(Interaction, interaction_id)
        if i is None or i.follow_up_due is None:
            raise NotFound(_("No pending follow-up."))
        load_visible(s, ctx, i.customer_id)
        if i.follow_up_user_id != ctx.actor.id and not s.scalar(
                select(User.id).where(User.id == i.follow_up_user_id, owner_scope(ctx.actor, User.id))):
            raise PermissionDenied()
        at = now()
        audit.record(s, ctx.actor, "interaction", i.id, "follow_up_done", {"follow_up_due": (i.follow_up_due, None)})
        i.follow_up_due, i.follow_up_done_at = None, at


def list_for_customer(ctx: Ctx, customer_id: int, limit: int = 500) -> list[InteractionView]:
    with ctx.db.read() as s:
        load_visible(s, ctx, customer_id)
        names = users.names(s)
        rows = s.execute(select(Interaction, Contact.name).outerjoin(Contact, Contact.id == Interaction.contact_id)
                         .where(Interaction.customer_id == customer_id)
                         .order_by(Interaction.at.desc(), Interaction.id.desc()).limit(limit))
        return [_view(i, cn or "", names.get(i.user_id, "")) for i, cn in rows]


def count_for_customer(ctx: Ctx, customer_id: int) -> int:
    with ctx.db.read() as s:
        load_visible(s, ctx, customer_id)
        return s.scalar(select(func.count()).where(Interaction.customer_id == customer_id)) or 0


def timeline(ctx: Ctx, customer_id: int, limit: int = 500) -> list[TimelineEntry]:
    """Interactions, status changes, transfers, complaints and return visits, newest first."""
    from desktop_crm.core.enums import VISIT_PURPOSE
    from desktop_crm.core.models import VisitPlan

    with ctx.db.read() as s:
        load_visible(s, ctx, customer_id)
        names = users.names(s)
        pool = _("Customer pool")
        out: list[TimelineEntry] = []
        for i, cn in s.execute(select(Interaction, Contact.name).outerjoin(Contact, Contact.id == Interaction.contact_id)
                               .where(Interaction.customer_id == customer_id)
                               .order_by(Interaction.at.desc()).limit(limit)):
            title = f"{INTERACTION_KIND.label(i.kind)} · {INTERACTION_CHANNEL.label(i.channel)}"
            detail = i.summary + (f" → {i.outcome}" if i.outcome else "")
            if cn:
                title += f" · {cn}"
            if i.next_follow_up:
                detail += "  " + _("(next follow-up {date})").format(date=i.next_follow_up.isoformat())
            out.append(TimelineEntry(i.at, "interaction", title, detail, names.get(i.user_id, ""), i.id))
        for h in s.scalars(select(StatusChange).where(StatusChange.customer_id == customer_id)
                           .order_by(StatusChange.at.desc()).limit(limit)):
            title = _("Status: {old} → {new}").format(old=CUSTOMER_STATUS.label(h.previous) or "—",
                                                      new=CUSTOMER_STATUS.label(h.status))
            out.append(TimelineEntry(h.at, "status", title, h.reason or "", names.get(h.user_id, ""), h.id))
        for t in s.scalars(select(Transfer).where(Transfer.customer_id == customer_id)
                           .order_by(Transfer.at.desc()).limit(limit)):
            title = _("Transfer: {old} → {new}").format(
                old=pool if t.from_user_id is None else names.get(t.from_user_id, "?"),
                new=pool if t.to_user_id is None else names.get(t.to_user_id, "?"))
            out.append(TimelineEntry(t.at, "transfer", title, t.reason or "", names.get(t.by_user_id, ""), t.id))
        for v in s.scalars(select(VisitPlan).where(VisitPlan.customer_id == customer_id, VisitPlan.status == "planned")
                           .limit(limit)):
            title = _("Return visit planned for {date}: {purpose}").format(date=v.due.isoformat(),
                                                                          purpose=VISIT_PURPOSE.label(v.purpose))
            out.append(TimelineEntry(datetime.combine(v.due, datetime.min.time()), "visit", title, v.note or "",
                                     names.get(v.assignee_id, ""), v.id))
        out.extend(_complaint_entries(s, customer_id, names, limit))
        out.sort(key=lambda e: (e.at, e.kind == "interaction", e.ref_id or 0), reverse=True)
        return out[:limit]


def _complaint_entries(s: Session, customer_id: int, names: dict[int, str], limit: int) -> list[TimelineEntry]:
    try:
        from desktop_crm.core.enums import COMPLAINT_STATE
        from desktop_crm.core.models import Complaint
    except ImportError:  # complaints not installed
        return []
    out = []
    for c in s.scalars(select(Complaint).where(Complaint.customer_id == customer_id)
                       .order_by(Complaint.received_at.desc()).limit(limit)):
        title = _("Complaint {number}: {state}").format(number=c.number, state=COMPLAINT_STATE.label(c.status))
        out.append(TimelineEntry(c.received_at, "complaint", title, (c.description or "")[:200],
                                 names.get(c.received_by_id, ""), c.id))
    return out
