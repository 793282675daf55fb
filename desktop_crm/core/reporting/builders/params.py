"""What every report takes: a period (with presets), a scope limited by the user's role, and
report-specific parameters; plus the shared header facts (company, period, scope, who, when).

Scope strings are those of the command line and `services.metrics`:
`all` · `department:NAME` · `owner:USERNAME` · `category:NAME` (a product category).
Every scope is intersected with what the actor may see (`permissions.customer_scope`):
a staff user's "all" is their own customers (and the pool), a supervisor's is the team's.
Asking for a department or owner outside one's team is refused, not silently emptied.
A product category restricts order lines (sales figures); reports without sales
(churn, complaints, satisfaction, visits, staff) restrict to customers who ever ordered
in that category.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import True_

from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.models import Customer, Department, Order, User
from desktop_crm.core.services import settings
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import customer_scope

UNITS = {"yuan": N_("Yuan"), "wan": N_("¥10,000 (万元)")}
PRESETS: list[tuple[str, str]] = [
    ("this_month", N_("This month")),
    ("last_month", N_("Last month")),
    ("this_quarter", N_("This quarter")),
    ("this_year", N_("This year")),
    ("last_12_months", N_("Last 12 months")),
]


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(y, m + 1, 1)


def preset(name: str, today: date | None = None) -> tuple[date, date]:
    """(from, to) of a period preset, both days included."""
    today = today or date.today()
    first = today.replace(day=1)
    if name == "this_month":
        return first, month_end(today)
    if name == "last_month":
        start = add_months(first, -1)
        return start, month_end(start)
    if name == "this_quarter":
        start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return start, month_end(add_months(start, 2))
    if name == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if name == "last_12_months":
        return add_months(first, -11), month_end(today)
    raise ValidationError({"period": _("unknown period preset '{name}'").format(name=name)})


def month_period(text: str) -> tuple[date, date]:
    """`YYYY-MM` → the first and last day of that month."""
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        start = date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError({"month": _("use YYYY-MM, e.g. 2026-03")}) from None
    return start, month_end(start)


@dataclass(frozen=True)
class ReportParams:
    date_from: date
    date_to: date
    scope: str = "all"
    by: str | None = None  # composition: which field
    years: int | None = None  # seasonal: N full years back from the period's end
    target: Decimal | None = None  # seasonal: annual target
    unit: str = "yuan"  # money shown in yuan, or "wan" (万元, ten thousands)

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise ValidationError({"to": _("is before the start of the period")})
        if self.unit not in UNITS:
            raise ValidationError({"unit": _("use one of: {keys}").format(keys=", ".join(UNITS))})

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.date_to, time.max)

    @property
    def period_text(self) -> str:
        return f"{self.date_from.isoformat()} — {self.date_to.isoformat()}"

    def months(self) -> list[date]:
        """First days of the months the period touches."""
        out, day = [], self.date_from.replace(day=1)
        while day <= self.date_to:
            out.append(day)
            day = add_months(day, 1)
        return out


@dataclass
class Scope:
    """A resolved scope: SQL conditions and the label shown in headers."""

    key: str
    label: str
    customer: ColumnElement[bool] | None = None  # on Customer; None = no restriction
    order: ColumnElement[bool] | None = None  # on Order; None = no restriction
    users: ColumnElement[bool] | None = None  # on User (staff report); None = everyone
    category: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def customers_of(self, col) -> ColumnElement[bool]:  # noqa: ANN001
        """A customer-id column restricted to the scope's customers (no join when unrestricted)."""
        conds = []
        if self.customer is not None:
            conds.append(col.in_(select(Customer.id).where(self.customer)))
        if self.category is not None:
            conds.append(col.in_(select(Order.customer_id).where(Order.category == self.category)))
        return and_(*conds) if conds else true()

    def customer_cond(self) -> ColumnElement[bool] | None:
        """A condition on Customer (role, owner/department, product category), None when unrestricted."""
        cond = self.customer
        if self.category is not None:
            cond = _and(cond, Customer.id.in_(select(Order.customer_id).where(Order.category == self.category)))
        return cond

    def sales_of(self, col) -> ColumnElement[bool]:  # noqa: ANN001
        """For order queries: the scope's customers, and the product category when one is chosen."""
        conds = []
        if self.customer is not None:
            conds.append(col.in_(select(Customer.id).where(self.customer)))
        if self.order is not None:
            conds.append(self.order)
        return and_(*conds) if conds else true()


def _and(a: ColumnElement[bool] | None, b: ColumnElement[bool]) -> ColumnElement[bool]:
    return b if a is None else and_(a, b)


def resolve_scope(s: Session, ctx: Ctx, scope: str | None) -> Scope:
    actor = ctx.actor
    base = customer_scope(actor)
    cust = None if isinstance(base, True_) else base
    users = None
    if not actor.sees_all:
        users = (User.department_id == actor.department_id if actor.role == "supervisor"
                 and actor.department_id is not None else User.id == actor.id)
    kind, _sep, arg = (scope or "all").partition(":")
    arg = arg.strip()
    if kind == "all":
        label = _("All customers") if actor.sees_all else (
            _("My team's customers") if actor.role == "supervisor" else _("My customers"))
        return Scope("all", label, cust, None, users)
    if kind == "owner":
        row = s.execute(select(User.id, User.department_id, User.display_name, User.username)
                        .where(User.username == arg)).first()
        if row is None:
            raise ValidationError({"scope": _("no user '{name}'").format(name=arg)})
        if not _may_see_user(actor, row[0], row[1]):
            raise PermissionDenied(_("Your reports cannot cover that user's customers."))
        return Scope(f"owner:{arg}", _("Owner: {name}").format(name=row[2] or row[3]),
                     _and(cust, Customer.owner_id == row[0]), None, User.id == row[0])
    if kind == "department":
        dept = s.scalar(select(Department.id).where(Department.name == arg))
        if dept is None:
            raise ValidationError({"scope": _("no department '{name}'").format(name=arg)})
        if not actor.sees_all and not (actor.role == "supervisor" and actor.department_id == dept):
            raise PermissionDenied(_("Your reports cannot cover that department."))
        cond = Customer.owner_id.in_(select(User.id).where(User.department_id == dept))
        return Scope(f"department:{arg}", _("Department: {name}").format(name=arg), _and(cust, cond), None,
                     _and(users, User.department_id == dept))
    if kind == "category":
        if not arg:
            raise ValidationError({"scope": _("name the product category, e.g. category:配件")})
        base_label = resolve_scope(s, ctx, "all").label
        return Scope(f"category:{arg}", f"{base_label} · " + _("Product category: {name}").format(name=arg),
                     cust, Order.category == arg, users, category=arg)
    raise ValidationError({"scope": _("use all, department:NAME, owner:USER or category:NAME")})


def _may_see_user(actor, user_id: int, department_id: int | None) -> bool:  # noqa: ANN001
    if actor.sees_all:
        return True
    if actor.role == "supervisor" and actor.department_id is not None:
        return department_id == actor.department_id
    return user_id == actor.id


def scope_choices(ctx: Ctx) -> list[tuple[str, str]]:
    """(scope key, label) a user may pick: all, their departments/users, product categories."""
    actor = ctx.actor
    with ctx.db.read() as s:
        out = [("all", resolve_scope(s, ctx, "all").label)]
        depts = s.execute(select(Department.id, Department.name).where(Department.active.is_(True))
                          .order_by(Department.name)).all()
        people = s.execute(select(User.id, User.username, User.display_name, User.department_id)
                           .where(User.active.is_(True), User.role != "viewer").order_by(User.username)).all()
        cats = [c for (c,) in s.execute(select(Order.category).where(Order.category.is_not(None))
                                        .distinct().order_by(Order.category).limit(200))]
    for dept_id, name in depts:
        if actor.sees_all or (actor.role == "supervisor" and actor.department_id == dept_id):
            out.append((f"department:{name}", _("Department: {name}").format(name=name)))
    for uid, username, display, dept_id in people:
        if _may_see_user(actor, uid, dept_id):
            out.append((f"owner:{username}", _("Owner: {name}").format(name=display or username)))
    out += [(f"category:{c}", _("Product category: {name}").format(name=c)) for c in cats if c]
    return out


@dataclass(frozen=True)
class Header:
    company: str
    produced_by: str
    produced_at: datetime


def header(s: Session, ctx: Ctx) -> Header:
    return Header(str(settings.read(s, "company_name") or ""), ctx.actor.label,
                  datetime.now().replace(microsecond=0))


def parse_amount(text: object) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except ArithmeticError:
        raise ValidationError({"target": _("is not an amount")}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"target": _("is not an amount")})
    return value
