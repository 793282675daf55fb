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
from types import SimpleNamespace

from sqlalchemy import insert, select
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


def entry_hash(prev_hash: str, e: AuditEntry | SimpleNamespace) -> str:
    payload = json.dumps(
        [prev_hash, e.id, e.at.isoformat(), e.user_id, e.username, e.entity, e.entity_id, e.record,
         e.action, e.field, e.old, e.new],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    rows = []
    last_id, last_hash = head.last_id, head.last_hash
    for entity, entity_id, action, changes, label in items:
        for field, (old, new) in list((changes or {}).items()) or [(None, (None, None))]:
            if field in SECRET_FIELDS:
                old, new = ("***" if old is not None else None), "***"
            row = {"id": last_id + 1, "at": at, "user_id": actor.id if actor else None,
                   "username": actor.username if actor else "system", "entity": entity, "entity_id": entity_id,
                   "record": label, "action": action, "field": field, "old": _text(old), "new": _text(new),
                   "prev_hash": last_hash}
            row["hash"] = entry_hash(last_hash, SimpleNamespace(**row))
            rows.append(row)
            last_id, last_hash = row["id"], row["hash"]
    # Core executemany on the table (not the ORM's bulk insert, which sends the rows one by one
    # here): an ORM object per field once made audit the largest cost of an import.
    session.connection().execute(insert(AuditEntry.__table__), rows)
    head.last_id, head.last_hash = last_id, last_hash


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
