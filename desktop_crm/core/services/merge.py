"""Merging two customers: every related record moves to the kept one, audited (DOMAIN §2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, delete, update
from sqlalchemy.orm import Session

from desktop_crm.core import search
from desktop_crm.core.db import Base
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, CustomerSearch, StatusChange
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_fields import EDITABLE
from desktop_crm.core.services.customers import CustomerDetail, detail_of, load_visible
from desktop_crm.core.services.permissions import require_role

# Tables whose rows belong to the customer itself and are not moved.
_OWN = {Customer.__tablename__, CustomerSearch.__tablename__}


def customer_references() -> list[tuple[Table, str]]:
    """Every (table, column) with a foreign key to customers.id, found from the metadata,
    so records added by later areas (interactions, complaints, orders) move too."""
    refs = []
    for table in Base.metadata.sorted_tables:
        if table.name in _OWN:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == Customer.__tablename__ and fk.column.name == "id":
                refs.append((table, fk.parent.name))
    return refs


def merge_in_session(s: Session, ctx: Ctx, keep: Customer, other: Customer) -> dict[str, int]:
    moved: dict[str, int] = {}
    for table, column in customer_references():
        result = s.execute(update(table).where(table.c[column] == other.id).values({column: keep.id}))
        if result.rowcount:
            moved[table.name] = result.rowcount
    filled = {}
    for key in EDITABLE:
        mine, theirs = getattr(keep, key), getattr(other, key)
        if key == "tags" and theirs:
            tags = [t for t in f"{mine or ''}{theirs}".split(",") if t]
            merged = "," + ",".join(dict.fromkeys(tags)) + ","
            if merged != mine:
                filled[key] = (mine, merged)
                keep.tags = merged
        elif key in ("notes", "needs") and theirs and theirs != mine:
            value = f"{mine}\n{theirs}" if mine else theirs
            filled[key] = (mine, value)
            setattr(keep, key, value)
        elif mine in (None, "") and theirs not in (None, ""):
            filled[key] = (mine, theirs)
            setattr(keep, key, theirs)
    now = datetime.now().replace(microsecond=0)
    # History moved from the other customer may be newer; the kept status stays current.
    s.add(StatusChange(customer_id=keep.id, status=keep.status, previous=keep.status, at=now, user_id=ctx.actor.id,
                       reason=_("Merged with {code}").format(code=other.code)))
    keep.status_since = now
    keep.updated_at, keep.updated_by_id = now, ctx.actor.id
    audit.record(s, ctx.actor, "customer", keep.id, "merge",
                 {"merged_from": (None, f"{other.code} {other.name}"), **filled}, label=keep.code)
    audit.record(s, ctx.actor, "customer", other.id, "merged_into", {"code": (other.code, keep.code)},
                 label=other.code)
    s.execute(delete(CustomerSearch).where(CustomerSearch.customer_id == other.id))
    s.delete(other)
    s.flush()
    search.reindex(s, [keep.id])
    return moved


def merge_customers(ctx: Ctx, keep_id: int, other_id: int) -> CustomerDetail:
    require_role(ctx.actor, "manager", _("Only managers merge customers."))
    if keep_id == other_id:
        raise ValidationError({"other": _("cannot merge a customer with itself")})
    with ctx.db.write() as s:
        keep = load_visible(s, ctx, keep_id, for_update=True)
        other = load_visible(s, ctx, other_id, for_update=True)
        merge_in_session(s, ctx, keep, other)
        return detail_of(s, keep)
