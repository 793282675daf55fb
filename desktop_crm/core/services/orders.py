"""Orders (交易记录, DOMAIN §6.1): add, edit, delete, the lazy list with filters, totals and receivable."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Select, and_, asc, desc, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from desktop_crm.core.db import like_pattern
from desktop_crm.core.errors import ConflictError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Order, User
from desktop_crm.core.models.types import cents_to_money, to_money
from desktop_crm.core.rules.parsing import clean_text, parse_date, parse_decimal
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_records import add_for_customer, load_in_scope
from desktop_crm.core.services.customers import load_visible
from desktop_crm.core.services.permissions import customer_scope, require_write

FIELDS = ["order_no", "date", "product", "category", "quantity", "amount", "cost", "paid_amount", "due_date", "notes"]
COLUMNS = ["order_no", "date", "customer_code", "customer_name", "product", "category", "quantity", "amount",
           "cost", "paid_amount", "receivable", "due_date", "owner"]
MONEY_COLUMNS = {"amount", "cost", "paid_amount", "receivable"}


@dataclass(frozen=True)
class OrderFilter:
    """The orders view's filters; empty values filter nothing."""

    search: str = ""
    date_from: date | None = None
    date_to: date | None = None
    customer_id: int | None = None
    product: str = ""
    category: str = ""
    owner_id: int | None = None
    unpaid: bool = False


@dataclass(frozen=True)
class OrderDetail:
    id: int
    version: int
    customer_id: int
    customer_code: str
    customer_name: str
    values: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, key: str) -> object:
        return self.values.get(key)


@dataclass(frozen=True)
class OrderTotals:
    orders: int
    amount: Decimal
    paid: Decimal
    receivable: Decimal
    first_date: date | None
    last_date: date | None


def cents(col):  # noqa: ANN001, ANN201
    """A Money column as raw integer cents (for exact SQL arithmetic and sums)."""
    return type_coerce(col, BigInteger)


# -- validation (shared with the importer) -------------------------------------------------------
def clean(data: dict[str, object], *, partial: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    """Parse and check order fields; returns (values, errors by field)."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key in FIELDS:
        if key not in data:
            continue
        raw = data[key]
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        try:
            if empty:
                values[key] = Decimal(0) if key == "paid_amount" else None
            elif key in ("date", "due_date"):
                values[key] = raw if isinstance(raw, date) and not isinstance(raw, datetime) else parse_date(raw)
            elif key in ("amount", "cost", "paid_amount"):
                values[key] = to_money(raw if isinstance(raw, Decimal) else parse_decimal(raw))
            elif key == "quantity":
                values[key] = raw if isinstance(raw, Decimal) else parse_decimal(raw)
            else:
                values[key] = clean_text(raw) if key != "notes" else str(raw).strip()
        except ValueError as exc:
            errors[key] = str(exc)
    if not partial:
        for key in ("order_no", "date", "amount"):
            if values.get(key) in (None, ""):
                errors.setdefault(key, _("is required"))
    if values.get("order_no") and len(str(values["order_no"])) > 64:
        errors["order_no"] = _("is longer than {n} characters").format(n=64)
    for key in ("amount", "cost", "paid_amount", "quantity"):
        v = values.get(key)
        if v is not None and v < 0 and key != "amount":
            errors[key] = _("must not be negative")
    return values, errors


def _detail(s: Session, o: Order) -> OrderDetail:
    c = s.get(Customer, o.customer_id)
    vals = {k: getattr(o, k) for k in FIELDS}
    vals["receivable"] = (o.amount or Decimal(0)) - (o.paid_amount or Decimal(0))
    return OrderDetail(o.id, o.version, o.customer_id, c.code if c else "", c.name if c else "", vals)


def _load(s: Session, ctx: Ctx, order_id: int) -> Order:
    return load_in_scope(s, ctx, Order, order_id, _("Order not found."))


def get_order(ctx: Ctx, order_id: int) -> OrderDetail:
    with ctx.db.read() as s:
        return _detail(s, _load(s, ctx, order_id))


def create_order(ctx: Ctx, customer_id: int, data: dict[str, object]) -> OrderDetail:
    require_write(ctx.actor)
    values, errors = clean(data)
    with ctx.db.write() as s:
        o = add_for_customer(s, ctx, Order, customer_id, values, errors, unique="order_no", entity="order")
        return _detail(s, o)


def update_order(ctx: Ctx, order_id: int, data: dict[str, object], *, expected_version: int,
                 customer_id: int | None = None) -> OrderDetail:
    require_write(ctx.actor)
    values, errors = clean(data, partial=True)
    for key in ("order_no", "date", "amount"):
        if key in values and values[key] in (None, ""):
            errors[key] = _("is required")
    try:
        with ctx.db.write() as s:
            o = _load(s, ctx, order_id)
            if o.version != expected_version:
                raise ConflictError(_("This order was changed by someone else; reload it."))
            if values.get("order_no") and values["order_no"] != o.order_no and s.scalar(
                    select(Order.id).where(Order.order_no == values["order_no"])):
                errors["order_no"] = _("already exists")
            if errors:
                raise ValidationError(errors)
            before = {k: getattr(o, k) for k in FIELDS}
            before["customer_id"] = o.customer_id
            if customer_id is not None and customer_id != o.customer_id:
                load_visible(s, ctx, customer_id, for_update=True)
                o.customer_id = customer_id
                values["customer_id"] = customer_id
            changes = audit.diff(before, values)
            for k, v in values.items():
                setattr(o, k, v)
            if changes:
                o.updated_at = datetime.now()
                s.flush()
                audit.record(s, ctx.actor, "order", o.id, "update", changes, label=o.order_no)
            return _detail(s, o)
    except StaleDataError:
        raise ConflictError(_("This order was changed by someone else; reload it.")) from None


def delete_order(ctx: Ctx, order_id: int) -> None:
    require_write(ctx.actor)
    with ctx.db.write() as s:
        o = _load(s, ctx, order_id)
        audit.record(s, ctx.actor, "order", o.id, "delete", {"amount": (o.amount, None)}, label=o.order_no)
        s.delete(o)


# -- the list ------------------------------------------------------------------------------------
def _where(ctx: Ctx, flt: OrderFilter) -> list:
    conds = [customer_scope(ctx.actor)]
    if flt.date_from:
        conds.append(Order.date >= flt.date_from)
    if flt.date_to:
        conds.append(Order.date <= flt.date_to)
    if flt.customer_id is not None:
        conds.append(Order.customer_id == flt.customer_id)
    if flt.product.strip():
        conds.append(Order.product.like(like_pattern(flt.product.strip()), escape="\\"))
    if flt.category.strip():
        conds.append(Order.category == flt.category.strip())
    if flt.owner_id is not None:
        conds.append(Customer.owner_id == flt.owner_id)
    if flt.unpaid:
        conds.append(Order.amount > Order.paid_amount)
    text = flt.search.strip()
    if text:
        like = like_pattern(text)
        conds.append(or_(Order.order_no.like(like, escape="\\"), Order.product.like(like, escape="\\"),
                         Customer.code.like(like, escape="\\"), Customer.name.like(like, escape="\\")))
    return conds


def _base(ctx: Ctx, flt: OrderFilter, *cols) -> Select:  # noqa: ANN002
    return select(*cols).select_from(Order).join(Customer, Customer.id == Order.customer_id).where(and_(*_where(ctx, flt)))


def count(ctx: Ctx, flt: OrderFilter) -> int:
    with ctx.db.read() as s:
        return s.scalar(_base(ctx, flt, func.count(Order.id))) or 0


def totals(ctx: Ctx, flt: OrderFilter) -> OrderTotals:
    """Number of orders, sales, paid and receivable (exact: SQL sums of integer cents)."""
    with ctx.db.read() as s:
        n, amount, paid, first, last = s.execute(_base(
            ctx, flt, func.count(Order.id), func.sum(cents(Order.amount)),
            func.sum(cents(Order.paid_amount)), func.min(Order.date), func.max(Order.date))).one()
    a, p = cents_to_money(amount), cents_to_money(paid)
    return OrderTotals(n or 0, a, p, a - p, first, last)


def customer_totals(ctx: Ctx, customer_id: int) -> OrderTotals:
    """The customer page's orders tab: totals and receivable."""
    return totals(ctx, OrderFilter(customer_id=customer_id))


def _column(key: str):  # noqa: ANN202
    if key == "customer_code":
        return Customer.code.label(key)
    if key == "customer_name":
        return Customer.name.label(key)
    if key == "owner":
        return func.coalesce(User.display_name, User.username).label(key)
    if key == "receivable":
        return (cents(Order.amount) - cents(Order.paid_amount)).label(key)
    if key in FIELDS:
        return getattr(Order, key)
    raise ValidationError({"sort": _("unknown field")})


def page(ctx: Ctx, flt: OrderFilter, *, columns: list[str] | None = None, sort: str = "date",
         descending: bool = True, offset: int = 0, limit: int = 200) -> list[tuple]:
    """Rows (id, version, *values of `columns`) in sort order, from `offset` (the lazy list's page)."""
    columns = columns or COLUMNS
    order = desc if descending else asc
    with ctx.db.read() as s:
        q = (_base(ctx, flt, Order.id, Order.version, *[_column(k) for k in columns])
             .outerjoin(User, User.id == Customer.owner_id)
             .order_by(order(_column(sort or "date")), order(Order.id)).offset(offset).limit(limit))
        rows = []
        for r in s.execute(q):
            r = list(r)
            if "receivable" in columns:
                i = columns.index("receivable") + 2
                r[i] = cents_to_money(r[i])
            rows.append(tuple(r))
        return rows


def order_table(ctx: Ctx, flt: OrderFilter, *, sort: str = "date", descending: bool = True,
                titles: dict[str, str] | None = None):  # noqa: ANN201 - a reporting Table
    """The filtered order list as shown, every row in scope, as a report table with totals."""
    from desktop_crm.core.reporting.model import Column, Table

    kinds = {k: "money" for k in MONEY_COLUMNS} | {"date": "date", "due_date": "date", "quantity": "number"}
    cols = [Column(k, (titles or {}).get(k, k), kinds.get(k, "text")) for k in COLUMNS]
    rows, offset = [], 0
    while True:
        chunk = page(ctx, flt, columns=COLUMNS, sort=sort, descending=descending, offset=offset, limit=5000)
        rows += [dict(zip(COLUMNS, r[2:], strict=True)) for r in chunk]
        if len(chunk) < 5000:
            break
        offset += 5000
    t = totals(ctx, flt)
    return Table(columns=cols, rows=rows,
                 totals={"order_no": t.orders, "amount": t.amount, "paid_amount": t.paid, "receivable": t.receivable})


def categories(ctx: Ctx) -> list[str]:
    with ctx.db.read() as s:
        return [c for c in s.scalars(select(Order.category).where(Order.category.is_not(None))
                                     .group_by(Order.category).order_by(Order.category).limit(500))]
