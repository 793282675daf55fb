"""What happened to a customer: status history and the audit log of it and its contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from desktop_crm.core.models import AuditEntry, Contact, StatusChange, User
from desktop_crm.core.services import audit_query
from desktop_crm.core.services.audit_query import AuditRow
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customers import load_visible


@dataclass(frozen=True)
class StatusEntry:
    at: datetime
    status: str
    previous: str | None
    user: str
    reason: str


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


def audit_trail(ctx: Ctx, customer_id: int, limit: int = 500, *, labels: bool = True) -> list[AuditRow]:
    """Audit entries of the customer and its contacts, newest first; `labels` as audit_query.page."""
    with ctx.db.read() as s:
        load_visible(s, ctx, customer_id)
        contact_ids = select(Contact.id).where(Contact.customer_id == customer_id)
        rows = s.scalars(
            select(AuditEntry).where(or_(
                and_(AuditEntry.entity == "customer", AuditEntry.entity_id == customer_id),
                and_(AuditEntry.entity == "contact", AuditEntry.entity_id.in_(contact_ids)),
            )).order_by(AuditEntry.id.desc()).limit(limit)
        )
        entries = list(rows)
        return audit_query.labelled(s, entries) if labels else [audit_query.raw(e) for e in entries]
