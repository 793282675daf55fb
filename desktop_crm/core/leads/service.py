"""Leads (线索): add, change, follow up, take from the lead pool, and convert into a customer (with
its contact and, if asked, an opportunity) after a duplicate check against the archive. The
conversion keeps the lead's history: its contacts become the customer's follow-ups, its tasks
move onto the customer.

Who sees what: staff their own leads and the unowned ones (the lead pool); a supervisor the team's
and the pool; managers, administrators and viewers all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from desktop_crm.core.enums import INTERACTION_CHANNEL, SOURCE
from desktop_crm.core.errors import DuplicateWarning, NotFound, ValidationError, WorkflowError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.models import Customer, Lead, LeadEvent, Task, User
from desktop_crm.core.rules.validation import phone_digits
from desktop_crm.core.services import audit, customer_fields, users
from desktop_crm.core.services.context import Actor, Ctx
from desktop_crm.core.services.customer_fields import FieldDef
from desktop_crm.core.services.permissions import owner_scope, require_write, user_in_scope

# the lead's own fields, cleaned as the archive cleans its fields (customer_fields.clean)
LEAD_FIELDS = {f.key: f for f in (
    FieldDef("name", N_("Name"), "text", max_len=100), FieldDef("company", N_("Company"), "text"),
    FieldDef("phone", N_("Phone"), "phone"), FieldDef("email", N_("Email"), "email"),
    FieldDef("source", N_("Source"), "enum", enum=SOURCE), FieldDef("campaign", N_("Campaign"), "text", max_len=100),
    FieldDef("notes", N_("Notes"), "longtext", max_len=4000))}
FIELDS = tuple(LEAD_FIELDS)
OPEN = ("new", "contacted", "qualified")


@dataclass(frozen=True)
class LeadView:
    id: int
    name: str
    company: str
    phone: str
    email: str
    source: str
    campaign: str
    notes: str
    owner_id: int | None
    owner: str
    status: str
    customer_id: int | None
    customer_code: str
    created_at: datetime
    converted_at: datetime | None
    version: int

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "company": self.company, "phone": self.phone,
                "email": self.email, "source": self.source, "campaign": self.campaign, "owner": self.owner,
                "status": self.status, "customer_code": self.customer_code, "created_at": self.created_at,
                "converted_at": self.converted_at}


@dataclass(frozen=True)
class EventView:
    at: datetime
    user: str
    kind: str
    channel: str
    text: str


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def scope(actor: Actor) -> ColumnElement[bool]:
    if actor.sees_all:
        return Lead.id.is_not(None)
    return or_(owner_scope(actor, Lead.owner_id), Lead.owner_id.is_(None))


def _view(s: Session, lead: Lead, names: dict[int, str] | None = None) -> LeadView:
    names = names if names is not None else users.names(s)
    code = s.scalar(select(Customer.code).where(Customer.id == lead.customer_id)) if lead.customer_id else ""
    return LeadView(lead.id, lead.name, lead.company or "", lead.phone or "", lead.email or "", lead.source or "",
                    lead.campaign or "", lead.notes or "", lead.owner_id, names.get(lead.owner_id, ""), lead.status,
                    lead.customer_id, code or "", lead.created_at, lead.converted_at, lead.version)


def load(s: Session, ctx: Ctx, lead_id: int) -> Lead:
    lead = s.scalars(select(Lead).where(Lead.id == lead_id, scope(ctx.actor))).first()
    if lead is None:
        raise NotFound(_("Lead not found."))
    return lead


def get(ctx: Ctx, lead_id: int) -> LeadView:
    with ctx.db.read() as s:
        return _view(s, load(s, ctx, lead_id))


def clean(data: dict[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """The given fields cleaned (the name required). A phone is kept as its national digits
    (`13911112222`, `02164805447`): the form the lead list searches and the conversion reads."""
    values, errors, _warnings = customer_fields.clean(LEAD_FIELDS, {k: v for k, v in data.items() if k in FIELDS})
    if values.get("phone"):
        values["phone"] = phone_digits(str(values["phone"]))
    if "name" in data and not values.get("name"):
        errors["name"] = _("is required")
    return values, errors


def owner_errors(s: Session, ctx: Ctx, owner_id: int | None) -> dict[str, str]:
    if owner_id is None:
        return {}
    u = s.get(User, owner_id)
    if u is None or not u.active:
        return {"owner": _("is not an active user")}
    if not user_in_scope(s, ctx.actor, owner_id):
        return {"owner": _("is outside your team")}
    return {}


def _event(s: Session, lead: Lead, ctx: Ctx, kind: str, text: str | None = None, channel: str | None = None,
           at: datetime | None = None) -> None:
    s.add(LeadEvent(lead_id=lead.id, at=at or now(), user_id=ctx.actor.id, kind=kind, channel=channel, text=text))


def add_in_session(s: Session, ctx: Ctx, data: dict[str, object], *, owner_id: object = "self") -> Lead:
    require_write(ctx.actor)
    values, errors = clean({**{k: None for k in FIELDS}, **data})
    owner = ctx.actor.id if owner_id == "self" else owner_id
    errors.update(owner_errors(s, ctx, owner))  # type: ignore[arg-type]
    if not values.get("phone") and not values.get("email") and not {"phone", "email"} & set(errors):
        errors["phone"] = _("give a phone number or an e-mail address")
    if errors:
        raise ValidationError(errors)
    at = now()
    lead = Lead(**values, owner_id=owner, status="new", created_at=at, created_by_id=ctx.actor.id)
    s.add(lead)
    s.flush()
    audit.record(s, ctx.actor, "lead", lead.id, "create",
                 {k: (None, v) for k, v in values.items() if v is not None} | {"owner_id": (None, owner)},
                 label=lead.name)
    return lead


def add(ctx: Ctx, data: dict[str, object], *, owner_id: object = "self") -> LeadView:
    with ctx.db.write() as s:
        return _view(s, add_in_session(s, ctx, data, owner_id=owner_id))


def update_lead(ctx: Ctx, lead_id: int, data: dict[str, object], *, version: int | None = None) -> LeadView:
    require_write(ctx.actor)
    with ctx.db.write() as s:
        lead = load(s, ctx, lead_id)
        if version is not None and lead.version != version:
            from desktop_crm.core.errors import ConflictError

            raise ConflictError(_("Someone else changed this lead; reopen it to see the changes."))
        values, errors = clean(data)
        if errors:
            raise ValidationError(errors)
        changes = audit.diff({k: getattr(lead, k) for k in values}, values)
        for k in changes:
            setattr(lead, k, values[k])
        lead.updated_at = now()
        audit.record(s, ctx.actor, "lead", lead.id, "update", changes, label=lead.name)
        s.flush()
        return _view(s, lead)


def set_status(ctx: Ctx, lead_id: int, status: str, reason: str = "") -> LeadView:
    """Contacted, qualified or disqualified (with a reason); converted only through `convert`."""
    require_write(ctx.actor)
    if status not in ("new", "contacted", "qualified", "disqualified"):
        raise ValidationError({"status": _("must be one of: {keys}").format(
            keys="new, contacted, qualified, disqualified")})
    if status == "disqualified" and not reason.strip():
        raise ValidationError({"reason": _("is required to disqualify a lead")})
    with ctx.db.write() as s:
        lead = load(s, ctx, lead_id)
        if lead.status == "converted":
            raise WorkflowError(_("This lead is already a customer."))
        if lead.status != status:
            audit.record(s, ctx.actor, "lead", lead.id, "status", {"status": (lead.status, status),
                                                                  "reason": (None, reason.strip() or None)},
                         label=lead.name)
            _event(s, lead, ctx, "status", f"{lead.status} → {status}" + (f": {reason.strip()}" if reason else ""))
            lead.status, lead.updated_at = status, now()
        s.flush()
        return _view(s, lead)


def log_contact(ctx: Ctx, lead_id: int, *, channel: str, text: str, at: datetime | None = None) -> None:
    """A call, visit or message with the lead; a new lead becomes contacted."""
    require_write(ctx.actor)
    errors = {}
    if channel not in INTERACTION_CHANNEL.keys:
        errors["channel"] = _("must be one of: {keys}").format(keys=", ".join(INTERACTION_CHANNEL.keys))
    if not text.strip():
        errors["summary"] = _("is required")
    if errors:
        raise ValidationError(errors)
    with ctx.db.write() as s:
        lead = load(s, ctx, lead_id)
        if lead.status == "converted":
            raise WorkflowError(_("This lead is already a customer: log the follow-up on the customer."))
        _event(s, lead, ctx, "contact", text.strip(), channel, at)
        audit.record(s, ctx.actor, "lead", lead.id, "contact", {"channel": (None, channel)}, label=lead.name)
        if lead.status == "new":
            lead.status = "contacted"
        lead.updated_at = now()


def history(ctx: Ctx, lead_id: int) -> list[EventView]:
    with ctx.db.read() as s:
        load(s, ctx, lead_id)
        names = users.names(s)
        return [EventView(e.at, names.get(e.user_id, ""), e.kind, e.channel or "", e.text or "")
                for e in s.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead_id)
                                   .order_by(LeadEvent.at.desc(), LeadEvent.id.desc()))]


def claim(ctx: Ctx, lead_id: int) -> LeadView:
    """Take a lead from the lead pool."""
    require_write(ctx.actor)
    with ctx.db.write() as s:
        lead = load(s, ctx, lead_id)
        if lead.owner_id is not None:
            raise ValidationError({"owner": _("this lead already has an owner")})
        audit.record(s, ctx.actor, "lead", lead.id, "assign", {"owner_id": (None, ctx.actor.id)}, label=lead.name)
        lead.owner_id, lead.updated_at = ctx.actor.id, now()
        s.flush()
        return _view(s, lead)


def assign(ctx: Ctx, lead_id: int, owner_id: int | None) -> LeadView:
    """Give a lead to a member of the team, or put it in the lead pool (supervisors and above)."""
    require_write(ctx.actor)
    with ctx.db.write() as s:
        lead = load(s, ctx, lead_id)
        errors = owner_errors(s, ctx, owner_id)
        if ctx.actor.role == "staff" and owner_id not in (None, ctx.actor.id):
            errors["owner"] = _("is outside your team")
        if errors:
            raise ValidationError(errors)
        audit.record(s, ctx.actor, "lead", lead.id, "assign", {"owner_id": (lead.owner_id, owner_id)},
                     label=lead.name)
        lead.owner_id, lead.updated_at = owner_id, now()
        s.flush()
        return _view(s, lead)


@dataclass(frozen=True)
class LeadFilter:
    search: str = ""
    statuses: tuple[str, ...] = ()
    owner_id: int | None = None
    pool: bool = False


def _query(ctx: Ctx, f: LeadFilter):  # noqa: ANN202
    q = select(Lead).where(scope(ctx.actor))
    if f.statuses:
        q = q.where(Lead.status.in_(f.statuses))
    if f.pool:
        q = q.where(Lead.owner_id.is_(None))
    elif f.owner_id is not None:
        q = q.where(Lead.owner_id == f.owner_id)
    text = f.search.strip()
    if text:
        q = q.where(or_(Lead.name.contains(text, autoescape=True), Lead.company.contains(text, autoescape=True),
                        Lead.phone.contains(phone_digits(text) or text, autoescape=True),
                        Lead.email.contains(text, autoescape=True), Lead.campaign.contains(text, autoescape=True)))
    return q


SORTS = {"created_at": Lead.created_at, "name": Lead.name, "company": Lead.company, "status": Lead.status,
         "source": Lead.source, "owner": Lead.owner_id}


def count(ctx: Ctx, f: LeadFilter) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(_query(ctx, f).subquery())) or 0


def page(ctx: Ctx, f: LeadFilter, *, sort: str = "created_at", descending: bool = True, offset: int = 0,
         limit: int = 200) -> list[LeadView]:
    col = SORTS.get(sort, Lead.created_at)
    with ctx.db.read() as s:
        names = users.names(s)
        rows = s.scalars(_query(ctx, f).order_by(col.desc() if descending else col, Lead.id.desc())
                         .offset(offset).limit(limit))
        return [_view(s, lead, names) for lead in rows]


# --- conversion ----------------------------------------------------------------------------

def duplicates(ctx: Ctx, lead_id: int) -> list[dict]:
    """Customers of the archive that may be this lead (same phone, e-mail or name)."""
    from desktop_crm.core.services.customers import find_duplicates

    with ctx.db.read() as s:
        lead = load(s, ctx, lead_id)
        return find_duplicates(s, _customer_values(lead))


def _phone_fields(lead: Lead) -> dict[str, str]:
    """The lead's phone as a mobile or a landline of the archive."""
    phone = lead.phone or ""
    if not phone:
        return {}
    return {"mobile" if phone.startswith("1") and len(phone) == 11 else "phone": phone}


def _customer_values(lead: Lead) -> dict[str, object]:
    values: dict[str, object] = {"name": lead.company or lead.name,
                                 "kind": "enterprise" if lead.company else "individual",
                                 "email": lead.email, "source": lead.source, **_phone_fields(lead)}
    return {k: v for k, v in values.items() if v}


def convert(ctx: Ctx, lead_id: int, *, opportunity_amount: object = None, existing_customer_id: int | None = None,
            allow_duplicates: bool = False) -> LeadView:
    """The lead becomes a customer (its company, or the person) with the lead as its contact, or joins an
    existing customer as a contact; optionally with an opportunity. Likely duplicates in the archive stop a
    new customer (DuplicateWarning) unless `allow_duplicates`."""
    from desktop_crm.core.services import contacts, customers, interactions, opportunities

    require_write(ctx.actor)
    with ctx.db.write() as s:
        lead = load(s, ctx, lead_id)
        if lead.status == "converted":
            raise WorkflowError(_("This lead is already a customer."))
        if lead.status == "disqualified":
            raise WorkflowError(_("A disqualified lead is not converted; requalify it first."))
        at = now()
        if existing_customer_id is not None:
            customer = customers.load_visible(s, ctx, existing_customer_id, for_update=True)
            cid, code = customer.id, customer.code
        else:
            values = _customer_values(lead)
            if not allow_duplicates:
                found = customers.find_duplicates(s, values)
                if found:
                    raise DuplicateWarning(found)
            c, _warnings = customers.create_in_session(s, ctx, values, owner=lead.owner_id or ctx.actor.id,
                                                       status="target", allow_duplicates=True)
            cid, code = c.id, c.code
        if lead.company or existing_customer_id is not None:
            contacts.add_in_session(s, ctx, cid, {"name": lead.name, "email": lead.email, **_phone_fields(lead),
                                                  "is_primary": existing_customer_id is None}, label=code)
        # the lead's history comes along: contacts become follow-ups, tasks move onto the customer
        for e in s.scalars(select(LeadEvent).where(LeadEvent.lead_id == lead.id, LeadEvent.kind == "contact")
                           .order_by(LeadEvent.at)):
            interactions.log_in_session(s, ctx, cid, channel=e.channel or "other", summary=e.text or "",
                                        at=min(e.at, at))
        s.execute(update(Task).where(Task.lead_id == lead.id).values(customer_id=cid)
                  .execution_options(synchronize_session=False))
        if opportunity_amount not in (None, ""):
            data, errors = opportunities.clean({"name": _("From lead: {name}").format(name=lead.name),
                                                "amount": opportunity_amount})
            if errors:
                raise ValidationError({"opportunity" if k == "name" else k: v for k, v in errors.items()})
            opportunities.add_in_session(s, ctx, cid, data, stage="qualified",
                                         owner_id=lead.owner_id or ctx.actor.id, at=at)
        _event(s, lead, ctx, "convert", None, None, at)
        audit.record(s, ctx.actor, "lead", lead.id, "convert", {"status": (lead.status, "converted"),
                                                               "customer_id": (None, cid)}, label=lead.name)
        lead.status, lead.customer_id, lead.converted_at, lead.updated_at = "converted", cid, at, at
        if lead.owner_id is None:
            lead.owner_id = ctx.actor.id
        s.flush()
        return _view(s, lead)

