"""Finding complaints: search box, filters, overdue, sorting and paging by the database, in scope.

The default order is by urgency: open complaints first, by their next due time (so overdue ones,
whose next due time has passed, come first), then handled ones, newest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import Select, and_, asc, case, desc, func, or_, select
from sqlalchemy.orm import aliased

from desktop_crm.core import search
from desktop_crm.core.db import like_pattern
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Complaint, Customer, User
from desktop_crm.core.rules.parsing import parse_date
from desktop_crm.core.rules.validation import phone_digits
from desktop_crm.core.services.complaints import complaint_scope
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_export

OPEN = ("registered", "accepted", "processing")
UNASSIGNED = "none"
COLUMNS = ["number", "status", "severity", "category", "channel", "customer_code", "customer_name", "received_at",
           "handler", "next_due", "overdue", "order_no", "description", "response_due", "resolution_due",
           "first_response_at", "resolved_at", "closed_at", "satisfaction"]
Handler = aliased(User)


@dataclass
class ComplaintFilter:
    search: str = ""
    status: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    severity: list[str] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    handler: list[object] = field(default_factory=list)  # user ids, or "none" for unassigned
    overdue: bool = False
    received_from: date | str | None = None
    received_to: date | str | None = None
    customer_id: int | None = None


def next_due_expr():  # noqa: ANN201 - SQL expression
    """The next due time of an open complaint (response first, then resolution); NULL when handled."""
    return case(
        (Complaint.status.not_in(OPEN), None),
        (Complaint.first_response_at.is_(None), Complaint.response_due),
        else_=Complaint.resolution_due)


def overdue_expr(now: datetime):  # noqa: ANN201 - SQL condition
    return and_(Complaint.status.in_(OPEN),
                or_(and_(Complaint.first_response_at.is_(None), Complaint.response_due < now),
                    Complaint.resolution_due < now))


def _search_condition(session, text: str):  # noqa: ANN001, ANN202
    text = text.strip()
    if not text:
        return None
    pat = like_pattern(text)
    parts = [Complaint.number.like(pat, escape="\\"), Complaint.order_no.like(pat, escape="\\"),
             Complaint.description.like(pat, escape="\\"), Complaint.demand.like(pat, escape="\\"),
             Complaint.caller.like(pat, escape="\\")]
    digits = phone_digits(text) if any(ch.isdigit() for ch in text) else ""
    if digits:
        parts.append(Complaint.caller_phone.like(like_pattern(digits), escape="\\"))
    matched = search.match_ids(session, text)  # customer code, name, contacts, phones (the customer index)
    if matched is not None:
        parts.append(Complaint.customer_id.in_(matched))
    return or_(*parts)


def _day(value: object, upper: bool) -> datetime | None:
    if value in (None, ""):
        return None
    d = value if isinstance(value, date) else parse_date(value)
    return datetime.combine(d, time.max if upper else time.min)


def base_query(ctx: Ctx, session, flt: ComplaintFilter, now: datetime) -> Select:  # noqa: ANN001
    q = select(Complaint.id).where(complaint_scope(ctx.actor))
    for key in ("status", "category", "severity", "channel"):
        values = getattr(flt, key)
        if values:
            q = q.where(getattr(Complaint, key).in_(list(values)))
    if flt.handler:
        ids = [int(h) for h in flt.handler if h != UNASSIGNED]
        conds = [Complaint.handler_id.in_(ids)] if ids else []
        if UNASSIGNED in flt.handler:
            conds.append(Complaint.handler_id.is_(None))
        q = q.where(or_(*conds))
    if flt.overdue:
        q = q.where(overdue_expr(now))
    try:
        lo, hi = _day(flt.received_from, False), _day(flt.received_to, True)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if lo is not None:
        q = q.where(Complaint.received_at >= lo)
    if hi is not None:
        q = q.where(Complaint.received_at <= hi)
    if flt.customer_id is not None:
        q = q.where(Complaint.customer_id == flt.customer_id)
    cond = _search_condition(session, flt.search)
    if cond is not None:
        q = q.where(cond)
    return q


def count(ctx: Ctx, flt: ComplaintFilter, now: datetime | None = None) -> int:
    with ctx.db.read() as s:
        sub = base_query(ctx, s, flt, now or datetime.now()).subquery()
        return s.scalar(select(func.count()).select_from(sub)) or 0


def _columns(now: datetime) -> dict[str, object]:
    return {
        "number": Complaint.number, "status": Complaint.status, "severity": Complaint.severity,
        "category": Complaint.category, "channel": Complaint.channel, "customer_code": Customer.code,
        "customer_name": Customer.name, "received_at": Complaint.received_at,
        "handler": func.coalesce(func.nullif(Handler.display_name, ""), Handler.username),
        "next_due": next_due_expr(), "overdue": case((overdue_expr(now), True), else_=False),
        "order_no": Complaint.order_no, "description": Complaint.description,
        "response_due": Complaint.response_due, "resolution_due": Complaint.resolution_due,
        "first_response_at": Complaint.first_response_at, "resolved_at": Complaint.resolved_at,
        "closed_at": Complaint.closed_at, "satisfaction": Complaint.satisfaction,
    }


def page(ctx: Ctx, flt: ComplaintFilter, *, columns: list[str] | None = None, sort: str = "", descending: bool = False,
         offset: int = 0, limit: int = 200, now: datetime | None = None) -> list[tuple]:
    """Rows (id, version, *values of `columns`). sort "" = urgency (overdue first)."""
    now = now or datetime.now()
    columns = columns or COLUMNS
    exprs = _columns(now)
    unknown = [c for c in [*columns, sort] if c and c not in exprs]
    if unknown:
        raise ValidationError({"columns": _("unknown column {name}").format(name=unknown[0])})
    with ctx.db.read() as s:
        ids = base_query(ctx, s, flt, now).subquery()
        q = (select(Complaint.id, Complaint.version, *[exprs[c].label(c) for c in columns])  # type: ignore[attr-defined]
             .join(ids, ids.c.id == Complaint.id).join(Customer, Customer.id == Complaint.customer_id)
             .outerjoin(Handler, Handler.id == Complaint.handler_id))
        if sort:
            order = desc if descending else asc
            q = q.order_by(order(exprs[sort]), order(Complaint.id))  # type: ignore[arg-type]
        else:
            is_open = case((Complaint.status.in_(OPEN), 0), else_=1)
            q = q.order_by(is_open, next_due_expr().asc(), Complaint.received_at.desc(), Complaint.id.desc())
        return [tuple(r) for r in s.execute(q.offset(offset).limit(limit))]


def export_rows(ctx: Ctx, flt: ComplaintFilter, *, columns: list[str] | None = None,
                batch: int = 2000) -> Iterator[tuple]:
    """Every matching row (in scope) in urgency order, for exports and the command line."""
    require_export(ctx.actor)
    now, offset = datetime.now(), 0
    while True:
        rows = page(ctx, flt, columns=columns, offset=offset, limit=batch, now=now)
        yield from rows
        if len(rows) < batch:
            return
        offset += batch


LOOKUP_COLUMNS = ["code", "name", "mobile", "phone", "city"]
LOOKUP_CANDIDATES = 2000


def lookup_customers(ctx: Ctx, text: str, limit: int = 8) -> list[tuple]:
    """The intake's customer look-up as you type: rows (id, version, code, name, mobile, phone, city).

    A complete phone number is first matched exactly on the indexed phone columns (customers'
    mobile and phone, contacts' mobile): instant at any size. Anything else, or a number nobody
    has, goes through the shared customer search (code, name, pinyin, phone fragments)."""
    from desktop_crm.core.models import Contact
    from desktop_crm.core.rules.validation import normalize_phone
    from desktop_crm.core.services.permissions import intake_customer_scope as customer_scope

    text = (text or "").strip()
    if len(text) < 2:
        return []
    if sum(ch.isdigit() for ch in text) >= 7:
        try:
            e164 = normalize_phone(text)
        except ValueError:
            e164 = None
        if e164:
            with ctx.db.read() as s:
                ids = list(s.scalars(select(Customer.id).where(or_(Customer.mobile == e164, Customer.phone == e164))
                                     .union(select(Contact.customer_id).where(Contact.mobile == e164))))
                if ids:  # the number is known: its customers in scope, or nothing (no slow search after it)
                    q = (select(Customer.id, Customer.version, *[getattr(Customer, c) for c in LOOKUP_COLUMNS])
                         .where(Customer.id.in_(ids), customer_scope(ctx.actor)).order_by(Customer.code)
                         .limit(limit))
                    return [tuple(r) for r in s.execute(q)]
    # The search index first, then the (intake) scope on that bounded set. A term matching more
    # than LOOKUP_CANDIDATES customers (four digits at 1,000,000) offers the first of them: the
    # rep types another digit rather than scroll a list of thousands.
    with ctx.db.read() as s:
        matched = search.match_ids(s, text)
        if matched is None:
            return []
        ids = list(s.scalars(matched.limit(LOOKUP_CANDIDATES)))
        if not ids:
            return []
        q = (select(Customer.id, Customer.version, *[getattr(Customer, c) for c in LOOKUP_COLUMNS])
             .where(Customer.id.in_(ids), customer_scope(ctx.actor)).order_by(Customer.code).limit(limit))
        return [tuple(r) for r in s.execute(q)]


def handlers(ctx: Ctx) -> list[tuple[int, str]]:
    """Users the actor may filter by / assign to: active non-viewers in scope."""
    from desktop_crm.core.services.permissions import team_user_ids

    with ctx.db.read() as s:
        q = select(User.id, func.coalesce(func.nullif(User.display_name, ""), User.username)).where(
            User.active.is_(True), User.role != "viewer")
        if not ctx.actor.sees_all:
            q = q.where(User.id.in_(team_user_ids(ctx.actor)) if ctx.actor.role == "supervisor"
                        else User.id == ctx.actor.id)
        return [(r[0], r[1]) for r in s.execute(q.order_by(User.username))]


EXPORT_COLUMNS = ["number", "status", "severity", "category", "channel", "customer_code", "customer_name",
                  "received_at", "handler", "response_due", "resolution_due", "first_response_at", "resolved_at",
                  "closed_at", "overdue", "order_no", "satisfaction", "description"]
_EXPORT_TITLES = {"number": "Number", "status": "Status", "severity": "Severity", "category": "Complaint category",
                  "channel": "Channel", "customer_code": "Customer code", "customer_name": "Customer",
                  "received_at": "Received", "handler": "Handler", "response_due": "Response due",
                  "resolution_due": "Resolution due", "first_response_at": "First response",
                  "resolved_at": "Resolved at", "closed_at": "Closed at", "overdue": "Overdue",
                  "order_no": "Order / waybill no", "satisfaction": "Satisfaction",
                  "description": "What the customer said"}


def complaint_table(ctx: Ctx, flt: ComplaintFilter, columns: list[str] | None = None):  # noqa: ANN201
    """The filtered complaint list (in scope, export right required) as a report table; `columns`
    picks the columns as shown (default: every exported column)."""
    from desktop_crm.core.enums import (
        COMPLAINT_CATEGORY,
        COMPLAINT_CHANNEL,
        COMPLAINT_SEVERITY,
        COMPLAINT_STATE,
    )
    from desktop_crm.core.i18n import gettext
    from desktop_crm.core.reporting.model import Column, Table

    enums = {"status": COMPLAINT_STATE, "severity": COMPLAINT_SEVERITY, "category": COMPLAINT_CATEGORY,
             "channel": COMPLAINT_CHANNEL}
    kinds = {k: "datetime" for k in ("received_at", "response_due", "resolution_due", "first_response_at",
                                     "resolved_at", "closed_at")}
    kinds["satisfaction"] = "int"
    keys = [k for k in (columns or EXPORT_COLUMNS) if k in _EXPORT_TITLES]
    cols = [Column(k, gettext(_EXPORT_TITLES[k]), kinds.get(k, "text")) for k in keys]
    rows = []
    for r in export_rows(ctx, flt, columns=keys):
        row = dict(zip(keys, r[2:], strict=True))
        for k, enum in enums.items():
            if k in row:
                row[k] = enum.label(row[k])
        if "overdue" in row:
            row["overdue"] = _("Yes") if row["overdue"] else ""
        rows.append(row)
    return Table(columns=cols, rows=rows)


def export_list(ctx: Ctx, flt: ComplaintFilter, path: str, progress=None) -> int:  # noqa: ANN001
    """The filtered complaint list (in scope, export right required) to .xlsx or .csv; returns the rows."""
    from pathlib import Path

    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError({"path": _("use a .xlsx or .csv file name")})
    table = complaint_table(ctx, flt)
    if suffix == ".xlsx":
        from desktop_crm.core.exporting.excel import write_table_xlsx

        write_table_xlsx(table.columns, table.rows, path, sheet_title=_("Complaints"), progress=progress)
    else:
        from desktop_crm.core.exporting.csvjson import write_csv

        write_csv(table, path, progress=progress)
    return len(table.rows)


# ---- the customer as a complaint shows it ------------------------------------------------------

@dataclass(frozen=True)
class CustomerCard:
    """What a complaint's handler may see of its customer, also when the customer is another rep's:
    who they are, how to reach them, and their complaints that the handler may see."""

    customer_id: int
    code: str
    name: str
    phone: str
    owner: str
    full_access: bool  # the customer is in the actor's scope: the customer page may open
    contacts: tuple[tuple[str, str, str], ...]  # name, title, phone
    complaints: tuple[tuple[int, str, object, str, str], ...]  # id, number, received_at, status, description


def customer_card(ctx: Ctx, complaint_id: int) -> CustomerCard:
    """The customer of a complaint the actor may see (the complaint scope decides, not the customer's)."""
    from desktop_crm.core.models import Contact, User
    from desktop_crm.core.services.complaints import complaint_scope, load_visible
    from desktop_crm.core.services.permissions import customer_scope

    with ctx.db.read() as s:
        c = load_visible(s, ctx, complaint_id)
        cust = s.get(Customer, c.customer_id)
        owner = s.execute(select(User.display_name, User.username).where(User.id == cust.owner_id)).first()
        full = s.scalar(select(Customer.id).where(Customer.id == cust.id, customer_scope(ctx.actor))) is not None
        contacts = tuple((n, t or "", m or p or "") for n, t, m, p in s.execute(
            select(Contact.name, Contact.title, Contact.mobile, Contact.phone)
            .where(Contact.customer_id == cust.id).order_by(Contact.id).limit(20)))
        history = tuple((i, number, at, status, (text or "")[:80]) for i, number, at, status, text in s.execute(
            select(Complaint.id, Complaint.number, Complaint.received_at, Complaint.status, Complaint.description)
            .where(Complaint.customer_id == cust.id, complaint_scope(ctx.actor))
            .order_by(Complaint.received_at.desc()).limit(50)))
        return CustomerCard(cust.id, cust.code, cust.name, cust.mobile or cust.phone or "",
                            (owner[0] or owner[1]) if owner else "", full, contacts, history)
