"""The audit log: who, when, which record, which field, old → new.

Append-only and tamper-evident: each entry carries the hash of the previous one.
The head row is locked FOR UPDATE (PostgreSQL) or covered by the write transaction's
IMMEDIATE lock (SQLite) so concurrent desks extend one chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter, itemgetter
from types import SimpleNamespace

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from desktop_crm.core.models import AuditEntry, AuditHead
from desktop_crm.core.services.context import Actor

GENESIS = "0" * 64
SECRET_FIELDS = {"password", "password_hash"}


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # what json.dumps would make per call
# the fields an entry's hash covers, in order, after the previous entry's hash
HASHED = ("id", "at", "user_id", "username", "entity", "entity_id", "record", "action", "field", "old", "new")


_hashed = attrgetter(*HASHED)


def entry_hash(prev_hash: str, e: AuditEntry | SimpleNamespace) -> str:
    values = [prev_hash, *_hashed(e)]
    values[2] = values[2].isoformat()  # at
    return hashlib.sha256(_JSON.encode(values).encode("utf-8")).hexdigest()


def _head(session: Session) -> AuditHead:
    """The chain head, locked once per transaction (re-read after every commit or rollback, when
    another desk may have extended the chain)."""
    txn = session.get_transaction()
    cached = session.info.get("audit_head")
    if cached is not None and cached[0] is txn and cached[1] in session:
        return cached[1]
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
        session.add(head)
        session.flush()
    session.info["audit_head"] = (txn, head)
    return head


def record(
    session: Session,
    actor: Actor | None,
    entity: str,
    entity_id: int | None,
    action: str,
    changes: dict[str, tuple[object, object]] | None = None,
    *,
    label: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one entry per changed field (or one entry without a field for actions)."""
    record_many(session, actor, [(entity, entity_id, action, changes, label)], at=at)


Item = tuple[str, "int | None", str, "dict[str, tuple[object, object]] | None", "str | None"]


def record_many(session: Session, actor: Actor | None, items: list[Item], *, at: datetime | None = None) -> None:
    """`record` for many records at once (entity, id, action, changes, label): one insert and one
    move of the chain head, for work that changes thousands of records in one go."""
    if not items:
        return
    at = at or datetime.now().replace(microsecond=0)
    head = _head(session)
    conn = session.connection()
    at_iso, at_db = at.isoformat(), _bound(conn, "at", at)
    rows = []
    last_id, last_hash = head.last_id, head.last_hash
    user_id, username = (actor.id, actor.username) if actor else (None, "system")
    encode, sha256 = _JSON.encode, hashlib.sha256
    for entity, entity_id, action, changes, label in items:
        for field, (old, new) in list((changes or {}).items()) or [(None, (None, None))]:
            if field in SECRET_FIELDS:
                old, new = ("***" if old is not None else None), "***"
            last_id += 1
            old, new, prev = _text(old), _text(new), last_hash
            # as entry_hash computes it, inline: a pool rule's first run hashes hundreds of thousands
            last_hash = sha256(encode([prev, last_id, at_iso, user_id, username, entity, entity_id, label, action,
                                       field, old, new]).encode("utf-8")).hexdigest()
            rows.append((last_id, at_db, user_id, username, entity, entity_id, label, action, field, old, new,
                         prev, last_hash))
    _insert(conn, rows)
    head.last_id, head.last_hash = last_id, last_hash


STORED = (*HASHED, "prev_hash", "hash")  # the order of record_many's rows


def _bound(conn: Connection, column: str, value: object) -> object:
    """`value` as SQLAlchemy would send it to the driver for `column` (on SQLite, a datetime's text)."""
    column_type = AuditEntry.__table__.c[column].type
    process = column_type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return value if process is None else process(value)


def _insert(conn: Connection, rows: list[tuple]) -> None:
    """One executemany straight to the driver: a pool rule or an import writes hundreds of thousands
    of entries, and SQLAlchemy's per-row parameter handling once cost more than the insert itself.
    Only `at` is converted (by record_many): the other columns are text and integers."""
    compiled = insert(AuditEntry.__table__).compile(dialect=conn.dialect, column_keys=list(STORED))
    if not compiled.positional:
        params: list = [dict(zip(STORED, r, strict=True)) for r in rows]
    elif tuple(compiled.positiontup or ()) == STORED:
        params = rows
    else:
        row_of = itemgetter(*(STORED.index(k) for k in compiled.positiontup or ()))
        params = [row_of(r) for r in rows]
    conn.exec_driver_sql(compiled.string, params)


def diff(before: dict[str, object], after: dict[str, object]) -> dict[str, tuple[object, object]]:
    """Fields whose values differ, as field -> (old, new)."""
    return {k: (before.get(k), v) for k, v in after.items() if _text(before.get(k)) != _text(v)}


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Recompute every hash in id order; report the first entry that does not match."""
    prev, count, last_id = GENESIS, 0, 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            break
        for e in rows:
            if e.prev_hash != prev or entry_hash(prev, e) != e.hash:
                return ChainReport(count, e.id)
            prev, last_id, count = e.hash, e.id, count + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_id != last_id or head.last_hash != prev):
        return ChainReport(count, last_id + 1)
    return ChainReport(count, None)
