"""The portable archive: a backup any database of the app can restore (no pg_dump needed).

A `.crmarchive` is a zip file holding `manifest.json` (format, schema revision, row
count and SHA-256 of every table member) and one `tables/<name>.jsonl` per table:
the first line names the columns, each further line is one row as a JSON list;
dates, times, decimals and bytes are tagged ({"$dt": …}) so they come back exactly.

* `export_archive(engine, path)` reads every table in one consistent snapshot
  (REPEATABLE READ on PostgreSQL, one read transaction on SQLite), writes to a
  temporary file, checks it (`verify_archive`) and only then moves it into place.
* `import_archive(engine, path)` checks the archive first, then replaces every row
  of the database in ONE transaction (PostgreSQL and SQLite both have transactional
  DDL and deletes): either the whole archive is in place or nothing changed. The
  database gets the archive's schema revision too (tables dropped and migrated to it
  when they differ); callers then upgrade to head as on any start. The source may
  also be a SQLite database file — that is how an office moves from one desk's
  SQLite file to a PostgreSQL server.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import MetaData, Table, delete, func, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SAWarning

from desktop_crm.core import backup
from desktop_crm.core.backup import BackupError
from desktop_crm.core.i18n import _
from desktop_crm.core.paths import private_file
from desktop_crm.core.schema import known_revisions

FORMAT = "desktop-crm-archive"
FORMAT_VERSION = 1
SUFFIX = ".crmarchive"
BATCH = 1000
SKIP_TABLES = {"alembic_version"}


# ---- value encoding ------------------------------------------------------------------
def _enc(value: object) -> object:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (dict, list)):
        return {"$json": value}
    return value


def _dec(value: object) -> object:
    if isinstance(value, dict) and len(value) == 1:
        (tag, v), = value.items()
        if tag == "$dt":
            return datetime.fromisoformat(v)
        if tag == "$d":
            return date.fromisoformat(v)
        if tag == "$t":
            return time.fromisoformat(v)
        if tag == "$dec":
            return Decimal(v)
        if tag == "$b":
            return base64.b64decode(v)
        if tag == "$json":
            return v
    return value


def _model_names() -> set[str]:
    import desktop_crm.core.models  # noqa: F401 - registers every table
    from desktop_crm.core.db import Base

    return {t.name for t in Base.metadata.sorted_tables} - SKIP_TABLES


def _tables(conn: Connection) -> list[Table]:
    """The app's tables as they are in this database (any schema revision), parents before children."""
    names = _model_names()
    meta = MetaData()
    with warnings.catch_warnings():  # expression indexes are not needed to move rows
        warnings.simplefilter("ignore", SAWarning)
        meta.reflect(conn, only=lambda name, _meta: name in names)
    return list(meta.sorted_tables)


def _revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


# ---- export ------------------------------------------------------------------------------
@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            yield conn
    else:
        with engine.connect() as conn, conn.begin():
            yield conn


def export_archive(engine: Engine, path: str | os.PathLike) -> Path:
    """Write a checked archive of the whole database to `path` and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = private_file(path.with_name(path.name + ".part"))
    manifest: dict = {"format": FORMAT, "format_version": FORMAT_VERSION,
                      "created_at": datetime.now().isoformat(timespec="seconds"),
                      "source": engine.dialect.name, "tables": {}}
    try:
        with _snapshot(engine) as conn, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            manifest["revision"] = _revision(conn)
            for table in _tables(conn):
                cols = [c.name for c in table.columns]
                digest, n = hashlib.sha256(), 0
                with zf.open(f"tables/{table.name}.jsonl", "w") as out:
                    def put(line: bytes, _out=out, _digest=digest) -> None:
                        _out.write(line)
                        _digest.update(line)

                    put(json.dumps(cols).encode() + b"\n")
                    pk = list(table.primary_key.columns)
                    for row in conn.execute(select(table).order_by(*pk)).yield_per(BATCH):
                        put(json.dumps([_enc(v) for v in row], ensure_ascii=False,
                                       separators=(",", ":")).encode("utf-8") + b"\n")
                        n += 1
                manifest["tables"][table.name] = {"rows": n, "sha256": digest.hexdigest()}
            zf.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
        problems = verify_archive(tmp)
        if problems:
            raise BackupError(_("The backup failed its check: {problems}").format(problems="; ".join(problems)))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# ---- checking ----------------------------------------------------------------------------
def read_manifest(path: str | os.PathLike) -> dict:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    if manifest.get("format") != FORMAT:
        raise ValueError(_("not a Desktop CRM archive"))
    return manifest


def verify_archive(path: str | os.PathLike) -> list[str]:
    """Problems of an archive file; an empty list means every table is complete and unchanged."""
    path = Path(path)
    if not path.exists():
        return [_("File not found: {path}").format(path=path)]
    try:
        manifest = read_manifest(path)
        if manifest.get("format_version", 0) > FORMAT_VERSION:
            return [_("The archive was made by a newer version of the app.")]
        problems = backup.revision_problems(manifest.get("revision"))
        missing = [t for t in backup.REQUIRED_TABLES if t not in SKIP_TABLES and t not in manifest["tables"]]
        if problems or missing:
            return problems or [_("tables are missing: {names}").format(names=", ".join(missing))]
        with zipfile.ZipFile(path) as zf:
            for name, facts in manifest["tables"].items():
                digest, lines = hashlib.sha256(), -1
                with zf.open(f"tables/{name}.jsonl") as member:
                    for line in member:
                        digest.update(line)
                        lines += 1
                if digest.hexdigest() != facts["sha256"] or lines != facts["rows"]:
                    problems.append(_("table {name} is damaged").format(name=name))
            if not problems and not _has_admin(zf):
                problems.append(_("it has no active administrator, so nobody could log in"))
        return problems
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        return [_("Not a readable archive: {error}").format(error=exc)]


def _has_admin(zf: zipfile.ZipFile) -> bool:
    with zf.open("tables/users.jsonl") as member:
        cols = json.loads(member.readline())
        role, active = cols.index("role"), cols.index("active")
        return any((row := json.loads(line))[role] == "admin" and row[active] for line in member)


# ---- reading sources -----------------------------------------------------------------
class _ArchiveSource:
    def __init__(self, path: Path):
        self.path = path
        self.manifest = read_manifest(path)
        self.revision = self.manifest.get("revision")

    def tables(self) -> list[str]:
        return list(self.manifest["tables"])

    def rows(self, name: str) -> tuple[list[str], Iterator[list[object]]]:
        zf = zipfile.ZipFile(self.path)
        member = zf.open(f"tables/{name}.jsonl")
        cols = json.loads(member.readline())

        def gen() -> Iterator[list[object]]:
            try:
                for line in member:
                    yield [_dec(v) for v in json.loads(line)]
            finally:
                member.close()
                zf.close()

        return cols, gen()


class _EngineSource:
    """Rows of a database (a scratch or a SQLite backup file), read through its own column types."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.revision = _revision(conn)
        self._tables = {t.name: t for t in _tables(conn)}

    def tables(self) -> list[str]:
        return list(self._tables)

    def rows(self, name: str) -> tuple[list[str], Iterator[list[object]]]:
        table = self._tables[name]
        result = self.conn.execute(select(table).order_by(*table.primary_key.columns))
        return [c.name for c in table.columns], (list(r) for r in result)


# ---- import ------------------------------------------------------------------------------
def _write_rows(conn: Connection, source, tables: list[Table]) -> dict[str, int]:  # noqa: ANN001
    counts: dict[str, int] = {}
    wanted = set(source.tables())
    for table in tables:
        if table.name not in wanted:
            continue
        cols, rows = source.rows(table.name)
        known = [c for c in cols if c in table.columns]
        idx = [cols.index(c) for c in known]
        bools = {c for c in known if _is_bool(table.columns[c])}
        n, batch = 0, []
        for row in rows:
            item = {c: row[i] for c, i in zip(known, idx, strict=True)}
            for c in bools:
                if item[c] is not None:
                    item[c] = bool(item[c])
            batch.append(item)
            if len(batch) >= BATCH:
                conn.execute(insert(table), batch)
                n, batch = n + len(batch), []
        if batch:
            conn.execute(insert(table), batch)
            n += len(batch)
        counts[table.name] = n
    return counts


def _is_bool(column) -> bool:  # noqa: ANN001
    try:
        return column.type.python_type is bool
    except NotImplementedError:
        return False


def _clear(conn: Connection, tables: list[Table]) -> None:
    if conn.dialect.name == "postgresql":
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        return
    for t in reversed(tables):
        conn.execute(delete(t))


def _fix_sequences(conn: Connection, tables: list[Table]) -> None:
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        pk = list(t.primary_key.columns)
        if len(pk) != 1 or pk[0].type.python_type is not int:
            continue
        col = pk[0].name
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX(\"{col}\"), 1), MAX(\"{col}\") IS NOT NULL) "
            f'FROM "{t.name}"'), {"t": t.name, "c": col})


def _rebuild_search(conn: Connection) -> None:
    """Rebuild the SQLite search index from the restored documents (their scope tokens rewritten:
    an archive from PostgreSQL has none)."""
    if conn.dialect.name != "sqlite":
        return
    from desktop_crm.core.search import sqlite_fts

    if "customer_search" in set(inspect(conn).get_table_names()) and sqlite_fts.fts5_available():
        sqlite_fts.drop(conn)
        sqlite_fts.create(conn)


@contextmanager
def _open_source(path: Path) -> Iterator[object]:
    if path.suffix == SUFFIX or zipfile.is_zipfile(path):
        problems = verify_archive(path)
        if problems:
            raise BackupError(_("The backup cannot be restored: {problems}").format(problems="; ".join(problems)))
        yield _ArchiveSource(path)
        return
    from desktop_crm.core.backup import integrity_check
    from desktop_crm.core.db import Database

    problems = integrity_check(path)
    if problems:
        raise BackupError(_("The backup cannot be restored: {problems}").format(problems="; ".join(problems)))
    with tempfile.TemporaryDirectory(prefix="crm-restore-") as tmp:
        copy = Path(tmp) / "source.sqlite3"
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        db = Database(f"sqlite:///{copy}")
        try:
            with db.engine.connect() as conn:
                yield _EngineSource(conn)
        finally:
            db.dispose()


def import_archive(engine: Engine, path: str | os.PathLike) -> dict[str, int]:
    """Replace the database by the archive (or SQLite file) — rows AND schema revision; returns rows per table.

    In one transaction: when the database's schema revision differs from the backup's, the app's tables
    are dropped and the migrations run up to the backup's revision; then every row is replaced. The
    caller brings an older revision to head afterwards (schema.ensure_schema, with its own backup), so
    a pre-upgrade backup restored after a failed upgrade puts back exactly the old database."""
    path = Path(path)
    with _open_source(path) as source:
        if source.revision not in known_revisions():
            raise BackupError(_("The backup was made by a newer version of the app (schema {rev}).").format(
                rev=source.revision))
        begin = engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine
        with begin.begin() as conn:
            tables = _tables(conn)
            if not tables or _revision(conn) != source.revision:
                _reset_schema(conn, tables, source.revision)
                tables = _tables(conn)
            _clear(conn, tables)
            counts = _write_rows(conn, source, tables)
            _fix_sequences(conn, tables)
            _rebuild_search(conn)
            if conn.dialect.name == "sqlite":
                problems = [r[0] for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
                if problems:
                    raise BackupError(_("{n} rows break foreign keys").format(n=len(problems)))
        return counts


def _reset_schema(conn: Connection, tables: list[Table], revision: str) -> None:
    from alembic import command

    from desktop_crm.core.schema import alembic_config

    pg = conn.dialect.name == "postgresql"
    for t in reversed(tables):
        conn.execute(text(f'DROP TABLE "{t.name}"' + (" CASCADE" if pg else "")))
    if not pg:
        from desktop_crm.core.search import sqlite_fts

        for name in (sqlite_fts.WORDS, sqlite_fts.TRIGRAM):
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
    conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in _tables(conn)}
