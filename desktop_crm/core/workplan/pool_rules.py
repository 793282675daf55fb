"""Pool rules (公海规则) that run themselves: administrators say which customers (grade, status,
industry, the owner's department) go back to the pool after N days without a follow-up, an order or
a new opportunity, with exemptions (an open contract, a deal in the last N days, a customer pinned
by a manager) and a warning N days before. The job runner runs them; each move is a transfer to the
pool with the rule, the days measured and the previous owner in the audit log and the customer's
history. A follow-up resets the countdown (the measure is the last one). Running twice on one day
moves nothing the second time: a moved customer has no owner any more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, delete, exists, func, insert, not_, or_, select
from sqlalchemy.orm import Session

from desktop_crm.core.db import Database, among, large_page_cache
from desktop_crm.core.enums import CUSTOMER_STATUS, GRADE, POOL_CONDITION
from desktop_crm.core.errors import NotFound, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Contract, Customer, Opportunity, Order, PoolPin, PoolRule, Transfer, User
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import customer_scope, require_role
from desktop_crm.core.services.users import actor_of

CHUNK = 5000  # customers per step: few enough for one IN list, many enough per owner


@dataclass
class RuleInput:
    name: str = ""
    condition: str = "no_follow_up"
    days: int = 90
    grades: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    department_id: int | None = None
    warn_days: int = 3
    exempt_open_contract: bool = True
    exempt_deal_days: int | None = None
    active: bool = True


@dataclass(frozen=True)
class RuleView:
    id: int
    name: str
    condition: str
    days: int
    grades: tuple[str, ...]
    statuses: tuple[str, ...]
    industries: tuple[str, ...]
    department_id: int | None
    warn_days: int
    exempt_open_contract: bool
    exempt_deal_days: int | None
    active: bool

    def describe(self) -> str:
        """The rule in a sentence, in the reader's language."""
        what = {"no_follow_up": _("no follow-up for {n} days"), "no_order": _("no order for {n} days"),
                "no_opportunity": _("no new opportunity for {n} days")}[self.condition].format(n=self.days)
        parts = [what]
        if self.grades:
            parts.append(_("grade {list}").format(list=", ".join(GRADE.label(g) for g in self.grades)))
        if self.statuses:
            parts.append(_("status {list}").format(list=", ".join(CUSTOMER_STATUS.label(s) for s in self.statuses)))
        if self.industries:
            parts.append(_("industry {list}").format(list=", ".join(self.industries)))
        if self.exempt_open_contract:
            parts.append(_("not with a contract in force"))
        if self.exempt_deal_days:
            parts.append(_("not with a deal in the last {n} days").format(n=self.exempt_deal_days))
        return _("; ").join(parts)


def _csv(values: list[str] | tuple[str, ...]) -> str | None:
    return ("," + ",".join(values) + ",") if values else None


def _list(text: str | None) -> tuple[str, ...]:
    return tuple(v for v in (text or "").split(",") if v)


def _view(r: PoolRule) -> RuleView:
    return RuleView(r.id, r.name, r.condition, r.days, _list(r.grades), _list(r.statuses), _list(r.industries),
                    r.department_id, r.warn_days, r.exempt_open_contract, r.exempt_deal_days, r.active)


def _validate(s: Session, data: RuleInput, rule_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = _("is required")
    elif s.scalar(select(PoolRule.id).where(PoolRule.name == name, PoolRule.id != (rule_id or 0))):
        errors["name"] = _("another rule has this name")
    if data.condition not in POOL_CONDITION.keys:
        errors["condition"] = _("must be one of: {keys}").format(keys=", ".join(POOL_CONDITION.keys))
    if not 1 <= int(data.days) <= 3650:
        errors["days"] = _("must be between 1 and {n}").format(n=3650)
    if not 0 <= int(data.warn_days) < int(data.days):
        errors["warn_days"] = _("must be 0 or more and fewer than the rule's days")
    bad = [g for g in data.grades if g not in GRADE.keys]
    if bad:
        errors["grades"] = _("must be among: {keys}").format(keys=", ".join(GRADE.keys))
    bad = [x for x in data.statuses if x not in CUSTOMER_STATUS.keys]
    if bad:
        errors["statuses"] = _("must be among: {keys}").format(keys=", ".join(CUSTOMER_STATUS.keys))
    if data.exempt_deal_days is not None and not 1 <= int(data.exempt_deal_days) <= 3650:
        errors["exempt_deal_days"] = _("must be between 1 and {n}").format(n=3650)
    return errors


def save_rule(ctx: Ctx, data: RuleInput, rule_id: int | None = None) -> RuleView:
    """Add or change a rule (administrators)."""
    require_role(ctx.actor, "admin", _("Only administrators define pool rules."))
    with ctx.db.write() as s:
        errors = _validate(s, data, rule_id)
        if errors:
            raise ValidationError(errors)
        r = s.get(PoolRule, rule_id) if rule_id else PoolRule(created_at=datetime.now().replace(microsecond=0),
                                                                created_by_id=ctx.actor.id)
        if r is None:
            raise NotFound(_("Pool rule not found."))
        before = {} if rule_id is None else _fields(r)
        r.name, r.condition, r.days = data.name.strip(), data.condition, int(data.days)
        r.grades, r.statuses = _csv(data.grades), _csv(data.statuses)
        r.industries = _csv([i.strip() for i in data.industries if i.strip()])
        r.department_id, r.warn_days = data.department_id, int(data.warn_days)
        r.exempt_open_contract, r.exempt_deal_days, r.active = (bool(data.exempt_open_contract),
                                                                data.exempt_deal_days, bool(data.active))
        if rule_id is None:
            s.add(r)
        s.flush()
        audit.record(s, ctx.actor, "pool_rule", r.id, "create" if rule_id is None else "update",
                     audit.diff(before, _fields(r)), label=r.name)
        return _view(r)


def _fields(r: PoolRule) -> dict[str, object]:
    return {"name": r.name, "condition": r.condition, "days": r.days, "grades": r.grades, "statuses": r.statuses,
            "industries": r.industries, "department_id": r.department_id, "warn_days": r.warn_days,
            "exempt_open_contract": r.exempt_open_contract, "exempt_deal_days": r.exempt_deal_days,
            "active": r.active}


def delete_rule(ctx: Ctx, rule_id: int) -> None:
    require_role(ctx.actor, "admin", _("Only administrators define pool rules."))
    with ctx.db.write() as s:
        r = s.get(PoolRule, rule_id)
        if r is None:
            raise NotFound(_("Pool rule not found."))
        audit.record(s, ctx.actor, "pool_rule", r.id, "delete", label=r.name)
        s.delete(r)


def list_rules(ctx: Ctx) -> list[RuleView]:
    """Everyone may read the rules: a rep should know why a customer will go back to the pool."""
    with ctx.db.read() as s:
        return [_view(r) for r in s.scalars(select(PoolRule).order_by(PoolRule.name))]


def pin(ctx: Ctx, customer_id: int, reason: str = "", *, pinned: bool = True) -> None:
    """Keep a customer with its owner whatever the rules say (managers), or let the rules apply again."""
    require_role(ctx.actor, "manager", _("Only managers pin customers to their owner."))
    with ctx.db.write() as s:
        code = s.scalar(select(Customer.code).where(Customer.id == customer_id, customer_scope(ctx.actor)))
        if code is None:
            raise NotFound(_("Customer not found."))
        had = s.get(PoolPin, customer_id) is not None
        if pinned and not had:
            s.add(PoolPin(customer_id=customer_id, by_id=ctx.actor.id, at=datetime.now().replace(microsecond=0),
                          reason=reason.strip() or None))
        elif not pinned and had:
            s.execute(delete(PoolPin).where(PoolPin.customer_id == customer_id))
        if pinned != had:
            audit.record(s, ctx.actor, "customer", customer_id, "pin" if pinned else "unpin",
                         {"reason": (None, reason.strip() or None)}, label=code)


def is_pinned(ctx: Ctx, customer_id: int) -> bool:
    with ctx.db.read() as s:
        return s.get(PoolPin, customer_id) is not None


# --- the measure -------------------------------------------------------------------------

def _cutoff(at: datetime, days: int) -> datetime:
    return datetime.combine(at.date() - timedelta(days=days), time.min)


def _quiet_since(rule: PoolRule | RuleView, cutoff: datetime):  # noqa: ANN202 - SQL condition
    """Nothing of the rule's kind since `cutoff` (and the customer is older than that)."""
    if rule.condition == "no_follow_up":
        return func.coalesce(Customer.last_contact_at, Customer.created_at) < cutoff
    if rule.condition == "no_order":
        return and_(Customer.created_at < cutoff, not_(exists().where(
            Order.customer_id == Customer.id, Order.date >= cutoff.date())))
    return and_(Customer.created_at < cutoff, not_(exists().where(
        Opportunity.customer_id == Customer.id, Opportunity.created_at >= cutoff)))


def _in_scope(rule: PoolRule | RuleView, at: datetime) -> list:
    conds = [Customer.owner_id.is_not(None), not_(exists().where(PoolPin.customer_id == Customer.id))]
    grades, statuses, industries = (_list(rule.grades), _list(rule.statuses), _list(rule.industries)) \
        if isinstance(rule, PoolRule) else (rule.grades, rule.statuses, rule.industries)
    if grades:
        conds.append(Customer.grade.in_(grades))
    if statuses:
        conds.append(Customer.status.in_(statuses))
    if industries:
        conds.append(Customer.industry.in_(industries))
    if rule.department_id is not None:
        conds.append(Customer.owner_id.in_(select(User.id).where(User.department_id == rule.department_id)))
    if rule.exempt_open_contract:
        conds.append(not_(exists().where(Contract.customer_id == Customer.id, Contract.status == "active",
                                         or_(Contract.end_on.is_(None), Contract.end_on >= at.date()))))
    if rule.exempt_deal_days:
        conds.append(not_(exists().where(Order.customer_id == Customer.id,
                                         Order.date >= at.date() - timedelta(days=rule.exempt_deal_days))))
    return conds


def _last(s: Session, rule: PoolRule | RuleView, ids: list[int]) -> dict[int, date]:
    """The day of each customer's last follow-up / order / new opportunity (or creation)."""
    out: dict[int, date] = {}
    for cid, created, contact in s.execute(select(Customer.id, Customer.created_at, Customer.last_contact_at)
                                           .where(among(Customer.id, ids))):
        out[cid] = (contact or created).date() if rule.condition == "no_follow_up" else created.date()
    if rule.condition == "no_order":
        q = select(Order.customer_id, func.max(Order.date)).where(among(Order.customer_id, ids)).group_by(
            Order.customer_id)
        for cid, last in s.execute(q):
            out[cid] = max(out[cid], last)
    elif rule.condition == "no_opportunity":
        q = select(Opportunity.customer_id, func.max(Opportunity.created_at)).where(
            among(Opportunity.customer_id, ids)).group_by(Opportunity.customer_id)
        for cid, last in s.execute(q):
            out[cid] = max(out[cid], last.date())
    return out


# --- running -----------------------------------------------------------------------------

def _reasons(rule: PoolRule) -> Callable[[int], str]:
    """The reason of a move after so many quiet days (translated once per run, said per customer)."""
    what = {"no_follow_up": _("no follow-up for {n} days"), "no_order": _("no order for {n} days"),
            "no_opportunity": _("no new opportunity for {n} days")}[rule.condition]
    head = _("Pool rule “{rule}”: {what}")
    return lambda days: head.format(rule=rule.name, what=what.format(n=days))


def apply_rule(s: Session, rule: PoolRule, at: datetime) -> int:
    """Move the customers `rule` selects as of `at` to the pool, in the caller's transaction."""
    with large_page_cache(s.connection()):  # a first run may move a fifth of the archive
        return _apply(s, rule, at)


def _apply(s: Session, rule: PoolRule, at: datetime) -> int:
    from desktop_crm.core.services.transfers import followers
    ids = list(s.scalars(select(Customer.id).where(*_in_scope(rule, at), _quiet_since(rule, _cutoff(at, rule.days)))
                         .order_by(Customer.id)))
    moved = 0
    by_old: dict[int, list[int]] = {}
    reason = _reasons(rule)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        last = _last(s, rule, chunk)
        rows = s.execute(select(Customer.id, Customer.code, Customer.owner_id).where(
            among(Customer.id, chunk), Customer.owner_id.is_not(None))).all()
        moves, trail = [], []
        for cid, code, owner in rows:
            days = (at.date() - last[cid]).days
            moves.append({"customer_id": cid, "from_user_id": owner, "to_user_id": None, "at": at,
                          "by_user_id": None, "reason": reason(days)})
            trail.append(("customer", cid, "transfer",
                          {"owner_id": (owner, None), "rule": (None, rule.name), "days": (None, days)}, code))
            by_old.setdefault(owner, []).append(cid)
        audit.record_many(s, None, trail, at=at)
        if moves:
            s.execute(insert(Transfer.__table__), moves)  # Core: no ORM bookkeeping per row
        s.execute(Customer.__table__.update().where(among(Customer.id, [r[0] for r in rows]))
                  .values(owner_id=None, updated_at=at))
        moved += len(rows)
    # open complaints, visits, opportunities and tasks follow: once per previous owner, not per step
    admin = s.scalar(select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id))
    if admin is not None and by_old:
        system = Ctx(None, actor_of(admin))  # type: ignore[arg-type]
        for old, cids in by_old.items():
            for start in range(0, len(cids), CHUNK):
                for follow in followers():
                    follow(s, system, cids[start:start + CHUNK], old, None)
    return moved


def run_job(db: Database, at: datetime) -> str:
    """The job: every active rule, one transaction per rule."""
    with db.read() as s:
        rule_ids = list(s.scalars(select(PoolRule.id).where(PoolRule.active.is_(True)).order_by(PoolRule.id)))
    parts = []
    for rid in rule_ids:
        with db.write() as s:
            rule = s.get(PoolRule, rid)
            if rule is None or not rule.active:
                continue
            n = apply_rule(s, rule, at)
            parts.append(_("{rule}: {n} to the pool").format(rule=rule.name, n=n))
    return _("; ").join(parts) if parts else _("no pool rules")


# --- warnings ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Warning:
    customer_id: int
    customer_code: str
    customer: str
    owner_id: int
    rule: str
    reason: str  # the rule in a sentence
    days_left: int


def warnings(ctx: Ctx, user_id: int | None = None, at: datetime | None = None, limit: int = 200) -> list[Warning]:
    """The customers of one owner (default: the actor) that a rule will return within its warning days."""
    at = at or datetime.now().replace(microsecond=0)
    uid = user_id or ctx.actor.id
    out: list[Warning] = []
    with ctx.db.read() as s:
        for r in s.scalars(select(PoolRule).where(PoolRule.active.is_(True), PoolRule.warn_days > 0)):
            q = (select(Customer.id, Customer.code, Customer.name).where(
                Customer.owner_id == uid, customer_scope(ctx.actor), *_in_scope(r, at),
                _quiet_since(r, _cutoff(at, r.days - r.warn_days)),
                not_(_quiet_since(r, _cutoff(at, r.days)))).limit(limit))
            rows = s.execute(q).all()
            last = _last(s, r, [c for c, _code, _n in rows]) if rows else {}
            view = _view(r)
            for cid, code, name in rows:
                left = r.days - (at.date() - last[cid]).days
                out.append(Warning(cid, code, name, uid, r.name, view.describe(), max(0, left)))
    out.sort(key=lambda w: (w.days_left, w.customer_code))
    return out[:limit]


def countdown(ctx: Ctx, customer_id: int, at: datetime | None = None) -> Warning | None:
    """The nearest pool return of one customer the actor may see (for the customer page), or None."""
    at = at or datetime.now().replace(microsecond=0)
    best: Warning | None = None
    with ctx.db.read() as s:
        c = s.execute(select(Customer.id, Customer.code, Customer.name, Customer.owner_id).where(
            Customer.id == customer_id, customer_scope(ctx.actor))).first()
        if c is None or c.owner_id is None:
            return None
        for r in s.scalars(select(PoolRule).where(PoolRule.active.is_(True))):
            if not s.scalar(select(Customer.id).where(Customer.id == customer_id, *_in_scope(r, at))):
                continue
            left = r.days - (at.date() - _last(s, r, [customer_id])[customer_id]).days
            w = Warning(c.id, c.code, c.name, c.owner_id, r.name, _view(r).describe(), max(0, left))
            if best is None or w.days_left < best.days_left:
                best = w
    return best
