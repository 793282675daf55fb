"""Complaint records (DOMAIN §5): register, edit, assign, detail with timeline, scope.

Scope (DOMAIN §1), the same for list, search, detail and export:
- manager, admin, viewer: every complaint;
- supervisor: complaints received by, handled by or assigned to the department of a member of
  their department, and complaints of customers owned by their team;
- staff: complaints they received or handle, and complaints of customers they own (the owner is
  the customer's account rep and must see what the customer complained about).
Lists and search live in complaints_query.py; the state machine in complaint_workflow.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from desktop_crm.core.db import among
from desktop_crm.core.enums import COMPLAINT_CHANNEL
from desktop_crm.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Complaint, ComplaintEvent, Contact, Customer, Department, User
from desktop_crm.core.rules import sla
from desktop_crm.core.rules.parsing import (
    clean_text,
    strip_control,
)
from desktop_crm.core.services import audit, settings
from desktop_crm.core.services.complaint_fields import clean_fields
from desktop_crm.core.services.context import Actor, Ctx
from desktop_crm.core.services.permissions import require_role, require_write, team_user_ids, user_in_scope

TRACKED = ["customer_id", "contact_id", "caller", "caller_phone", "channel", "received_at", "received_by_id",
           "order_no", "category", "severity", "description", "demand", "handler_id", "department_id", "status",
           "solution_plan", "result", "customer_informed_at", "compensation", "root_cause", "claim_amount",
           "claim_approved", "claim_paid_on", "satisfaction", "response_due", "resolution_due",
           "first_response_at", "accepted_at", "resolved_at", "closed_at"]
# Fields an edit may change (moves change the workflow fields; assign changes the handler).
EDITABLE = ["contact_id", "caller", "caller_phone", "channel", "order_no", "category", "severity", "description",
            "demand", "root_cause", "claim_amount", "claim_approved", "claim_paid_on", "department_id"]


def complaint_scope(actor: Actor) -> ColumnElement[bool]:
    if actor.sees_all:
        return true()
    if actor.role == "supervisor" and actor.department_id is not None:
        team = team_user_ids(actor)
        return or_(Complaint.received_by_id.in_(team), Complaint.handler_id.in_(team),
                   Complaint.department_id == actor.department_id,
                   Complaint.customer_id.in_(select(Customer.id).where(Customer.owner_id.in_(team))))
    return or_(Complaint.received_by_id == actor.id, Complaint.handler_id == actor.id,
               Complaint.customer_id.in_(select(Customer.id).where(Customer.owner_id == actor.id)))


def load_visible(s: Session, ctx: Ctx, complaint_id: int, *, for_update: bool = False,
                 version: int | None = None) -> Complaint:
    c = s.scalars(select(Complaint).where(Complaint.id == complaint_id, complaint_scope(ctx.actor))).first()
    if c is None:
        raise NotFound(_("Complaint not found."))
    if for_update:
        require_write(ctx.actor)
        if version is not None and version != c.version:
            raise ConflictError(_("Complaint {number} was changed by someone else; reopen it and try again.")
                                .format(number=c.number))
    return c


def snapshot(c: Complaint) -> dict[str, object]:
    return {k: getattr(c, k) for k in TRACKED}


def last_event_at(s: Session, complaint_id: int) -> datetime | None:
    return s.scalar(select(func.max(ComplaintEvent.at)).where(ComplaintEvent.complaint_id == complaint_id))


def sla_params(s: Session) -> sla.SLAParams:
    resp = dict(settings.read(s, "sla_response_hours"))  # type: ignore[arg-type]
    reso = dict(settings.read(s, "sla_resolution_hours"))  # type: ignore[arg-type]
    return sla.SLAParams(**{f"response_{k}": float(v) for k, v in resp.items()},
                         **{f"resolution_{k}": float(v) for k, v in reso.items()})


def next_number(s: Session, received_at: datetime) -> str:
    day = received_at.strftime("%Y%m%d")
    while True:
        number = f"TS{day}-{settings.next_number(s, f'complaint:{day}'):04d}"
        if not s.scalar(select(Complaint.id).where(Complaint.number == number)):
            return number


def _check_refs(s: Session, ctx: Ctx, values: dict[str, object]) -> None:
    from desktop_crm.core.services.permissions import intake_customer_scope

    if values.get("customer_id") is not None:
        found = s.scalar(select(Customer.id).where(Customer.id == int(values["customer_id"]),  # type: ignore[arg-type]
                                                   intake_customer_scope(ctx.actor)))
        if found is None:
            raise ValidationError({"customer_id": _("Customer not found.")})
    if values.get("contact_id") is not None:
        contact = s.get(Contact, values["contact_id"])
        if contact is None or contact.customer_id != values.get("customer_id"):
            raise ValidationError({"contact_id": _("is not a contact of this customer")})
    if values.get("department_id") is not None and s.get(Department, values["department_id"]) is None:
        raise ValidationError({"department_id": _("is not a department")})


def _check_handler(s: Session, ctx: Ctx, handler_id: int | None) -> None:
    if handler_id is None:
        return
    u = s.get(User, handler_id)
    if u is None or not u.active or u.role == "viewer":
        raise ValidationError({"handler_id": _("is not an active user who can handle complaints")})
    if ctx.actor.role == "staff" and handler_id != ctx.actor.id:
        raise PermissionDenied(_("Only a supervisor assigns a complaint to someone else."))
    if not user_in_scope(s, ctx.actor, handler_id):
        raise PermissionDenied(_("You can only assign complaints within your team."))


# ---------------------------------------------------------------- use cases

@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    user: str
    kind: str
    from_state: str | None
    to_state: str | None
    note: str


@dataclass(frozen=True)
class ComplaintDetail:
    id: int
    number: str
    version: int
    values: dict[str, object]
    customer_code: str
    customer_name: str
    contact_name: str
    received_by: str
    handler: str
    department: str
    timeline: list[TimelineEntry] = field(default_factory=list)

    def __getitem__(self, key: str) -> object:
        return self.values.get(key)

    @property
    def status(self) -> str:
        return str(self.values["status"])

    def is_overdue(self, now: datetime | None = None) -> bool:
        v, now = self.values, now or datetime.now()
        if v["status"] not in ("registered", "accepted", "processing"):
            return False
        return (v["first_response_at"] is None and now > v["response_due"]) or now > v["resolution_due"]  # type: ignore[operator]


def _label(s: Session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    u = s.get(User, user_id)
    return u.label if u else ""


def _event_note(e: ComplaintEvent) -> str:
    """An import step keeps the file name only, so the reader sees "imported from" in their language."""
    if e.kind == "import" and e.note:
        return _("Imported from {file}").format(file=e.note)
    return e.note or ""


def detail_of(s: Session, c: Complaint) -> ComplaintDetail:
    cust = s.get(Customer, c.customer_id)
    contact = s.get(Contact, c.contact_id) if c.contact_id else None
    dept = s.get(Department, c.department_id) if c.department_id else None
    events = s.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id)
                       .order_by(ComplaintEvent.at, ComplaintEvent.id))
    timeline = [TimelineEntry(e.at, _label(s, e.user_id) or _("system"), e.kind, e.from_state, e.to_state,
                              _event_note(e)) for e in events]
    values = snapshot(c)
    values.update(number=c.number, source=c.source, created_at=c.created_at)
    return ComplaintDetail(
        id=c.id, number=c.number, version=c.version, values=values, customer_code=cust.code if cust else "",
        customer_name=cust.name if cust else "", contact_name=contact.name if contact else (c.caller or ""),
        received_by=_label(s, c.received_by_id), handler=_label(s, c.handler_id),
        department=dept.name if dept else "", timeline=timeline)


def insert(s: Session, ctx: Ctx, values: dict[str, object], *, source: str, number: str | None = None,
           status: str = "registered", action: str = "register") -> Complaint:
    """Insert a cleaned complaint inside the caller's transaction (register and import use it)."""
    received_at = values.get("received_at") or datetime.now().replace(microsecond=0)
    due = sla.due_times(received_at, str(values["severity"]), sla_params(s))  # type: ignore[arg-type]
    fields = {k: v for k, v in values.items() if k in TRACKED}
    fields.update(status=status, received_at=received_at,
                  response_due=values.get("response_due") or due.response_due,
                  resolution_due=values.get("resolution_due") or due.resolution_due)
    c = Complaint(**fields, number=number or next_number(s, received_at), source=source,  # type: ignore[arg-type]
                  created_at=datetime.now().replace(microsecond=0), created_by_id=ctx.actor.id)
    s.add(c)
    s.flush()
    s.add(ComplaintEvent(complaint_id=c.id, at=received_at, user_id=ctx.actor.id, kind=action, from_state=None,
                         to_state=status, note=values.get("register_note") or None))  # type: ignore[arg-type]
    audit.record(s, ctx.actor, "complaint", c.id, action,
                 {k: (None, v) for k, v in snapshot(c).items() if v is not None}, label=c.number)
    return c


def register(ctx: Ctx, *, customer_id: int, channel: str, category: str, severity: str, description: str,
             demand: str | None = None, received_at: datetime | str | None = None, order_no: str | None = None,
             contact_id: int | None = None, caller: str | None = None, caller_phone: str | None = None,
             handler_id: int | None | str = "self", department_id: int | None = None,
             source: str = "desk") -> ComplaintDetail:
    """Register a complaint (state `registered`); due times from the SLA settings now in force.
    handler_id "self": the receiver handles it (staff/supervisor); None: a supervisor assigns later."""
    require_write(ctx.actor)
    values = clean_fields(dict(customer_id=customer_id, channel=channel, category=category, severity=severity,
                               description=description, demand=demand, received_at=received_at, order_no=order_no,
                               contact_id=contact_id, caller=caller, caller_phone=caller_phone,
                               department_id=department_id))
    with ctx.db.write() as s:
        _check_refs(s, ctx, values)
        if handler_id == "self":
            handler_id = ctx.actor.id if ctx.actor.role in ("staff", "supervisor") else None
        _check_handler(s, ctx, handler_id)  # type: ignore[arg-type]
        values["handler_id"] = handler_id
        values["received_by_id"] = ctx.actor.id
        if values.get("department_id") is None:
            values["department_id"] = ctx.actor.department_id
        c = insert(s, ctx, values, source=source)
        return detail_of(s, c)


def intake_customer_id(ctx: Ctx, code: str) -> int:
    """The customer a call is about, by code, among those the intake may identify (every customer for
    anyone who registers complaints, as the app's intake: permissions.intake_customer_scope)."""
    from desktop_crm.core.services.permissions import intake_customer_scope

    with ctx.db.read() as s:
        found = s.scalar(select(Customer.id).where(Customer.code == (code or "").strip(),
                                                   intake_customer_scope(ctx.actor)))
    if found is None:
        raise NotFound(_("No customer {code}.").format(code=code))
    return found


def get(ctx: Ctx, complaint_id: int) -> ComplaintDetail:
    with ctx.db.read() as s:
        return detail_of(s, load_visible(s, ctx, complaint_id))


def id_by_number(ctx: Ctx, number: str) -> int:
    with ctx.db.read() as s:
        cid = s.scalar(select(Complaint.id).where(Complaint.number == number.strip(), complaint_scope(ctx.actor)))
        if cid is None:
            raise NotFound(_("Complaint {number} not found.").format(number=number))
        return cid


def update(ctx: Ctx, complaint_id: int, version: int | None = None, **changes: object) -> ComplaintDetail:
    """Edit the record's fields (not the workflow fields); every change audited."""
    bad = [k for k in changes if k not in EDITABLE]
    if bad:
        raise ValidationError({k: _("cannot be edited here") for k in bad})
    values = clean_fields(changes, partial=True)
    with ctx.db.write() as s:
        c = load_visible(s, ctx, complaint_id, for_update=True, version=version)
        if ctx.actor.role == "staff" and ctx.actor.id not in (c.handler_id, c.received_by_id):
            raise PermissionDenied(_("Only the handler, the receiver or a supervisor can edit this complaint."))
        if c.status in ("closed", "rejected") and not ctx.actor.at_least("supervisor"):
            raise PermissionDenied(_("A closed complaint is edited by a supervisor or above."))
        _check_refs(s, ctx, {"customer_id": c.customer_id, **values})
        before = snapshot(c)
        for k, v in values.items():
            setattr(c, k, v)
        if "severity" in values and values["severity"] != before["severity"]:
            due = sla.due_times(c.received_at, c.severity, sla_params(s))
            c.response_due, c.resolution_due = due.response_due, due.resolution_due
        changed = audit.diff(before, snapshot(c))
        if changed:
            c.updated_at, c.updated_by_id = datetime.now().replace(microsecond=0), ctx.actor.id
            s.flush()
            audit.record(s, ctx.actor, "complaint", c.id, "update", changed, label=c.number)
        return detail_of(s, c)


def assign(ctx: Ctx, complaint_id: int, handler_id: int | None, *, note: str | None = None,
           version: int | None = None) -> None:
    """A supervisor (within their team) or manager assigns or reassigns the handler."""
    require_role(ctx.actor, "supervisor", _("Only a supervisor or above assigns complaints."))
    with ctx.db.write() as s:
        c = load_visible(s, ctx, complaint_id, for_update=True, version=version)
        _check_handler(s, ctx, handler_id)
        if c.handler_id == handler_id:
            return
        before = snapshot(c)
        c.handler_id = handler_id
        if handler_id is not None:
            c.department_id = s.scalar(select(User.department_id).where(User.id == handler_id)) or c.department_id
        c.updated_at, c.updated_by_id = datetime.now().replace(microsecond=0), ctx.actor.id
        who = _label(s, handler_id) or _("nobody")
        s.add(ComplaintEvent(complaint_id=c.id, at=datetime.now().replace(microsecond=0), user_id=ctx.actor.id,
                             kind="assign", note="\n".join(x for x in (_("Handler: {who}").format(who=who),
                                                                     clean_text(note or "")) if x)))
        s.flush()
        audit.record(s, ctx.actor, "complaint", c.id, "assign", audit.diff(before, snapshot(c)), label=c.number)


def add_note(ctx: Ctx, complaint_id: int, note: str) -> None:
    text = strip_control(note or "", multiline=True).strip()
    if not text:
        raise ValidationError({"note": _("is required")})
    with ctx.db.write() as s:
        c = load_visible(s, ctx, complaint_id, for_update=True)
        s.add(ComplaintEvent(complaint_id=c.id, at=datetime.now().replace(microsecond=0), user_id=ctx.actor.id,
                             kind="note", note=text))
        s.flush()
        audit.record(s, ctx.actor, "complaint", c.id, "note", {"note": (None, text)}, label=c.number)


@dataclass(frozen=True)
class Intake:
    """Prefilled intake data (a return visit's feedback or an interaction opens a complaint)."""

    customer_id: int
    customer_code: str
    customer_name: str
    phone: str
    description: str
    channel: str
    source: str
    contact_id: int | None = None
    order_no: str | None = None
    received_at: datetime | None = None


def open_from_feedback(ctx: Ctx, customer_id: int, description: str, source: str = "visit", *,
                       channel: str = "phone", contact_id: int | None = None, order_no: str | None = None,
                       received_at: datetime | None = None) -> Intake:
    """What the intake dialog is prefilled with; nothing is saved until the complaint is registered."""
    from desktop_crm.core.services.customers import load_visible as load_customer

    require_write(ctx.actor)
    with ctx.db.read() as s:
        cust = load_customer(s, ctx, customer_id)
        return Intake(customer_id=cust.id, customer_code=cust.code, customer_name=cust.name,
                      phone=cust.mobile or cust.phone or "", description=(description or "").strip(),
                      channel=COMPLAINT_CHANNEL.parse(channel), source=source, contact_id=contact_id,
                      order_no=order_no, received_at=received_at)


def follow_transfer(s: Session, ctx: Ctx, customer_ids: list[int], old_owner_id: int,
                    new_owner_id: int | None) -> None:
    """transfers.followers(): open complaints of these customers handled by the old owner move to the new
    owner (to nobody when the customers go to the pool, so a supervisor assigns them)."""
    rows = s.scalars(select(Complaint).where(among(Complaint.customer_id, customer_ids),
                                             Complaint.handler_id == old_owner_id,
                                             Complaint.status.in_(("registered", "accepted", "processing"))))
    now = datetime.now().replace(microsecond=0)
    for c in rows:
        before = snapshot(c)
        c.handler_id, c.updated_at, c.updated_by_id = new_owner_id, now, ctx.actor.id
        s.add(ComplaintEvent(complaint_id=c.id, at=now, user_id=ctx.actor.id, kind="assign",
                             note=_("Handler: {who} (customer handed over)").format(
                                 who=_label(s, new_owner_id) or _("nobody"))))
        s.flush()
        audit.record(s, ctx.actor, "complaint", c.id, "assign", audit.diff(before, snapshot(c)), label=c.number)
