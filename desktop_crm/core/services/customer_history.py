"""What happened to a customer: status history and the audit log of it and its contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from desktop_crm.core.models import AuditEntry, Contact, StatusChange, User
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customers import load_visible


@dataclass(frozen=True)
class StatusEntry:
    at: datetime
    status: str
    previous: str | None
    user: str
    reason: str


@dataclass(frozen=True)
class AuditView:
    at: datetime
    user: str
    entity: str
    record: str
    action: str
    field: str
    old: str
    new: str


def status_history(ctx: Ctx, customer_id: int) -> list[StatusEntry]:
    with ctx.db.read() as s:
        load_visible(s, ctx, customer_id)
        rows = s.execute(
            select(StatusChange, User.display_name, User.username)
            .outerjoin(User, User.id == StatusChange.user_id)
            .where(StatusChange.customer_id == customer_id)
            .order_by(StatusChange.at.desc(), StatusChange.id.desc())
        )
        return [StatusEntry(h.at, h.status, h.previous, dn or un or "", h.reason or "") for h, dn, un in rows]


def audit_trail(ctx: Ctx, customer_id: int, limit: int = 500) -> list[AuditView]:
    """Audit entries of the customer and its contacts, newest first."""
    with ctx.db.read() as s:
        load_visible(s, ctx, customer_id)
        contact_ids = select(Contact.id).where(Contact.customer_id == customer_id)
        rows = s.scalars(
            select(AuditEntry).where(or_(
                and_(AuditEntry.entity == "customer", AuditEntry.entity_id == customer_id),
                and_(AuditEntry.entity == "contact", AuditEntry.entity_id.in_(contact_ids)),
            )).order_by(AuditEntry.id.desc()).limit(limit)
        )
        return [AuditView(e.at, e.username, e.entity, e.record or "", e.action, e.field or "", e.old or "", e.new or "")
                for e in rows]
