"""Backups through the database's own mechanism, integrity checks and restore.

SQLite: the online backup API (never a file copy of a live database), then
`PRAGMA integrity_check` on the written file. Restore checks the backup first,
keeps the replaced database as a backup, copies back through the backup API and
checkpoints so no stale -wal/-shm files remain.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from desktop_crm.core.config import sqlite_path
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _

SUFFIX = ".sqlite3"


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
    folder.mkdir(parents=True, exist_ok=True)
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


def _raw_sqlite(engine: Engine) -> sqlite3.Connection:
    raw = engine.raw_connection()
    return raw.driver_connection  # type: ignore[return-value]


def backup_database(engine: Engine, *, reason: str = "manual", folder: Path | None = None,
                    out: Path | None = None) -> Path:
    """Write a checked backup and return its path."""
    if engine.dialect.name != "sqlite":
        from desktop_crm.core import portable_archive

        return portable_archive.export_archive(engine, out or backup_folder(engine, folder) /
                                               f"crm-{datetime.now():%Y%m%d-%H%M%S-%f}-{reason}.crmarchive")
    target = out or backup_folder(engine, folder) / f"crm-{datetime.now():%Y%m%d-%H%M%S-%f}-{reason}{SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        dst = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(dst)
        finally:
            dst.close()
    finally:
        raw.close()
    problems = integrity_check(target)
    if problems:
        target.unlink(missing_ok=True)
        raise BackupError(_("The backup failed its check: {problems}").format(problems="; ".join(problems)))
    return target


def list_backups(engine: Engine, folder: Path | None = None) -> list[Path]:
    folder = backup_folder(engine, folder)
    return sorted((p for p in folder.iterdir() if p.suffix in (SUFFIX, ".crmarchive")), reverse=True)


def prune_backups(engine: Engine, keep: int, folder: Path | None = None) -> int:
    """Delete all but the newest `keep` backups; returns how many were removed."""
    removed = 0
    for old in list_backups(engine, folder)[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
            removed += 1
    return removed


def restore_database(engine: Engine, backup: Path, *, keep_replaced: bool = True,
                     folder: Path | None = None) -> Path | None:
    """Replace the live database by `backup` after checking it. Returns the kept copy of the replaced data."""
    backup = Path(backup)
    if engine.dialect.name != "sqlite":
        from desktop_crm.core import portable_archive

        kept = backup_database(engine, reason="before-restore", folder=folder) if keep_replaced else None
        portable_archive.import_archive(engine, backup)
        return kept
    problems = integrity_check(backup)
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
