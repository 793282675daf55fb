"""The customer pool (公海, DOMAIN §4): unowned customers; staff claim them within a daily
limit; a manager returns customers nobody has contacted for N days in one action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select

from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, PoolClaim
from desktop_crm.core.services import customer_query, settings, transfers
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_query import CustomerFilter
from desktop_crm.core.services.permissions import require_role, require_write
from desktop_crm.core.workplan import holding

COLUMNS = ["code", "name", "kind", "status", "grade", "city", "industry", "last_contact_at", "created_at"]


@dataclass(frozen=True)
class ClaimResult:
    claimed: int
    left_today: int


def pool_filter(search: str = "", fields: dict | None = None) -> CustomerFilter:
    return CustomerFilter(search=search, fields={**(fields or {}), "owner": [customer_query.POOL]})


def count(ctx: Ctx, search: str = "") -> int:
    return customer_query.count(ctx, pool_filter(search))


def page(ctx: Ctx, search: str = "", *, sort: str = "code", descending: bool = False, offset: int = 0,
         limit: int = 200) -> list[tuple]:
    return customer_query.page(ctx, pool_filter(search), columns=COLUMNS, sort=sort, descending=descending,
                               offset=offset, limit=limit)


def _day_start(today: date) -> datetime:
    return datetime.combine(today, datetime.min.time())


def claims_left(ctx: Ctx, today: date | None = None) -> int:
    today = today or date.today()
    with ctx.db.read() as s:
        limit = int(settings.read(s, "pool_claim_daily_limit"))
        used = s.scalar(select(func.count()).where(PoolClaim.user_id == ctx.actor.id,
                                                   PoolClaim.at >= _day_start(today))) or 0
        return max(0, limit - used)


def claim(ctx: Ctx, customer_ids: list[int], *, now: datetime | None = None) -> ClaimResult:
    """Take pool customers as one's own (one transaction; refused beyond the daily limit)."""
    require_write(ctx.actor)
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        raise ValidationError({"customers": _("choose at least one customer")})
    now = now or datetime.now().replace(microsecond=0)
    with ctx.db.write() as s:
        limit = int(settings.read(s, "pool_claim_daily_limit"))
        used = s.scalar(select(func.count()).where(PoolClaim.user_id == ctx.actor.id,
                                                   PoolClaim.at >= _day_start(now.date()))) or 0
        if used + len(ids) > limit:
            raise ValidationError({"customers": _("the daily claim limit is {limit}; {left} left today").format(
                limit=limit, left=max(0, limit - used))})
        owned = s.scalars(select(Customer.code).where(Customer.id.in_(ids), Customer.owner_id.is_not(None))).all()
        if owned:
            raise ValidationError({"customers": _("{codes} already have an owner").format(codes=", ".join(owned))})
        holding.check_reclaim(s, ctx.actor.id, ids, now)
        holding.check_capacity(s, ctx.actor.id, len(ids), "customers")
        moved = transfers.move_customers(s, ctx, ids, ctx.actor.id, _("Claimed from the customer pool"))
        for cid in ids:
            s.add(PoolClaim(user_id=ctx.actor.id, customer_id=cid, at=now))
        return ClaimResult(moved, max(0, limit - used - moved))


def _stale_condition(days: int, today: date):  # noqa: ANN202
    cutoff = _day_start(today - timedelta(days=days))
    return (Customer.owner_id.is_not(None),
            or_(Customer.last_contact_at < cutoff, (Customer.last_contact_at.is_(None) & (Customer.created_at < cutoff))))


def _days(ctx: Ctx, days: int | None) -> int:
    if days is None:
        days = int(settings.get(ctx, "pool_return_after_days"))
    if days <= 0:
        raise ValidationError({"days": _("returning to the pool is off; set the number of days first")})
    return days


def stale_count(ctx: Ctx, days: int | None = None, today: date | None = None) -> int:
    """How many owned customers had no interaction for `days` (default: the setting)."""
    require_role(ctx.actor, "manager", _("Only managers return customers to the pool."))
    days = _days(ctx, days)
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).where(*_stale_condition(days, today or date.today()))) or 0


def return_stale(ctx: Ctx, days: int | None = None, today: date | None = None) -> int:
    """Return every owned customer with no interaction for `days` to the pool (one transaction, logged)."""
    require_role(ctx.actor, "manager", _("Only managers return customers to the pool."))
    days = _days(ctx, days)
    with ctx.db.write() as s:
        ids = list(s.scalars(select(Customer.id).where(*_stale_condition(days, today or date.today()))))
        if not ids:
            return 0
        return transfers.move_customers(s, ctx, ids, None,
                                        _("No interaction for {n} days: returned to the pool").format(n=days))
