"""Customer archive use cases: create, edit, status, grade pin, detail (DOMAIN §2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_crm.core import search
from desktop_crm.core.enums import CUSTOMER_STATUS, GRADE
from desktop_crm.core.errors import (
    ConflictError,
    DuplicateWarning,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, StatusChange, User
from desktop_crm.core.rules.validation import normalize_name
from desktop_crm.core.services import audit, settings
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD, EDITABLE, clean
from desktop_crm.core.services.permissions import customer_scope, require_role, require_write, user_in_scope

TRACKED = [*EDITABLE, "owner_id", "status", "grade", "grade_pinned", "grade_note"]


@dataclass(frozen=True)
class CustomerDetail:
    id: int
    code: str
    version: int
    values: dict[str, object]  # field key -> stored value (enum keys, Decimal, date ...)
    owner_id: int | None
    owner_name: str
    created_by: str
    updated_by: str
    warnings: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> object:
        return self.values.get(key)


def _values_of(c: Customer) -> dict[str, object]:
    out = {k: getattr(c, k) for k in CUSTOMER_FIELD if k != "owner"}
    out.update(grade_pinned=c.grade_pinned, grade_note=c.grade_note, status_since=c.status_since,
               name_norm=c.name_norm, owner_id=c.owner_id)
    return out


def _user_label(s: Session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    u = s.get(User, user_id)
    return u.label if u else ""


def detail_of(s: Session, c: Customer, warnings: dict[str, str] | None = None) -> CustomerDetail:
    return CustomerDetail(
        id=c.id, code=c.code, version=c.version, values=_values_of(c), owner_id=c.owner_id,
        owner_name=_user_label(s, c.owner_id), created_by=_user_label(s, c.created_by_id),
        updated_by=_user_label(s, c.updated_by_id), warnings=warnings or {},
    )


def load_visible(s: Session, ctx: Ctx, customer_id: int, *, for_update: bool = False) -> Customer:
    """The customer if the actor may see it; NotFound otherwise (no hint that it exists)."""
    q = select(Customer).where(Customer.id == customer_id, customer_scope(ctx.actor))
    c = s.scalars(q).first()
    if c is None:
        raise NotFound(_("Customer not found."))
    if for_update:
        require_write(ctx.actor)
    return c


def get_customer(ctx: Ctx, customer_id: int) -> CustomerDetail:
    with ctx.db.read() as s:
        return detail_of(s, load_visible(s, ctx, customer_id))


def id_by_code(ctx: Ctx, code: str) -> int:
    with ctx.db.read() as s:
        cid = s.scalar(select(Customer.id).where(Customer.code == code.strip(), customer_scope(ctx.actor)))
        if cid is None:
            raise NotFound(_("Customer {code} not found.").format(code=code))
        return cid


def find_duplicates(s: Session, values: dict[str, object], exclude_id: int | None = None) -> list[dict]:
    """Customers sharing a mobile, email, credit code or normalised name (DOMAIN §2)."""
    conds = []
    for key in ("mobile", "email", "credit_code"):
        if values.get(key):
            conds.append(getattr(Customer, key) == values[key])
    norm = normalize_name(str(values.get("name") or ""))
    if norm:
        conds.append(Customer.name_norm == norm)
    if not conds:
        return []
    q = select(Customer.id, Customer.code, Customer.name).where(or_(*conds)).limit(10)
    if exclude_id is not None:
        q = q.where(Customer.id != exclude_id)
    return [{"id": r.id, "code": r.code, "name": r.name} for r in s.execute(q)]


def next_code(s: Session) -> str:
    prefix = str(settings.read(s, "customer_code_prefix"))
    digits = int(settings.read(s, "customer_code_digits"))
    while True:
        code = f"{prefix}{settings.next_number(s, 'customer_code'):0{digits}d}"
        if not s.scalar(select(Customer.id).where(Customer.code == code)):
            return code


def _resolve_owner(s: Session, ctx: Ctx, owner: object) -> int | None:
    """`owner` is a user id, a username, None/"" (pool) or "self"."""
    if owner == "self":
        return None if ctx.actor.role in ("admin", "viewer") else ctx.actor.id
    if owner in (None, "", "pool"):
        return None
    if isinstance(owner, int):
        uid = owner
        if s.get(User, uid) is None:
            raise ValidationError({"owner": _("no such user")})
    else:
        uid = s.scalar(select(User.id).where(User.username == str(owner).strip()))
        if uid is None:
            raise ValidationError({"owner": _("no user '{name}'").format(name=owner)})
    if not user_in_scope(s, ctx.actor, uid):
        raise ValidationError({"owner": _("is outside your team")})
    return uid


def create_in_session(s: Session, ctx: Ctx, data: dict[str, object], *, owner: object = "self",
                      status: str = "potential", code: str | None = None, allow_duplicates: bool = False,
                      created_at: datetime | None = None, status_since: datetime | None = None,
                      reindex: bool = True) -> tuple[Customer, dict[str, str]]:
    """Validate and add a customer inside the caller's transaction (importers reuse this)."""
    require_write(ctx.actor)
    values, errors, warnings = clean(CUSTOMER_FIELD, {k: v for k, v in data.items() if k in EDITABLE})
    unknown = [k for k in data if k not in EDITABLE]
    for k in unknown:
        errors[k] = _("cannot be set here")
    if not values.get("name"):
        errors["name"] = _("is required")
    if status not in CUSTOMER_STATUS.keys:
        errors["status"] = _("'{value}' is not one of: {keys}").format(value=status, keys=", ".join(CUSTOMER_STATUS.keys))
    if code is not None:
        code = code.strip()
        if not code:
            code = None
        elif len(code) > 32:
            errors["code"] = _("is longer than {n} characters").format(n=32)
        elif s.scalar(select(Customer.id).where(Customer.code == code)):
            errors["code"] = _("{code} is already used").format(code=code)
    if errors:
        raise ValidationError(errors, warnings)
    owner_id = _resolve_owner(s, ctx, owner)
    values.setdefault("kind", "enterprise")
    if not allow_duplicates:
        dups = find_duplicates(s, values)
        if dups:
            raise DuplicateWarning(dups)
    now = datetime.now().replace(microsecond=0)
    created_at = created_at or now
    since = status_since or created_at
    c = Customer(code=code or next_code(s), owner_id=owner_id, status=status, status_since=since,
                 name_norm=normalize_name(str(values["name"])), created_at=created_at, created_by_id=ctx.actor.id,
                 grade_pinned=False, **values)
    s.add(c)
    s.flush()
    s.add(StatusChange(customer_id=c.id, status=status, previous=None, at=since, user_id=ctx.actor.id,
                       reason=_("Customer created")))
    audit.record(s, ctx.actor, "customer", c.id, "create",
                 {k: (None, v) for k, v in {**values, "status": status, "owner_id": owner_id}.items() if v is not None},
                 label=c.code)
    if reindex:
        search.reindex(s, [c.id])
    return c, warnings


def create_customer(ctx: Ctx, data: dict[str, object], *, owner: object = "self", status: str = "potential",
                    allow_duplicates: bool = False) -> CustomerDetail:
    with ctx.db.write() as s:
        c, warnings = create_in_session(s, ctx, data, owner=owner, status=status, allow_duplicates=allow_duplicates)
        return detail_of(s, c, warnings)


def conflict_message(s: Session, c: Customer) -> str:
    who = _user_label(s, c.updated_by_id) or _("another user")
    when = c.updated_at.strftime("%Y-%m-%d %H:%M:%S") if c.updated_at else "?"
    return _("Changed by {who} at {when} since you opened it. Reload to see the changes.").format(who=who, when=when)


def update_in_session(s: Session, ctx: Ctx, c: Customer, data: dict[str, object]) -> dict[str, str]:
    values, errors, warnings = clean(CUSTOMER_FIELD, {k: v for k, v in data.items() if k in EDITABLE})
    for k in data:
        if k not in EDITABLE:
            errors[k] = _("cannot be set here")
    if "name" in values and not values["name"]:
        errors["name"] = _("is required")
    if errors:
        raise ValidationError(errors, warnings)
    before = {k: getattr(c, k) for k in values}
    for k, v in values.items():
        setattr(c, k, v)
    if "name" in values:
        c.name_norm = normalize_name(str(values["name"]))
    changes = audit.diff(before, values)
    if changes:
        c.updated_at, c.updated_by_id = datetime.now().replace(microsecond=0), ctx.actor.id
        audit.record(s, ctx.actor, "customer", c.id, "update", changes, label=c.code)
        if set(changes) & {"name", "phone", "mobile", "email"}:
            search.reindex(s, [c.id])
    return warnings


def update_customer(ctx: Ctx, customer_id: int, data: dict[str, object], *, expected_version: int) -> CustomerDetail:
    """Save edits; refused with who and when if someone else saved since `expected_version`."""
    with ctx.db.write() as s:
        c = load_visible(s, ctx, customer_id, for_update=True)
        if c.version != expected_version:
            raise ConflictError(conflict_message(s, c))
        warnings = update_in_session(s, ctx, c, data)
        try:
            s.flush()
        except StaleDataError:
            s.rollback()
            with ctx.db.read() as r:
                raise ConflictError(conflict_message(r, r.get(Customer, customer_id))) from None
        return detail_of(s, c, warnings)


def set_status_in_session(s: Session, ctx: Ctx, c: Customer, status: str, *, at: datetime | None = None,
                          reason: str | None = None) -> None:
    if status not in CUSTOMER_STATUS.keys:
        raise ValidationError({"status": _("'{value}' is not one of: {keys}").format(
            value=status, keys=", ".join(CUSTOMER_STATUS.keys))})
    reason = (reason or "").strip() or None
    if status == "lost" and not reason:
        raise ValidationError({"reason": _("is required when a customer is lost")})
    now = datetime.now().replace(microsecond=0)
    at = at or now
    if at > now:
        raise ValidationError({"at": _("cannot be in the future")})
    s.add(StatusChange(customer_id=c.id, status=status, previous=c.status, at=at, user_id=ctx.actor.id, reason=reason))
    s.flush()
    latest = s.execute(select(StatusChange.status, StatusChange.at).where(StatusChange.customer_id == c.id)
                       .order_by(StatusChange.at.desc(), StatusChange.id.desc()).limit(1)).one()
    before = c.status
    c.status, c.status_since = latest.status, latest.at
    c.updated_at, c.updated_by_id = now, ctx.actor.id
    audit.record(s, ctx.actor, "customer", c.id, "status", {"status": (before, status)}, label=c.code)


def set_status(ctx: Ctx, customer_ids: list[int] | int, status: str, *, at: datetime | None = None,
               reason: str | None = None) -> int:
    """Change status (one customer or a selection) with history; `at` records a back-dated change.
    The current status is always the latest history entry by time."""
    ids = [customer_ids] if isinstance(customer_ids, int) else list(customer_ids)
    with ctx.db.write() as s:
        for cid in ids:
            set_status_in_session(s, ctx, load_visible(s, ctx, cid, for_update=True), status, at=at, reason=reason)
        return len(ids)


def pin_grade(ctx: Ctx, customer_id: int, grade: str | None, note: str = "") -> CustomerDetail:
    """A manager pins a grade with a note (None unpins); computed grades never overwrite a pin."""
    require_role(ctx.actor, "manager", _("Only managers can pin a grade."))
    if grade is not None and grade not in GRADE.keys:
        raise ValidationError({"grade": _("'{value}' is not one of: {keys}").format(value=grade, keys=", ".join(GRADE.keys))})
    if grade is not None and not note.strip():
        raise ValidationError({"grade_note": _("is required when pinning a grade")})
    with ctx.db.write() as s:
        c = load_visible(s, ctx, customer_id, for_update=True)
        before = {"grade": c.grade, "grade_pinned": c.grade_pinned, "grade_note": c.grade_note}
        if grade is None:
            c.grade_pinned, c.grade_note = False, None
        else:
            c.grade, c.grade_pinned, c.grade_note = grade, True, note.strip()
        after = {"grade": c.grade, "grade_pinned": c.grade_pinned, "grade_note": c.grade_note}
        c.updated_at, c.updated_by_id = datetime.now().replace(microsecond=0), ctx.actor.id
        audit.record(s, ctx.actor, "customer", c.id, "pin_grade", audit.diff(before, after), label=c.code)
        return detail_of(s, c)


def ensure_editable(ctx: Ctx, customer_id: int) -> None:
    if ctx.actor.role == "viewer":
        raise PermissionDenied(_("Read-only users cannot change data."))
    get_customer(ctx, customer_id)
