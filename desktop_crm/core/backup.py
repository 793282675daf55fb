"""Backups through the database's own mechanism, integrity checks and restore.

SQLite: the online backup API (never a file copy of a live database), then
`PRAGMA integrity_check` on the written file. Restore checks the backup first,
keeps the replaced database as a backup, copies back through the backup API and
checkpoints so no stale -wal/-shm files remain.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from desktop_crm.core.config import sqlite_path
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.paths import private_dir, private_file

SUFFIX = ".sqlite3"
PARTIAL = ".partial"  # a backup being written: never listed, never restored


class BackupError(CrmError):
    pass


def backup_folder(engine: Engine, folder: Path | None = None) -> Path:
    if folder is None:
        db_file = sqlite_path(str(engine.url))
        if db_file is None:
            from desktop_crm.core.paths import user_data_dir

            folder = user_data_dir() / "backups"
        else:
            folder = db_file.parent / "backups"
    private_dir(folder)
    return folder


def integrity_check(path: Path, *, quick: bool = False) -> list[str]:
    """Problems found in a SQLite file; an empty list means it is sound."""
    if not path.exists():
        return [_("File not found: {path}").format(path=path)]
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
            fk = con.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return [_("Not a readable database: {error}").format(error=exc)]
    problems = [r for r in rows if r != "ok"]
    if fk:
        problems.append(_("{n} rows break foreign keys").format(n=len(fk)))
    return problems


# the tables every database of this application has had since its first schema revision
REQUIRED_TABLES = ("alembic_version", "audit_head", "audit_log", "departments", "sequences", "users", "customers",
                   "saved_filters", "settings", "contacts", "customer_search", "customer_status_history",
                   "customer_transfers")


def revision_problems(revision: str | None) -> list[str]:
    """A schema revision this program cannot take: none, or one it does not know (a newer program's)."""
    from desktop_crm.core.schema import head_revision, known_revisions

    if not revision:
        return [_("it has no schema version: it is not a database of Desktop CRM")]
    if revision not in known_revisions():
        return [_("its schema version {theirs} is newer than this program's ({ours}): restore it with the newer "
                  "Desktop CRM that made it").format(theirs=revision, ours=head_revision())]
    return []


def database_problems(path: Path) -> list[str]:
    """Why a SQLite file is not a complete, sound database of this application; empty when it is:
    readable, integrity and foreign keys ok, a schema revision this program knows, every required
    table, at least one active administrator."""
    problems = integrity_check(path)
    if problems:
        return problems
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            return revision_problems(None)
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        problems = revision_problems(revision[0] if revision else None)
        if problems:
            return problems
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            return [_("tables are missing: {names}").format(names=", ".join(missing))]
        if not con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0]:
            return [_("it has no active administrator, so nobody could log in")]
    except sqlite3.DatabaseError as exc:
        return [_("Not a readable database: {error}").format(error=exc)]
    finally:
        con.close()
    return []


def _raw_sqlite(engine: Engine) -> sqlite3.Connection:
    raw = engine.raw_connection()
    return raw.driver_connection  # type: ignore[return-value]


def backup_database(engine: Engine, *, reason: str = "manual", folder: Path | None = None,
                    out: Path | None = None) -> Path:
    """Write a checked backup and return its path. It is written under a temporary name, checked,
    then renamed: a backup under its final name is always complete and sound, readable only by its
    owner, with no -wal/-shm beside it."""
    if engine.dialect.name != "sqlite":
        from desktop_crm.core import portable_archive

        return portable_archive.export_archive(engine, out or backup_folder(engine, folder) /
                                               f"crm-{datetime.now():%Y%m%d-%H%M%S-%f}-{reason}.crmarchive")
    target = out or backup_folder(engine, folder) / f"crm-{datetime.now():%Y%m%d-%H%M%S-%f}-{reason}{SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f"*{PARTIAL}"):  # left by a backup that was killed
        with contextlib.suppress(OSError):
            stale.unlink()
    partial = target.with_name(target.name + PARTIAL)
    private_file(partial)
    try:
        raw = engine.raw_connection()
        try:
            dst = sqlite3.connect(partial, isolation_level=None)
            try:
                raw.driver_connection.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # the copy is a plain file: no -wal/-shm beside it
            finally:
                dst.close()
        finally:
            raw.close()
        problems = integrity_check(partial)
        if problems:
            raise BackupError(_("The backup failed its check: {problems}").format(problems="; ".join(problems)))
        os.replace(partial, target)
    finally:
        for leftover in (partial, Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
    return target


def list_backups(engine: Engine, folder: Path | None = None) -> list[Path]:
    """The finished backups (written in full and checked), newest first."""
    folder = backup_folder(engine, folder)
    return sorted((p for p in folder.iterdir() if p.suffix in (SUFFIX, ".crmarchive") and p.is_file()),
                  reverse=True)


def prune_backups(engine: Engine, keep: int, folder: Path | None = None) -> int:
    """Delete all but the newest `keep` backups; returns how many were removed."""
    removed = 0
    for old in list_backups(engine, folder)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
            removed += 1
    return removed


def restore_database(engine: Engine, backup: Path, *, keep_replaced: bool = True,
                     folder: Path | None = None, complete: bool = True) -> Path | None:
    """Replace the live database by `backup` after checking it: a complete database of this application
    (`complete`), or — putting back the copy taken just before a failed schema upgrade — a sound file.
    Returns the kept copy of the replaced data."""
    backup = Path(backup)
    if engine.dialect.name != "sqlite":
        from desktop_crm.core import portable_archive

        kept = backup_database(engine, reason="before-restore", folder=folder) if keep_replaced else None
        portable_archive.import_archive(engine, backup)
        return kept
    problems = database_problems(backup) if complete else integrity_check(backup)
    if problems:
        raise BackupError(_("The backup cannot be restored: {problems}").format(problems="; ".join(problems)))
    kept = backup_database(engine, reason="before-restore", folder=folder) if keep_replaced else None
    live = sqlite_path(str(engine.url))
    engine.dispose()
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dst = sqlite3.connect(live, isolation_level=None)
    try:
        src.backup(dst)
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        src.close()
        dst.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    engine.dispose()
    return kept
