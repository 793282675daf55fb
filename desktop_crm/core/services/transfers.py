"""Handover (转交) of customers between owners and to/from the customer pool (DOMAIN §4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_crm.core.errors import NotFound, PermissionDenied, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Transfer, User
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import customer_scope, require_role, user_in_scope

Follower = Callable[[Session, Ctx, list[int], int, int | None], None]


def followers() -> list[Follower]:
    """How open work follows customers to their new owner (DOMAIN §4: open return visits and
    complaints assigned to the old owner move too). Each area adds its function here:
    fn(session, ctx, customer_ids, old_owner_id, new_owner_id_or_None)."""
    from desktop_crm.core.services.complaints import follow_transfer
    from desktop_crm.core.services.handover import follow_transfer as follow_visits
    from desktop_crm.core.services.opportunities import follow_transfer as follow_opportunities
    from desktop_crm.core.workplan.links import follow_transfer as follow_tasks

    return [follow_transfer, follow_visits, follow_opportunities, follow_tasks]


@dataclass(frozen=True)
class TransferView:
    at: datetime
    from_user: str
    to_user: str
    by_user: str
    reason: str


def move_customers(s: Session, ctx: Ctx, customer_ids: list[int], to_user_id: int | None, reason: str) -> int:
    """Move customers inside the caller's transaction; records history and audit. Returns how many moved."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("is required for a transfer")})
    if to_user_id is not None:
        target = s.get(User, to_user_id)
        if target is None or not target.active:
            raise ValidationError({"to": _("is not an active user")})
        if not user_in_scope(s, ctx.actor, to_user_id):
            raise PermissionDenied(_("You can only transfer within your team."))
    now = datetime.now().replace(microsecond=0)
    if to_user_id is not None:
        from desktop_crm.core.workplan import holding

        incoming = s.scalar(select(func.count()).where(Customer.id.in_(customer_ids[:50000]),
                                                       Customer.owner_id.is_distinct_from(to_user_id))) or 0
        holding.check_capacity(s, to_user_id, incoming)
    moved = 0
    by_old: dict[int, list[int]] = {}
    for start in range(0, len(customer_ids), 500):
        chunk = customer_ids[start:start + 500]
        rows = s.scalars(select(Customer).where(Customer.id.in_(chunk), customer_scope(ctx.actor))).all()
        if len(rows) != len(set(chunk)):
            raise NotFound(_("Some customers were not found or are outside your scope."))
        for c in rows:
            if c.owner_id == to_user_id:
                continue
            if not user_in_scope(s, ctx.actor, c.owner_id):
                raise PermissionDenied(_("You can only transfer within your team."))
            s.add(Transfer(customer_id=c.id, from_user_id=c.owner_id, to_user_id=to_user_id, at=now,
                           by_user_id=ctx.actor.id, reason=reason))
            audit.record(s, ctx.actor, "customer", c.id, "transfer", {"owner_id": (c.owner_id, to_user_id)},
                         label=c.code, at=now)
            if c.owner_id is not None:
                by_old.setdefault(c.owner_id, []).append(c.id)
            c.owner_id, c.updated_at, c.updated_by_id = to_user_id, now, ctx.actor.id
            moved += 1
    s.flush()
    for old, ids in by_old.items():
        for follow in followers():
            follow(s, ctx, ids, old, to_user_id)
    return moved


def transfer(ctx: Ctx, customer_ids: list[int], to_user_id: int | None, reason: str) -> int:
    """A manager (all) or supervisor (within their team) hands customers to a user or the pool."""
    require_role(ctx.actor, "supervisor", _("Only supervisors and managers transfer customers."))
    with ctx.db.write() as s:
        return move_customers(s, ctx, list(customer_ids), to_user_id, reason)


def transfer_all_of(ctx: Ctx, from_user_id: int, to_user_id: int | None, reason: str) -> int:
    require_role(ctx.actor, "supervisor", _("Only supervisors and managers transfer customers."))
    with ctx.db.write() as s:
        if not user_in_scope(s, ctx.actor, from_user_id):
            raise PermissionDenied(_("You can only transfer within your team."))
        ids = list(s.scalars(select(Customer.id).where(Customer.owner_id == from_user_id)))
        return move_customers(s, ctx, ids, to_user_id, reason)


def history(ctx: Ctx, customer_id: int) -> list[TransferView]:
    from desktop_crm.core.services.customers import load_visible

    with ctx.db.read() as s:
        load_visible(s, ctx, customer_id)
        names = dict(s.execute(select(User.id, User.display_name)).all())
        usernames = dict(s.execute(select(User.id, User.username)).all())

        def who(uid: int | None) -> str:
            return _("Customer pool") if uid is None else (names.get(uid) or usernames.get(uid, "?"))

        rows = s.scalars(select(Transfer).where(Transfer.customer_id == customer_id)
                         .order_by(Transfer.at.desc(), Transfer.id.desc()))
        return [TransferView(t.at, who(t.from_user_id), who(t.to_user_id), who(t.by_user_id), t.reason or "")
                for t in rows]
