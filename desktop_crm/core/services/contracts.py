"""Contracts (合同, DOMAIN §6.1): add, edit, delete, list per customer, renewal reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_crm.core.enums import CONTRACT_STATUS
from desktop_crm.core.errors import ConflictError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Contract, Customer
from desktop_crm.core.models.types import to_money
from desktop_crm.core.rules.parsing import clean_text, parse_date, parse_decimal
from desktop_crm.core.rules.reminders import ReminderParams, contract_ending
from desktop_crm.core.services import audit, settings
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_records import add_for_customer, load_in_scope
from desktop_crm.core.services.permissions import customer_scope, require_write

FIELDS = ["number", "title", "signed_on", "start_on", "end_on", "amount", "status", "notes"]


@dataclass(frozen=True)
class ContractRow:
    id: int
    version: int
    customer_id: int
    customer_code: str
    customer_name: str
    number: str
    title: str
    signed_on: date | None
    start_on: date | None
    end_on: date | None
    amount: Decimal
    status: str
    notes: str
    ending_soon: bool


def clean(data: dict[str, object], *, partial: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key in FIELDS:
        if key not in data:
            continue
        raw = data[key]
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        try:
            if key in ("signed_on", "start_on", "end_on"):
                values[key] = None if empty else parse_date(raw)  # a date as is; a datetime (Excel) → its date
            elif key == "amount":
                values[key] = Decimal(0) if empty else to_money(raw if isinstance(raw, Decimal) else parse_decimal(raw))
            elif key == "status":
                values[key] = "draft" if empty else CONTRACT_STATUS.parse(raw)
            else:
                values[key] = None if empty else (clean_text(raw) if key != "notes" else str(raw).strip())
        except ValueError as exc:
            errors[key] = str(exc)
    if not partial or "number" in data:
        if not values.get("number"):
            errors.setdefault("number", _("is required"))
    for key, n in (("number", 64), ("title", 200)):  # the columns' sizes (PostgreSQL enforces them)
        if len(str(values.get(key) or "")) > n:
            errors.setdefault(key, _("is longer than {n} characters").format(n=n))
    if values.get("amount") is not None and values["amount"] < 0:
        errors["amount"] = _("must not be negative")
    start, end = values.get("start_on"), values.get("end_on")
    if start and end and end < start:
        errors["end_on"] = _("is before the start date")
    return values, errors


def _row(s: Session, k: Contract, today: date, params: ReminderParams) -> ContractRow:
    c = s.get(Customer, k.customer_id)
    ending = k.status in ("draft", "active") and contract_ending(k.end_on, today, params)
    return ContractRow(k.id, k.version, k.customer_id, c.code, c.name, k.number, k.title or "", k.signed_on,
                       k.start_on, k.end_on, k.amount, k.status, k.notes or "", ending)


def _params(s: Session) -> ReminderParams:
    return ReminderParams(contract_days=int(settings.read(s, "remind_contract_end_days")))


def _load(s: Session, ctx: Ctx, contract_id: int) -> Contract:
    return load_in_scope(s, ctx, Contract, contract_id, _("Contract not found."))


def get_contract(ctx: Ctx, contract_id: int) -> ContractRow:
    with ctx.db.read() as s:
        return _row(s, _load(s, ctx, contract_id), date.today(), _params(s))


def create_contract(ctx: Ctx, customer_id: int, data: dict[str, object]) -> ContractRow:
    require_write(ctx.actor)
    values, errors = clean(data)
    with ctx.db.write() as s:
        k = add_for_customer(s, ctx, Contract, customer_id, values, errors, unique="number", entity="contract")
        return _row(s, k, date.today(), _params(s))


def update_errors(s: Session, k: Contract, values: dict[str, object]) -> dict[str, str]:
    """What stops cleaned `values` (partial) from being applied to `k`: a number taken, an end before the start.
    Reads only (the import checks every row with it before writing)."""
    errors: dict[str, str] = {}
    if values.get("number") and values["number"] != k.number and s.scalar(
            select(Contract.id).where(Contract.number == values["number"])):
        errors["number"] = _("already exists")
    merged_start = values.get("start_on", k.start_on)
    merged_end = values.get("end_on", k.end_on)
    if merged_start and merged_end and merged_end < merged_start:
        errors["end_on"] = _("is before the start date")
    return errors


def update_in_session(s: Session, ctx: Ctx, k: Contract, values: dict[str, object],
                      errors: dict[str, str]) -> dict[str, tuple[object, object]]:
    """Apply cleaned `values` to `k` in the caller's transaction (with `clean`'s `errors`); audited.
    Returns the changes (field -> (old, new))."""
    errors = {**errors, **update_errors(s, k, values)}
    if errors:
        raise ValidationError(errors)
    changes = audit.diff({f: getattr(k, f) for f in FIELDS}, values)
    for f, v in values.items():
        setattr(k, f, v)
    if changes:
        k.updated_at = datetime.now()
        s.flush()
        audit.record(s, ctx.actor, "contract", k.id, "update", changes, label=k.number)
    return changes


def update_contract(ctx: Ctx, contract_id: int, data: dict[str, object], *, expected_version: int) -> ContractRow:
    require_write(ctx.actor)
    values, errors = clean(data, partial=True)
    try:
        with ctx.db.write() as s:
            k = _load(s, ctx, contract_id)
            if k.version != expected_version:
                raise ConflictError(_("This contract was changed by someone else; reload it."))
            update_in_session(s, ctx, k, values, errors)
            return _row(s, k, date.today(), _params(s))
    except StaleDataError:
        raise ConflictError(_("This contract was changed by someone else; reload it.")) from None


def delete_contract(ctx: Ctx, contract_id: int) -> None:
    require_write(ctx.actor)
    with ctx.db.write() as s:
        k = _load(s, ctx, contract_id)
        audit.record(s, ctx.actor, "contract", k.id, "delete", {"number": (k.number, None)}, label=k.number)
        s.delete(k)


def list_contracts(ctx: Ctx, customer_id: int | None = None, *, ending_only: bool = False,
                   today: date | None = None) -> list[ContractRow]:
    """Contracts of one customer (or all visible), newest end date first; `ending_only` = renewal reminders."""
    today = today or date.today()
    with ctx.db.read() as s:
        params = _params(s)
        q = (select(Contract).join(Customer, Customer.id == Contract.customer_id).where(customer_scope(ctx.actor))
             .order_by(Contract.end_on.desc(), Contract.id.desc()))
        if customer_id is not None:
            q = q.where(Contract.customer_id == customer_id)
        rows = [_row(s, k, today, params) for k in s.scalars(q)]
    return [r for r in rows if r.ending_soon] if ending_only else rows
