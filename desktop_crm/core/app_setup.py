"""Opening a database for the GUI or the command line: schema to head (with a backup
before upgrading), search index installed, a quick integrity check."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import OperationalError

from desktop_crm.core import schema, search
from desktop_crm.core.config import resolve_db_url, sqlite_path
from desktop_crm.core.db import Database
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.paths import private_file


class DamagedDatabase(CrmError):
    pass


class DatabaseUnavailable(CrmError):
    pass


@dataclass
class OpenResult:
    db: Database
    upgraded_from_backup: str | None = None
    warnings: list[str] = field(default_factory=list)


def quick_check(path: Path) -> list[str]:
    """A check that costs milliseconds at any size: the header, the schema pages and the first page
    of every table and index are read. (`PRAGMA quick_check` reads the whole file — 40 s on a 2 GB
    archive — so it runs in the daily background job instead, see services.safety.)"""
    if not path.exists() or path.stat().st_size == 0:
        return []
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("PRAGMA schema_version").fetchone()
            names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                               "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
            for name in names:
                con.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return []


def open_database(url: str | None = None) -> OpenResult:
    url = resolve_db_url(url)
    path = sqlite_path(url)
    if path is not None:
        if not path.parent.is_dir():  # a mistyped --db must not become a new, empty database
            raise DatabaseUnavailable(_("The folder {folder} does not exist: create it first, or give the database "
                                        "another place.").format(folder=path.parent))
        if not path.exists():
            private_file(path)  # readable by its owner only (SQLite gives -wal/-shm the same rights)
        problems = quick_check(path)
        if problems:
            raise DamagedDatabase(_(
                "The database {path} is damaged ({problem}). Restore the latest good backup: "
                "desktop-crm restore BACKUP-FILE (backups are in {folder})."
            ).format(path=path, problem=problems[0], folder=path.parent / "backups"))
    db = Database(url)
    try:
        made = schema.ensure_schema(db.engine)
    except sqlite3.DatabaseError as exc:
        db.dispose()
        raise DamagedDatabase(_("The database cannot be opened: {error}").format(error=exc)) from exc
    except OperationalError as exc:  # e.g. a server that cannot be reached: one clear line, never a traceback
        db.dispose()
        raise DatabaseUnavailable(_("Cannot open the database: {error}").format(
            error=str(exc.orig or exc).strip().splitlines()[0])) from exc
    search.install(db.engine)
    from desktop_crm.core.services.safety import network_share_warning

    share = network_share_warning(url)
    return OpenResult(db=db, upgraded_from_backup=made, warnings=[share] if share else [])
