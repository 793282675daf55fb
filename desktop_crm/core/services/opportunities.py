"""Sales opportunities (销售机会): stages lead → … → won / lost, stage history, actions, the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_crm.core.db import among
from desktop_crm.core.enums import OPPORTUNITY_STAGE
from desktop_crm.core.errors import ConflictError, NotFound, ValidationError, WorkflowError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Opportunity, OpportunityAction, OpportunityStage, User
from desktop_crm.core.models.types import to_money
from desktop_crm.core.rules.parsing import clean_text, parse_date, parse_decimal
from desktop_crm.core.rules.reminders import no_action_this_month
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_records import load_in_scope
from desktop_crm.core.services.customers import load_visible
from desktop_crm.core.services.permissions import customer_scope, require_write, user_in_scope

STAGES = OPPORTUNITY_STAGE.keys
OPEN_STAGES = ("lead", "contacted", "qualified", "proposal", "negotiation")
FIELDS = ["name", "amount", "expected_close", "notes"]


@dataclass(frozen=True)
class OpportunityRow:
    id: int
    version: int
    name: str
    customer_id: int
    customer_code: str
    customer_name: str
    amount: Decimal
    expected_close: date | None
    stage: str
    stage_since: datetime
    lost_reason: str
    owner_id: int | None
    owner: str
    last_action_at: datetime | None
    notes: str
    stale: bool  # open and no action this calendar month


@dataclass(frozen=True)
class StageSummary:
    stage: str
    count: int
    amount: Decimal
    stale: int


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str  # "stage" | "action"
    stage: str
    previous: str
    text: str
    user: str


def clean(data: dict[str, object], *, partial: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key in FIELDS:
        if key not in data:
            continue
        raw = data[key]
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        try:
            if key == "amount":
                values[key] = Decimal(0) if empty else to_money(raw if isinstance(raw, Decimal) else parse_decimal(raw))
                if values[key] < 0:
                    errors[key] = _("must not be negative")
            elif key == "expected_close":
                values[key] = None if empty else parse_date(raw)  # a datetime (Excel) → its date
            else:
                values[key] = None if empty else (clean_text(raw) if key == "name" else str(raw).strip())
        except ValueError as exc:
            errors[key] = str(exc)
    if (not partial or "name" in data) and not values.get("name"):
        errors["name"] = _("is required")
    if len(str(values.get("name") or "")) > 200:  # the column's size (PostgreSQL enforces it)
        errors.setdefault("name", _("is longer than {n} characters").format(n=200))
    return values, errors


def _row(s: Session, o: Opportunity, today: date) -> OpportunityRow:
    c = s.get(Customer, o.customer_id)
    u = s.get(User, o.owner_id) if o.owner_id else None
    stale = o.stage in OPEN_STAGES and no_action_this_month(o.last_action_at, today)
    return OpportunityRow(o.id, o.version, o.name, o.customer_id, c.code, c.name, o.amount, o.expected_close,
                          o.stage, o.stage_since, o.lost_reason or "", o.owner_id, u.label if u else "",
                          o.last_action_at, o.notes or "", stale)


def _load(s: Session, ctx: Ctx, opp_id: int) -> Opportunity:
    return load_in_scope(s, ctx, Opportunity, opp_id, _("Opportunity not found."))


def get_opportunity(ctx: Ctx, opp_id: int) -> OpportunityRow:
    with ctx.db.read() as s:
        return _row(s, _load(s, ctx, opp_id), date.today())


def create_opportunity(ctx: Ctx, customer_id: int, data: dict[str, object], *, owner_id: int | None = None,
                       stage: str = "lead", at: datetime | None = None) -> OpportunityRow:
    require_write(ctx.actor)
    values, errors = clean(data)
    try:
        stage = OPPORTUNITY_STAGE.parse(stage)
    except ValueError as exc:
        errors["stage"] = str(exc)
    now = at or datetime.now().replace(microsecond=0)
    with ctx.db.write() as s:
        c = load_visible(s, ctx, customer_id, for_update=True)
        owner = owner_id if owner_id is not None else (c.owner_id or (ctx.actor.id if ctx.actor.role != "admin"
                                                                          else None))
        errors.update(owner_errors(s, ctx, owner_id))
        if errors:
            raise ValidationError(errors)
        o = add_in_session(s, ctx, c.id, values, stage=stage, owner_id=owner, at=now)
        return _row(s, o, now.date())


def owner_errors(s: Session, ctx: Ctx, owner_id: int | None) -> dict[str, str]:
    """{"owner": …} when `owner_id` is not a user of the actor's team (None, the pool, is fine)."""
    if owner_id is not None and (s.get(User, owner_id) is None or not user_in_scope(s, ctx.actor, owner_id)):
        return {"owner": _("is outside your team")}
    return {}


def add_in_session(s: Session, ctx: Ctx, customer_id: int, values: dict[str, object], *, stage: str,
                   owner_id: int | None, at: datetime, reason: str = "") -> Opportunity:
    """Insert a checked opportunity (cleaned `values`, a stage key; `reason` kept when it is lost) in the
    caller's transaction: it enters the stage history at `stage`; audited."""
    lost_reason = (reason or None) if stage == "lost" else None
    o = Opportunity(customer_id=customer_id, stage=stage, stage_since=at, owner_id=owner_id, created_at=at,
                    created_by_id=ctx.actor.id, lost_reason=lost_reason, **values)
    s.add(o)
    s.flush()
    s.add(OpportunityStage(opportunity_id=o.id, stage=stage, previous=None, at=at, user_id=ctx.actor.id,
                           reason=_("Created")))
    audit.record(s, ctx.actor, "opportunity", o.id, "create",
                 {k: (None, v) for k, v in {**values, "stage": stage, "lost_reason": lost_reason}.items()
                  if v is not None}, label=o.name)
    return o


def update_opportunity(ctx: Ctx, opp_id: int, data: dict[str, object], *, expected_version: int) -> OpportunityRow:
    require_write(ctx.actor)
    values, errors = clean(data, partial=True)
    if errors:
        raise ValidationError(errors)
    try:
        with ctx.db.write() as s:
            o = _load(s, ctx, opp_id)
            if o.version != expected_version:
                raise ConflictError(_("This opportunity was changed by someone else; reload it."))
            update_in_session(s, ctx, o, values)
            return _row(s, o, date.today())
    except StaleDataError:
        raise ConflictError(_("This opportunity was changed by someone else; reload it.")) from None


def update_in_session(s: Session, ctx: Ctx, o: Opportunity, values: dict[str, object]) -> dict[str, tuple]:
    """Apply cleaned `values` (FIELDS; also `owner_id` or `lost_reason`, checked by the caller) to `o` in the
    caller's transaction; audited. Returns the changes (field -> (old, new))."""
    changes = audit.diff({f: getattr(o, f) for f in values}, values)
    for f, v in values.items():
        setattr(o, f, v)
    if changes:
        o.updated_at = datetime.now()
        s.flush()
        audit.record(s, ctx.actor, "opportunity", o.id, "update", changes, label=o.name)
    return changes


def parse_stage(stage: object, reason: object = "") -> tuple[str, str]:
    """The stage key (a key or its Chinese label) and the trimmed reason; `lost` needs a reason."""
    try:
        key = OPPORTUNITY_STAGE.parse(stage)
    except ValueError as exc:
        raise ValidationError({"stage": str(exc)}) from None
    text = str(reason or "").strip()
    if key == "lost" and not text:
        raise ValidationError({"reason": _("is required when an opportunity is lost")})
    return key, text


def move(ctx: Ctx, opp_id: int, stage: str, *, reason: str = "", at: datetime | None = None) -> OpportunityRow:
    """Move to another stage; `lost` needs a reason. The move is kept in the stage history with its date."""
    require_write(ctx.actor)
    stage, reason = parse_stage(stage, reason)
    now = at or datetime.now().replace(microsecond=0)
    with ctx.db.write() as s:
        o = _load(s, ctx, opp_id)
        move_in_session(s, ctx, o, stage, reason=reason, at=now)
        return _row(s, o, now.date())


def move_in_session(s: Session, ctx: Ctx, o: Opportunity, stage: str, *, reason: str, at: datetime) -> None:
    """`move` in the caller's transaction: `stage` and `reason` as `parse_stage` returns them."""
    if o.stage == stage:
        raise WorkflowError(_("The opportunity is already at this stage."))
    s.add(OpportunityStage(opportunity_id=o.id, stage=stage, previous=o.stage, at=at, user_id=ctx.actor.id,
                           reason=reason or None))
    audit.record(s, ctx.actor, "opportunity", o.id, "move", {"stage": (o.stage, stage)}, label=o.name)
    o.stage, o.stage_since = stage, at
    o.lost_reason = reason if stage == "lost" else None
    o.updated_at = at
    s.flush()


def add_action(ctx: Ctx, opp_id: int, text: str, *, at: datetime | None = None) -> None:
    require_write(ctx.actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("is required")})
    now = at or datetime.now().replace(microsecond=0)
    with ctx.db.write() as s:
        o = _load(s, ctx, opp_id)
        s.add(OpportunityAction(opportunity_id=o.id, at=now, user_id=ctx.actor.id, text=text))
        if o.last_action_at is None or now > o.last_action_at:
            o.last_action_at = now
        audit.record(s, ctx.actor, "opportunity", o.id, "action", {"action": (None, text)}, label=o.name)


def history(ctx: Ctx, opp_id: int) -> list[HistoryEntry]:
    """Stage changes and actions, newest first."""
    with ctx.db.read() as s:
        o = _load(s, ctx, opp_id)
        names = {u.id: u.label for u in s.scalars(select(User))}
        out = [HistoryEntry(h.at, "stage", h.stage, h.previous or "", h.reason or "", names.get(h.user_id, ""))
               for h in s.scalars(select(OpportunityStage).where(OpportunityStage.opportunity_id == o.id))]
        out += [HistoryEntry(a.at, "action", "", "", a.text, names.get(a.user_id, ""))
                for a in s.scalars(select(OpportunityAction).where(OpportunityAction.opportunity_id == o.id))]
    return sorted(out, key=lambda e: e.at, reverse=True)


def list_opportunities(ctx: Ctx, *, customer_id: int | None = None, stages: tuple[str, ...] | None = None,
                       owner_id: int | None = None, today: date | None = None) -> list[OpportunityRow]:
    today = today or date.today()
    with ctx.db.read() as s:
        q = (select(Opportunity).join(Customer, Customer.id == Opportunity.customer_id)
             .where(customer_scope(ctx.actor)).order_by(Opportunity.expected_close, Opportunity.id))
        if customer_id is not None:
            q = q.where(Opportunity.customer_id == customer_id)
        if stages:
            q = q.where(Opportunity.stage.in_(stages))
        if owner_id is not None:
            q = q.where(Opportunity.owner_id == owner_id)
        return [_row(s, o, today) for o in s.scalars(q)]


def pipeline(ctx: Ctx, *, owner_id: int | None = None, today: date | None = None) -> list[StageSummary]:
    """Count, amount and stale count per stage, every stage present in pipeline order."""
    rows = list_opportunities(ctx, owner_id=owner_id, today=today)
    out = []
    for st in STAGES:
        mine = [r for r in rows if r.stage == st]
        out.append(StageSummary(st, len(mine), sum((r.amount for r in mine), Decimal("0.00")),
                                sum(1 for r in mine if r.stale)))
    return out


def id_by_name(ctx: Ctx, name: str) -> int:
    with ctx.db.read() as s:
        oid = s.scalar(select(Opportunity.id).join(Customer, Customer.id == Opportunity.customer_id)
                       .where(Opportunity.name == name, customer_scope(ctx.actor)).order_by(Opportunity.id))
    if oid is None:
        raise NotFound(_("Opportunity not found."))
    return oid


def follow_transfer(s: Session, ctx: Ctx, customer_ids: list[int], old_owner_id: int,
                    new_owner_id: int | None) -> None:
    """transfers.followers(): open opportunities of the old owner move with the customers (audited)."""
    rows = s.scalars(select(Opportunity).where(among(Opportunity.customer_id, customer_ids),
                                               Opportunity.owner_id == old_owner_id,
                                               Opportunity.stage.in_(OPEN_STAGES))).all()
    for o in rows:
        audit.record(s, ctx.actor, "opportunity", o.id, "transfer", {"owner_id": (o.owner_id, new_owner_id)},
                     label=o.name)
        o.owner_id = new_owner_id
    s.flush()
