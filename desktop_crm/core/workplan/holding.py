"""Holding limits: how many customers a role or one user may hold (the user's own limit wins over
the role's), and how long a customer returned to the pool stays out of its previous owner's reach.
Claiming from the pool and handovers check them with a message that says which limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_crm.core.enums import ROLE
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, HoldingLimit, Transfer, User
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_role


@dataclass(frozen=True)
class LimitView:
    id: int
    role: str | None
    user_id: int | None
    user: str
    max_customers: int | None
    reclaim_days: int | None


def set_limit(ctx: Ctx, *, role: str | None = None, user_id: int | None = None, max_customers: int | None = None,
              reclaim_days: int | None = None) -> LimitView:
    """The limit of a role or of one user (administrators); both numbers empty removes it."""
    require_role(ctx.actor, "admin", _("Only administrators set holding limits."))
    errors: dict[str, str] = {}
    if (role is None) == (user_id is None):
        errors["target"] = _("give a role or a user")
    elif role is not None and role not in ROLE.keys:
        errors["role"] = _("must be one of: {keys}").format(keys=", ".join(ROLE.keys))
    if max_customers is not None and max_customers < 1:
        errors["max_customers"] = _("must be 1 or more")
    if reclaim_days is not None and reclaim_days < 0:
        errors["reclaim_days"] = _("must be 0 or more")
    if errors:
        raise ValidationError(errors)
    with ctx.db.write() as s:
        if user_id is not None and s.get(User, user_id) is None:
            raise ValidationError({"user": _("not found")})
        row = s.scalars(select(HoldingLimit).where(HoldingLimit.role.is_(role) if role is None else
                                                   HoldingLimit.role == role,
                                                   HoldingLimit.user_id.is_(None) if user_id is None else
                                                   HoldingLimit.user_id == user_id)).first()
        before = (row.max_customers, row.reclaim_days) if row else (None, None)
        if row is None:
            row = HoldingLimit(role=role, user_id=user_id)
            s.add(row)
        row.max_customers, row.reclaim_days = max_customers, reclaim_days
        s.flush()
        audit.record(s, ctx.actor, "holding_limit", row.id, "update",
                     {"max_customers": (before[0], max_customers), "reclaim_days": (before[1], reclaim_days)},
                     label=role or _user(s, user_id))
        view = _view(s, row)
        if max_customers is None and reclaim_days is None:
            s.delete(row)
        return view


def _user(s: Session, uid: int | None) -> str:
    if uid is None:
        return ""
    u = s.get(User, uid)
    return u.label if u else "?"


def _view(s: Session, r: HoldingLimit) -> LimitView:
    return LimitView(r.id, r.role, r.user_id, _user(s, r.user_id), r.max_customers, r.reclaim_days)


def list_limits(ctx: Ctx) -> list[LimitView]:
    require_role(ctx.actor, "supervisor", _("Supervisors and above see the holding limits."))
    with ctx.db.read() as s:
        return [_view(s, r) for r in s.scalars(select(HoldingLimit).order_by(HoldingLimit.user_id.is_not(None), HoldingLimit.role, HoldingLimit.user_id))]


def limit_of(s: Session, user_id: int) -> tuple[int | None, int | None]:
    """(max customers, reclaim days) for one user: their own row, else their role's."""
    role = s.scalar(select(User.role).where(User.id == user_id))
    own = s.scalars(select(HoldingLimit).where(HoldingLimit.user_id == user_id)).first()
    by_role = s.scalars(select(HoldingLimit).where(HoldingLimit.role == role, HoldingLimit.user_id.is_(None))).first()
    pick = [r for r in (own, by_role) if r is not None]
    max_c = next((r.max_customers for r in pick if r.max_customers is not None), None)
    reclaim = next((r.reclaim_days for r in pick if r.reclaim_days is not None), None)
    return max_c, reclaim


def check_capacity(s: Session, user_id: int, incoming: int, field: str = "to") -> None:
    """Refuse when `incoming` more customers would take the user over their limit."""
    limit, _reclaim = limit_of(s, user_id)
    if limit is None or incoming <= 0:
        return
    held = s.scalar(select(func.count()).where(Customer.owner_id == user_id)) or 0
    if held + incoming > limit:
        raise ValidationError({field: _("{user} may hold at most {limit} customers and holds {held}; "
                                        "{n} more would be too many").format(
            user=_user(s, user_id), limit=limit, held=held, n=incoming)})


def check_reclaim(s: Session, user_id: int, customer_ids: list[int], at: datetime) -> None:
    """A customer returned to the pool from this user less than `reclaim_days` ago stays out of reach."""
    _limit, days = limit_of(s, user_id)
    if not days:
        return
    since = at - timedelta(days=days)
    recent = s.execute(select(Customer.code, func.max(Transfer.at)).join(Customer, Customer.id == Transfer.customer_id)
                       .where(Transfer.customer_id.in_(customer_ids), Transfer.from_user_id == user_id,
                              Transfer.to_user_id.is_(None), Transfer.at >= since)
                       .group_by(Customer.code)).all()
    if recent:
        code, when = recent[0]
        free = (when + timedelta(days=days)).date().isoformat()
        raise ValidationError({"customers": _(
            "{code} went back to the pool from you on {date}; you may claim it again from {free}").format(
            code=code, date=when.date().isoformat(), free=free)})
