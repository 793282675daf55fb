"""Records that belong to a customer (orders, contracts, opportunities): loaded and created
within the actor's customer scope, in one place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_crm.core.errors import NotFound, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customers import load_visible


def load_in_scope(s: Session, ctx: Ctx, model: type, record_id: int, not_found: str):  # noqa: ANN201
    """The record if its customer is in the actor's scope; NotFound(`not_found`) otherwise."""
    from desktop_crm.core.services.permissions import customer_scope

    rec = s.scalars(select(model).join(Customer, Customer.id == model.customer_id)
                    .where(model.id == record_id, customer_scope(ctx.actor))).first()
    if rec is None:
        raise NotFound(not_found)
    return rec


def add_for_customer(s: Session, ctx: Ctx, model: type, customer_id: int, values: dict[str, object],
                     errors: dict[str, str], *, unique: str, entity: str):  # noqa: ANN201
    """Create a record of a visible customer whose `unique` field must not exist yet; audited."""
    c = load_visible(s, ctx, customer_id, for_update=True)
    if values.get(unique) and s.scalar(select(model.id).where(getattr(model, unique) == values[unique])):
        errors[unique] = _("already exists")
    if errors:
        raise ValidationError(errors)
    rec = model(customer_id=c.id, created_by_id=ctx.actor.id, created_at=datetime.now(), **values)
    s.add(rec)
    s.flush()
    audit.record(s, ctx.actor, entity, rec.id, "create", {f: (None, v) for f, v in values.items() if v is not None},
                 label=str(values.get(unique) or ""))
    return rec
