"""Finding customers: the search box, combined filters on every field, sorting by the
database and paging, all within the actor's scope. Saved (named) filters."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import ColumnElement, Select, and_, asc, desc, func, select
from sqlalchemy.orm import aliased

from desktop_crm.core import search
from desktop_crm.core.db import like_pattern
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, SavedFilter, User
from desktop_crm.core.rules import validation as v
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD, FieldDef
from desktop_crm.core.services.permissions import customer_scope, scope_owners

DEFAULT_COLUMNS = ["code", "name", "kind", "status", "grade", "owner", "city", "mobile", "industry", "created_at"]
POOL = "pool"
IDS = "ids"  # drill-down from a report: exactly these customers (still within the actor's scope)


@dataclass
class CustomerFilter:
    """`search` is the box; `fields` maps a field key to a condition:
    enum/user → list of keys/ids (user: "pool" for no owner); text → substring;
    date/datetime/money/int → [from, to] (either may be None); tags → a tag."""

    search: str = ""
    fields: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"search": self.search, "fields": self.fields}, ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, text: str) -> CustomerFilter:
        data = json.loads(text or "{}")
        return cls(search=data.get("search", ""), fields=data.get("fields", {}))


def _bound(f: FieldDef, value: object, upper: bool) -> object:
    if value in (None, ""):
        return None
    if f.kind in ("date", "datetime"):
        d = v.parse_date(value) if not isinstance(value, datetime) else value
        if f.kind == "datetime" and not isinstance(d, datetime):
            d = datetime.combine(d, time.max if upper else time.min)
        return d
    return v.parse_decimal(value)


def field_condition(key: str, cond: object) -> ColumnElement[bool] | None:
    if key == IDS:
        try:
            return Customer.id.in_([int(x) for x in (cond if isinstance(cond, (list, tuple)) else [cond])])  # type: ignore[union-attr]
        except (TypeError, ValueError):
            raise ValidationError({key: _("is not a list of customers")}) from None
    f = CUSTOMER_FIELD.get(key)
    if f is None:
        raise ValidationError({key: _("unknown field")})
    if cond in (None, "", [], {}):
        return None
    try:
        if f.kind == "user":
            values = cond if isinstance(cond, list) else [cond]
            ids = [int(x) for x in values if x != POOL]
            parts = []
            if ids:
                parts.append(Customer.owner_id.in_(ids))
            if POOL in values:
                parts.append(Customer.owner_id.is_(None))
            from sqlalchemy import or_

            return or_(*parts)
        col = getattr(Customer, key)
        if f.kind == "enum" or f.kind == "bool":
            values = cond if isinstance(cond, list) else [cond]
            return col.in_([f.enum.parse(x) if f.enum else x for x in values])
        if f.kind in ("date", "datetime", "money", "int"):
            lo, hi = (cond if isinstance(cond, (list, tuple)) else (cond, cond))
            lo_v, hi_v = _bound(f, lo, False), _bound(f, hi, True)
            parts = []
            if lo_v is not None:
                parts.append(col >= lo_v)
            if hi_v is not None:
                parts.append(col <= hi_v)
            return and_(*parts) if parts else None
        if f.kind == "tags":
            return col.like(like_pattern("," + str(cond).strip() + ","), escape="\\")
        if f.kind == "phone":
            digits = search.document.phone_digits(str(cond))
            return col.like(like_pattern(digits or str(cond)), escape="\\")
        return col.like(like_pattern(str(cond).strip()), escape="\\")
    except ValueError as exc:
        raise ValidationError({key: str(exc)}) from None


def _field_conditions(flt: CustomerFilter) -> list[ColumnElement[bool]]:
    return [c for c in (field_condition(key, cond) for key, cond in flt.fields.items()) if c is not None]


def _conditions(ctx: Ctx, flt: CustomerFilter, *, scope_index: bool = True) -> list[ColumnElement[bool]]:
    """The scope and the field filters; `scope_index=False` tests the scope row by row (the search
    index has applied it already, and the query should walk the sort order, not the owner index)."""
    if ctx.actor.sees_all:
        return _field_conditions(flt)
    return [customer_scope(ctx.actor, None if scope_index else Customer.owner_id + 0), *_field_conditions(flt)]


def _matched(session, ctx: Ctx, flt: CustomerFilter) -> Select | None:  # noqa: ANN001
    """The search box's matches within the actor's scope (the index applies the scope), or None."""
    if not search.normalize_query(flt.search):
        return None
    return search.match_ids(session, flt.search, scope_owners(session, ctx.actor))


def base_query(ctx: Ctx, session, flt: CustomerFilter) -> Select:  # noqa: ANN001
    q = select(Customer.id).where(*_conditions(ctx, flt))
    matched = _matched(session, ctx, flt)
    if matched is not None:
        q = q.where(Customer.id.in_(matched))
    return q


def _count(session, ctx: Ctx, flt: CustomerFilter) -> int:  # noqa: ANN001
    conds = _conditions(ctx, flt)
    matched = _matched(session, ctx, flt)
    if matched is None:
        q = select(func.count()).select_from(Customer).where(*conds)
    elif not _field_conditions(flt):  # the matches are in scope already: count in the search index alone
        n = session.scalar(select(func.count()).select_from(matched.subquery())) or 0
        _sizes.put(_size_key(session, ctx, flt), min(n, VERY_BROAD_MATCH + 1))
        return n
    else:  # a very broad search: walk the (scope) index testing membership, not every match by id
        ident = Customer.id + 0 if _match_size(session, ctx, flt, matched) > VERY_BROAD_MATCH else Customer.id
        q = select(func.count()).select_from(Customer).where(*conds, ident.in_(matched))
    return session.scalar(q) or 0


class _SizeCache:
    """Recent match sizes (search, actor) → n, capped at VERY_BROAD_MATCH + 1. They only choose how
    page() joins the search to the sort order — every choice gives the same rows — so a size that
    is stale after an edit costs at most a slower plan, never a wrong answer. The list counts, then
    asks for pages of the same search: the size is counted once."""

    def __init__(self, size: int = 64) -> None:
        self.size, self.data = size, OrderedDict()

    def get(self, key: tuple) -> int | None:
        n = self.data.get(key)
        if n is not None:
            self.data.move_to_end(key)
        return n

    def put(self, key: tuple, n: int) -> None:
        self.data[key] = n
        self.data.move_to_end(key)
        while len(self.data) > self.size:
            self.data.popitem(last=False)


_sizes = _SizeCache()


def _size_key(session, ctx: Ctx, flt: CustomerFilter) -> tuple:  # noqa: ANN001
    return (id(session.get_bind()), ctx.actor.id, ctx.actor.role, tuple(search.normalize_query(flt.search)))


def _match_size(session, ctx: Ctx, flt: CustomerFilter, matched: Select) -> int:  # noqa: ANN001
    """The number of matches in scope, counted up to VERY_BROAD_MATCH + 1."""
    key = _size_key(session, ctx, flt)
    n = _sizes.get(key)
    if n is None:
        n = session.scalar(select(func.count()).select_from(matched.limit(VERY_BROAD_MATCH + 1).subquery()))
        _sizes.put(key, n)
    return n


def count(ctx: Ctx, flt: CustomerFilter) -> int:
    with ctx.db.read() as s:
        return _count(s, ctx, flt)


OwnerUser = aliased(User)
# How page() joins a search to the sort order, by the number of matches:
#   up to BROAD_MATCH       fetch every match by id and sort them (few rows to sort);
#   up to VERY_BROAD_MATCH  walk the sort order, testing membership in the match set (`+id IN`);
#   more                    walk the sort order, probing the search index per row (EXISTS):
#                           most rows match, so a page needs only a few probes.
BROAD_MATCH = 3000
VERY_BROAD_MATCH = 20_000  # measured at 1M: probing wins from ~2 % of the rows matching


def _sort_column(key: str):  # noqa: ANN202
    if key == "owner":
        return OwnerUser.username
    if key not in CUSTOMER_FIELD:
        raise ValidationError({"sort": _("unknown field")})
    return getattr(Customer, key)


def _row_columns(columns: list[str]) -> list:
    out = [Customer.id, Customer.version]
    for key in columns:
        out.append(func.coalesce(OwnerUser.display_name, OwnerUser.username).label("owner") if key == "owner"
                   else getattr(Customer, key))
    return out


def _ordered_ids(s, ctx: Ctx, flt: CustomerFilter, sort: str, descending: bool) -> Select:  # noqa: ANN001
    """SELECT of the matching ids in sort order (ties by id) — only the id, so SQLite walks
    the sort column's index without reading the rows it skips."""
    order = desc if descending else asc
    matched = _matched(s, ctx, flt)
    n = _match_size(s, ctx, flt, matched) if matched is not None else 0
    q = select(Customer.id).where(*_conditions(ctx, flt, scope_index=n <= BROAD_MATCH))
    if matched is not None:
        if n <= BROAD_MATCH:
            q = q.where(Customer.id.in_(matched))
        elif n <= VERY_BROAD_MATCH:
            # `id + 0`: keeps SQLite from fetching every match by rowid
            q = q.where((Customer.id + 0).in_(matched))
        else:
            q = q.where(matched.where(matched.selected_columns[0] == Customer.id).exists())
    if sort == "owner":
        q = q.outerjoin(OwnerUser, OwnerUser.id == Customer.owner_id)
        # The pool first when ascending, on every database (NULLs sort differently by default).
        owner = order(_sort_column(sort))
        return q.order_by(owner.nulls_last() if descending else owner.nulls_first(), order(Customer.id))
    return q.order_by(order(_sort_column(sort)), order(Customer.id))


def _rows_for(s, ids: list[int], columns: list[str]) -> list[tuple]:  # noqa: ANN001
    if not ids:
        return []
    q = (select(*_row_columns(columns)).outerjoin(OwnerUser, OwnerUser.id == Customer.owner_id)
         .where(Customer.id.in_(ids)))
    by_id = {r[0]: tuple(r) for r in s.execute(q)}
    return [by_id[i] for i in ids if i in by_id]


def page(ctx: Ctx, flt: CustomerFilter, *, columns: list[str] | None = None, sort: str = "code",
         descending: bool = False, offset: int = 0, limit: int = 200) -> list[tuple]:
    """Rows (id, version, *values of `columns`) in sort order, from `offset`."""
    columns = columns or DEFAULT_COLUMNS
    with ctx.db.read() as s:
        if sort == "owner" and not search.normalize_query(flt.search):
            return _rows_for(s, _ids_by_owner(s, ctx, flt, descending, max(0, offset), limit), columns)
        q = _ordered_ids(s, ctx, flt, sort, descending).offset(max(0, offset)).limit(limit)
        return _rows_for(s, list(s.scalars(q)), columns)


def _ids_by_owner(s, ctx: Ctx, flt: CustomerFilter, descending: bool, offset: int, limit: int) -> list[int]:  # noqa: ANN001
    """Sorted by owner without sorting the table: the few owners in name order (the pool
    first), each owner's customers by id through the owner index. The owner holding `offset` is
    found by counting owners' customers from the nearer end (a count on an index range is ~20×
    cheaper per row than GROUP BY)."""
    conds = _conditions(ctx, flt)
    owners: list[int | None] = [None, *s.scalars(select(User.id).order_by(User.username, User.id))]
    if descending:
        owners.reverse()

    def owned(owner: int | None) -> ColumnElement[bool]:
        return Customer.owner_id.is_(None) if owner is None else Customer.owner_id == owner

    def size(owner: int | None) -> int:
        return s.scalar(select(func.count()).select_from(Customer).where(*conds, owned(owner))) or 0

    total = s.scalar(select(func.count()).select_from(Customer).where(*conds)) or 0
    if offset >= total:
        return []
    if offset * 2 < total:
        i, start = 0, 0
        while i < len(owners) - 1 and offset >= start + (n := size(owners[i])):
            start += n
            i += 1
    else:
        i, start = len(owners) - 1, total
        while i > 0 and offset < (start := start - size(owners[i])):
            i -= 1
        if offset < start:  # walked down to the first owner
            start = 0
    out: list[int] = []
    skip = max(0, offset - start)
    order = desc(Customer.id) if descending else asc(Customer.id)
    for owner in owners[i:]:
        out += s.scalars(select(Customer.id).where(*conds, owned(owner)).order_by(order)
                         .offset(skip).limit(limit - len(out)))
        skip = 0
        if len(out) >= limit:
            break
    return out


def all_rows(ctx: Ctx, flt: CustomerFilter, *, columns: list[str], sort: str = "code", descending: bool = False,
             batch: int = 5000):  # noqa: ANN201 - generator of row tuples
    """Every matching row in order, streamed in batches from one read (exports)."""
    columns = columns or DEFAULT_COLUMNS
    with ctx.db.read() as s:
        order = desc if descending else asc
        q = (select(*_row_columns(columns)).outerjoin(OwnerUser, OwnerUser.id == Customer.owner_id)
             .where(*_conditions(ctx, flt)).order_by(order(_sort_column(sort)), order(Customer.id)))
        matched = _matched(s, ctx, flt)
        if matched is not None:
            q = q.where(Customer.id.in_(matched))
        for part in s.execute(q.execution_options(yield_per=batch)).partitions():
            yield from (tuple(r) for r in part)


def ids(ctx: Ctx, flt: CustomerFilter) -> list[int]:
    with ctx.db.read() as s:
        return list(s.scalars(base_query(ctx, s, flt).order_by(Customer.id)))


# ---- saved filters -------------------------------------------------------

def saved_filters(ctx: Ctx, view: str = "customers") -> dict[str, CustomerFilter]:
    with ctx.db.read() as s:
        rows = s.scalars(select(SavedFilter).where(SavedFilter.user_id == ctx.actor.id, SavedFilter.view == view)
                         .order_by(SavedFilter.name))
        return {r.name: CustomerFilter.from_json(r.payload) for r in rows}


def save_filter(ctx: Ctx, name: str, flt: CustomerFilter, view: str = "customers") -> None:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("is required")})
    with ctx.db.write() as s:
        row = s.scalars(select(SavedFilter).where(SavedFilter.user_id == ctx.actor.id, SavedFilter.view == view,
                                                  SavedFilter.name == name)).first()
        if row is None:
            s.add(SavedFilter(user_id=ctx.actor.id, view=view, name=name, payload=flt.to_json()))
        else:
            row.payload = flt.to_json()


def delete_filter(ctx: Ctx, name: str, view: str = "customers") -> None:
    with ctx.db.write() as s:
        row = s.scalars(select(SavedFilter).where(SavedFilter.user_id == ctx.actor.id, SavedFilter.view == view,
                                                  SavedFilter.name == name)).first()
        if row is not None:
            s.delete(row)


def created_between(start: date, end: date) -> dict[str, object]:
    """A filter fragment for customers created in [start, end] (used by visit planning)."""
    return {"created_at": [start.isoformat(), end.isoformat()]}
