"""A populated database made by the first schema revision upgrades to head with every row kept.

The 0001 database is filled generically (every table, every column, foreign keys pointing at real
rows, CJK text, NULLs, extreme values) through reflection of the 0001 schema, so new tables and
columns of later revisions need no change here. After the upgrade: the same row count per table,
the same checksum of every 0001 column per table, `PRAGMA foreign_key_check` empty, the audit chain
and the search index working. Runs on both databases (on PostgreSQL the pre-upgrade backup is the
portable archive).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    create_engine,
    insert,
    select,
    text,
)

from desktop_crm.core import schema
from desktop_crm.core.app_setup import open_database

ROWS = 40
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
WORDS = ["迅捷物流", "张三", "上海市浦东新区", "O'Brien", "=SUM(A1)", "emoji🙂", "", "a" * 30, "全角１２３"]


def _value(col, i: int, rng: random.Random, ids: dict[str, list[int]]):  # noqa: ANN001, ANN202
    if col.foreign_keys:
        target = next(iter(col.foreign_keys)).column.table.name
        pool = ids.get(target) or []
        if col.nullable and (not pool or rng.random() < 0.2):
            return None
        return rng.choice(pool)
    if col.nullable and rng.random() < 0.15:
        return None
    t = col.type
    if isinstance(t, Boolean):
        return rng.random() < 0.5
    if isinstance(t, (Integer, BigInteger)):
        return rng.choice([0, 1, i, 2**31 - 1, -5, rng.randint(0, 10**6)])
    if isinstance(t, (Numeric, Float)):
        return Decimal(rng.randint(-10**6, 10**6)) / 100
    if isinstance(t, DateTime):
        return datetime(2020, 1, 1, 8, 30) + timedelta(minutes=rng.randint(0, 10**6))
    if isinstance(t, Date):
        return date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
    if isinstance(t, (String, Text)):
        word = f"{rng.choice(WORDS)}-{i}"  # unique per row: unique constraints hold
        n = getattr(t, "length", None)
        return word[-n:] if n else word
    return None


def _populate(url: str) -> None:
    engine = create_engine(url)
    schema.upgrade(engine, "0001")
    rng = random.Random(2024)
    meta = MetaData()
    meta.reflect(engine)
    ids: dict[str, list[int]] = {}
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = []
            pk = [c for c in table.primary_key.columns]
            for i in range(1, ROWS + 1):
                row = {}
                for col in table.columns:
                    if len(pk) == 1 and col is pk[0] and isinstance(col.type, (Integer, BigInteger)):
                        row[col.name] = i
                    elif col.primary_key and isinstance(col.type, (String, Text)):
                        row[col.name] = f"key-{i}"
                    else:
                        value = _value(col, i, rng, ids)
                        if value is None and not col.nullable:
                            value = _value(col, i, random.Random(i), ids) or i
                        row[col.name] = value
                rows.append(row)
            if table.name == "audit_head":
                rows = rows[:1]
            if table.name == "users":  # a database of the app has an administrator (backups are checked for one)
                rows[0].update(role="admin", active=True)
            conn.execute(insert(table), rows)
            if len(pk) == 1:
                ids[table.name] = [r[pk[0].name] for r in rows]
    engine.dispose()


def _fingerprint(url: str, columns: dict[str, list[str]] | None = None):  # noqa: ANN202
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    out: dict[str, tuple[int, str]] = {}
    cols_of: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version" or table.name.startswith("customer_fts"):
                continue
            names = (columns or {}).get(table.name) or sorted(c.name for c in table.columns)
            cols_of[table.name] = names
            if columns is not None and table.name not in columns:
                continue
            order = [table.c[c.name] for c in table.primary_key.columns]
            digest = hashlib.sha256()
            n = 0
            for row in conn.execute(select(*[table.c[c] for c in names]).order_by(*order)):
                if table.name == "customer_search":  # the text, without the SQLite index's owner token
                    row = [_search_text(v) if isinstance(v, str) else v for v in row]
                digest.update(repr([_norm(v) for v in row]).encode())
                n += 1
            out[table.name] = (n, digest.hexdigest())
    engine.dispose()
    return out, cols_of


def _search_text(doc: str) -> str:
    return doc.split(chr(0xE000))[0].rstrip()


def _assert_documents_are_derived(db) -> None:  # noqa: ANN001
    from desktop_crm.core import search
    from desktop_crm.core.models import Customer, CustomerSearch
    from desktop_crm.core.search.document import build_document

    backend = search.backend_for(db.dialect)
    with db.read() as s:
        docs = dict(s.execute(select(CustomerSearch.customer_id, CustomerSearch.doc)).all())
        expected = {c.id: backend.with_scope(build_document(c, list(c.contacts)), c.owner_id)
                    for c in s.scalars(select(Customer))}
    assert docs == expected


def _norm(v):  # noqa: ANN001, ANN202
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, Decimal):
        return str(v.normalize())
    if isinstance(v, float):
        return str(Decimal(str(v)).normalize())
    return v


def test_first_revision_database_upgrades_with_every_row_kept(db_url):
    # the db_url fixture gives an empty database (PostgreSQL: a fresh schema)
    _populate(db_url)
    before, cols = _fingerprint(db_url)
    assert all(n == ROWS for t, (n, _h) in before.items() if t != "audit_head")
    opened = open_database(db_url)
    try:
        assert schema.current_revision(opened.db.engine) == schema.head_revision()
        assert opened.upgraded_from_backup  # the pre-upgrade backup was written
        after, _ = _fingerprint(db_url, cols)
        if opened.db.dialect == "sqlite":  # search documents are derived data, written anew in the present layout
            before.pop("customer_search")
            after.pop("customer_search")
            _assert_documents_are_derived(opened.db)
        assert after == before
        if opened.db.dialect == "sqlite":
            with opened.db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        from desktop_crm.core.services.safety import verify_backup

        assert verify_backup(opened.upgraded_from_backup) == []
    finally:
        opened.db.dispose()


def test_failed_upgrade_restores_the_first_revision_data_on_both_databases(db_url, monkeypatch):
    _populate(db_url)
    before, cols = _fingerprint(db_url)
    real = schema.upgrade

    def failing(engine, revision="head"):  # noqa: ANN001
        real(engine, "0003")
        raise RuntimeError("migration failed mid-way")

    monkeypatch.setattr(schema, "upgrade", failing)
    with pytest.raises(RuntimeError):
        open_database(db_url)
    monkeypatch.undo()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    engine.dispose()
    after, _ = _fingerprint(db_url, cols)
    assert after == before
    opened = open_database(db_url)  # the app opens (and this time upgrades) the old data
    opened.db.dispose()
