"""Declarative base, engine and session factory.

The engine is built at start-up by `make_engine`, never at import. On SQLite every
connection gets WAL, foreign keys, synchronous=FULL and a busy timeout, and the
pysqlite driver's own transaction handling is switched off so that SQLAlchemy's
BEGIN really begins (see SQLAlchemy's "Serializable isolation / Savepoints /
Transactional DDL" notes for pysqlite). Write transactions use BEGIN IMMEDIATE so
two desks never deadlock upgrading a read lock to a write lock.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from sqlalchemy import Boolean, Integer, MetaData, String, bindparam, create_engine, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.expression import ColumnElement

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

BUSY_TIMEOUT_MS = 30_000
WRITE_WAIT_S = 600  # how long a write waits in all for another desk's write lock
MIN_SQLITE = (3, 35, 0)


class DatabaseBusy(CrmError):
    """Another desk held the SQLite write lock longer than WRITE_WAIT_S."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise RuntimeError(
                f"SQLite {sqlite3.sqlite_version} is too old; {'.'.join(map(str, MIN_SQLITE))} or newer is needed"
            )
        engine = create_engine(
            parsed,
            echo=echo,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        _install_sqlite_hooks(engine)
        return engine
    return create_engine(parsed, echo=echo, pool_pre_ping=True)


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        # Take transaction control away from pysqlite: SQLAlchemy emits BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


LARGE_CACHE_KIB = 262_144  # grows only as pages are read, freed after


@contextlib.contextmanager
def large_page_cache(conn: Connection, kib: int = LARGE_CACHE_KIB) -> Iterator[None]:
    """A larger SQLite page cache for one big write on `conn`, as it was after (the pages are freed
    then). A write that touches a million customers' indexes at random re-reads the same pages
    through the default 2 MB cache again and again; on PostgreSQL the server decides."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()  # < 0: KiB, > 0: pages
    if before is not None and before < 0 and -before >= kib:
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size=-{kib}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")


class _Among(ColumnElement[bool]):
    """`column IN ids`, the ids bound as one parameter (see `among`)."""

    inherit_cache = False  # the ids are the statement: nothing to reuse
    type = Boolean()
    _is_implicitly_boolean = True  # a condition already (else SQLite would get "… = 1")

    def __init__(self, column: ColumnElement, ids: list[int]) -> None:
        self.column, self.ids = column, ids


@compiles(_Among)
def _among_each(element: _Among, compiler, **kw) -> str:  # noqa: ANN001
    return compiler.process(element.column.in_(element.ids), **kw)


@compiles(_Among, "sqlite")
def _among_json(element: _Among, compiler, **kw) -> str:  # noqa: ANN001
    ids = compiler.process(bindparam(None, json.dumps(element.ids), type_=String()), **kw)
    return f"{compiler.process(element.column, **kw)} IN (SELECT value FROM json_each({ids}))"


@compiles(_Among, "postgresql")
def _among_array(element: _Among, compiler, **kw) -> str:  # noqa: ANN001
    ids = compiler.process(bindparam(None, element.ids, type_=ARRAY(Integer())), **kw)
    return f"{compiler.process(element.column, **kw)} = ANY({ids})"


def among(column: ColumnElement, ids: Iterable[int]) -> ColumnElement[bool]:
    """`column IN ids` for thousands of integer ids, sent as one parameter (a JSON array on SQLite,
    an array on PostgreSQL): `in_` renders and binds each id, which for a step over thousands of
    customers costs more than the query itself."""
    return _Among(column, [int(i) for i in ids])


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its wildcards escaped (use with escape="\\")."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


T = TypeVar("T")


def _read_with(db: Database, fn: Callable[[Session], T]) -> T:
    with db.read() as s:
        return fn(s)


class Database:
    """An engine and the two session factories services use."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        self.engine = make_engine(url, echo=echo)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(self.engine) else self.engine
        self._write = sessionmaker(write_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @staticmethod
    def display_url(url: str) -> str:
        """The URL to show a person: the password masked."""
        from sqlalchemy.engine import make_url

        try:
            return make_url(url).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - a plain path is shown as it is
            return url

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit: rolled back at the end, never blocks writers."""
        session = self._read()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def read_parallel(self, *work: Callable[[Session], T]) -> list[T]:
        """Run independent read-only queries at once, each `fn(session)` in its own read unit on its
        own connection and thread (the drivers release the GIL while the database works), so a report
        made of several big aggregates takes as long as the slowest, not their sum. Results in order."""
        if len(work) < 2:
            return [_read_with(self, fn) for fn in work]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=len(work), thread_name_prefix="crm-read") as pool:
            return list(pool.map(lambda fn: _read_with(self, fn), work))

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One user action = one transaction: committed on success, rolled back on any error."""
        session = self._begin_write()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _begin_write(self) -> Session:
        """A write session whose transaction has begun. On SQLite BEGIN IMMEDIATE takes the write lock now;
        while another desk holds it (a long import unit) the busy timeout waits, and this retries for up to
        WRITE_WAIT_S so that "database is locked" never reaches the user — then a clear DatabaseBusy."""
        if not is_sqlite(self.engine):
            return self._write()
        deadline = time.monotonic() + WRITE_WAIT_S
        while True:
            session = self._write()
            try:
                session.connection()
                return session
            except OperationalError as exc:
                session.close()
                if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                    raise
                if time.monotonic() > deadline:
                    raise DatabaseBusy(_("The database is busy: another desk has been saving for a long time. "
                                         "Try again later.")) from None
                time.sleep(0.05)

    def dispose(self) -> None:
        self.engine.dispose()
