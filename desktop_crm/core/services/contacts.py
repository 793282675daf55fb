"""Contacts of a customer (联系人)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_crm.core import search
from desktop_crm.core.errors import ConflictError, NotFound, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Contact
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_fields import CONTACT_FIELD, clean
from desktop_crm.core.services.customers import load_visible


@dataclass(frozen=True)
class ContactView:
    id: int
    customer_id: int
    version: int
    values: dict[str, object]

    def __getitem__(self, key: str) -> object:
        return self.values.get(key)


def view_of(c: Contact) -> ContactView:
    return ContactView(c.id, c.customer_id, c.version, {k: getattr(c, k) for k in CONTACT_FIELD})


def list_contacts(ctx: Ctx, customer_id: int) -> list[ContactView]:
    with ctx.db.read() as s:
        load_visible(s, ctx, customer_id)
        rows = s.scalars(select(Contact).where(Contact.customer_id == customer_id)
                         .order_by(Contact.is_primary.desc(), Contact.id))
        return [view_of(c) for c in rows]


def add_in_session(s: Session, ctx: Ctx, customer_id: int, data: dict[str, object], *, label: str,
                   reindex: bool = True) -> Contact:
    values, errors, _warnings = clean(CONTACT_FIELD, data)
    if not values.get("name"):
        errors["name"] = _("is required")
    if errors:
        raise ValidationError(errors)
    if values.get("is_primary"):
        s.execute(update(Contact).where(Contact.customer_id == customer_id).values(is_primary=False))
    c = Contact(customer_id=customer_id, **{k: v for k, v in values.items() if v is not None})
    s.add(c)
    s.flush()
    audit.record(s, ctx.actor, "contact", c.id, "create", {k: (None, v) for k, v in values.items() if v is not None},
                 label=f"{label} / {c.name}")
    if reindex:
        search.reindex(s, [customer_id])
    return c


def save_contact(ctx: Ctx, customer_id: int, data: dict[str, object], *, contact_id: int | None = None,
                 expected_version: int | None = None) -> ContactView:
    with ctx.db.write() as s:
        customer = load_visible(s, ctx, customer_id, for_update=True)
        if contact_id is None:
            return view_of(add_in_session(s, ctx, customer_id, data, label=customer.code))
        c = s.get(Contact, contact_id)
        if c is None or c.customer_id != customer_id:
            raise NotFound(_("Contact not found."))
        if expected_version is not None and c.version != expected_version:
            raise ConflictError(_("This contact was changed by someone else since you opened it. Reload to see the changes."))
        values, errors, _w = clean(CONTACT_FIELD, data)
        if "name" in values and not values["name"]:
            errors["name"] = _("is required")
        if errors:
            raise ValidationError(errors)
        if values.get("is_primary"):
            s.execute(update(Contact).where(Contact.customer_id == customer_id, Contact.id != c.id)
                      .values(is_primary=False))
        before = {k: getattr(c, k) for k in values}
        for k, v in values.items():
            setattr(c, k, v if v is not None or k not in ("is_primary", "is_decision_maker") else False)
        c.updated_at = datetime.now().replace(microsecond=0)
        audit.record(s, ctx.actor, "contact", c.id, "update", audit.diff(before, values), label=f"{customer.code} / {c.name}")
        s.flush()
        search.reindex(s, [customer_id])
        return view_of(c)


def delete_contact(ctx: Ctx, customer_id: int, contact_id: int) -> None:
    with ctx.db.write() as s:
        customer = load_visible(s, ctx, customer_id, for_update=True)
        c = s.get(Contact, contact_id)
        if c is None or c.customer_id != customer_id:
            raise NotFound(_("Contact not found."))
        audit.record(s, ctx.actor, "contact", c.id, "delete", {"name": (c.name, None)}, label=f"{customer.code} / {c.name}")
        s.delete(c)
        s.flush()
        search.reindex(s, [customer_id])
