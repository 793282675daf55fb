"""Data safety use cases: the daily backup, manual backup and restore, the full check,
and the warning for a SQLite file on a network share.

Backups go through core/backup.py (SQLite online backup API, checked) or the portable
archive (PostgreSQL). On PostgreSQL the daily archive is written only on an
administrator's desk: an archive holds every customer, and a rep's desk must not.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from desktop_crm.core import backup
from desktop_crm.core.config import sqlite_path
from desktop_crm.core.db import Database
from desktop_crm.core.errors import CrmError, PermissionDenied
from desktop_crm.core.i18n import _
from desktop_crm.core.services import audit, audit_anchor, settings
from desktop_crm.core.services.context import Ctx

_NAME = re.compile(r"^crm-(\d{8})-(\d{6})(?:-\d+)?-(?P<reason>[a-z-]+)\.")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def _info(path: Path) -> BackupInfo:
    m = _NAME.match(path.name)
    try:
        stat = path.stat()
        size, mtime = stat.st_size, datetime.fromtimestamp(stat.st_mtime)
    except OSError:
        size, mtime = 0, datetime.fromtimestamp(0)
    if m:
        made = datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
        return BackupInfo(path, made, m.group("reason"), size)
    return BackupInfo(path, mtime, "", size)


def _require_admin(ctx: Ctx) -> None:
    if ctx.actor.role != "admin":
        raise PermissionDenied(_("Only administrators can back up and restore the database."))


def list_backups(ctx: Ctx, folder: Path | None = None) -> list[BackupInfo]:
    _require_admin(ctx)
    return [_info(p) for p in backup.list_backups(ctx.db.engine, folder)]


def daily_backup_if_due(ctx: Ctx, folder: Path | None = None, *, today: date | None = None) -> str | None:
    """At start: a checked backup when none was made today, then prune to `backup_keep`.

    Returns the path written, or None when nothing was due (or not this desk's job)."""
    engine = ctx.db.engine
    if engine.dialect.name != "sqlite" and ctx.actor.role != "admin":
        return None
    today = today or date.today()
    if any(_info(p).made_at.date() == today for p in backup.list_backups(engine, folder)):
        return None
    made = backup.backup_database(engine, reason="daily", folder=folder)
    audit_anchor.write_anchor(ctx.db)
    keep = max(1, int(settings.get(ctx, "backup_keep") or 30))
    backup.prune_backups(engine, keep, folder)
    return str(made)


def backup_now(ctx: Ctx, out: str | os.PathLike | None = None, folder: Path | None = None) -> BackupInfo:
    """A manual backup (administrators), to `out` or the backup folder."""
    _require_admin(ctx)
    made = backup.backup_database(ctx.db.engine, reason="manual", folder=folder,
                                  out=Path(out) if out else None)
    with ctx.db.write() as s:
        audit.record(s, ctx.actor, "database", None, "backup", label=made.name)
    audit_anchor.write_anchor(ctx.db)
    return _info(made)


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    kept: Path | None
    rows: dict[str, int] = field(default_factory=dict)


def _is_archive(path: Path) -> bool:
    import zipfile

    return path.suffix == ".crmarchive" or zipfile.is_zipfile(path)


def verify_backup(path: str | os.PathLike) -> list[str]:
    """Why a file cannot be restored (SQLite file or portable archive): unreadable, damaged, not a
    complete database of this application, a schema newer than this program, no administrator.
    Empty = restorable."""
    path = Path(path)
    if path.exists() and _is_archive(path):
        from desktop_crm.core import portable_archive

        return portable_archive.verify_archive(path)
    return backup.database_problems(path)


def restore(ctx: Ctx, path: str | os.PathLike, folder: Path | None = None) -> RestoreResult:
    """Replace the database by a backup after checking it; the replaced data is kept as a backup."""
    _require_admin(ctx)
    path = Path(path).expanduser()
    problems = verify_backup(path)
    if problems:
        raise backup.BackupError(_("The backup cannot be restored: {problems}").format(problems="; ".join(problems)))
    engine = ctx.db.engine
    if engine.dialect.name == "sqlite" and _is_archive(path):
        from desktop_crm.core import portable_archive

        kept = backup.backup_database(engine, reason="before-restore", folder=folder)
        portable_archive.import_archive(engine, path)
    else:
        kept = backup.restore_database(engine, path, folder=folder)
    _after_restore(engine)
    with ctx.db.write() as s:
        audit.record(s, ctx.actor, "database", None, "restore", {"file": (None, path.name)}, label=path.name)
    audit_anchor.write_anchor(ctx.db, restored=True)
    return RestoreResult(path, kept)


def _after_restore(engine) -> None:  # noqa: ANN001
    """An older backup is brought to the current schema (with its own pre-upgrade backup)."""
    from desktop_crm.core import schema, search

    schema.ensure_schema(engine)
    search.install(engine)


def restore_damaged(url: str | None, path: str | os.PathLike) -> Path:
    """Put a checked backup in place of a SQLite file too damaged to open; returns where the damaged file went.

    No user can be checked (the users are in the damaged file): this is for whoever owns the file, from the
    command line. The damaged file and its -wal/-shm are moved aside, never deleted."""
    import sqlite3

    from desktop_crm.core.config import resolve_db_url

    live = sqlite_path(resolve_db_url(url))
    if live is None:
        raise CrmError(_("Only a SQLite database file can be damaged this way."))
    path = Path(path).expanduser()
    problems = verify_backup(path)
    if problems:
        raise backup.BackupError(_("The backup cannot be restored: {problems}").format(problems="; ".join(problems)))
    folder = live.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / f"crm-{datetime.now():%Y%m%d-%H%M%S}-damaged.sqlite3.damaged"
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{live}{suffix}")
        if src.exists():
            os.replace(src, Path(f"{kept}{suffix}"))
    if _is_archive(path):
        from desktop_crm.core import portable_archive

        db = Database(f"sqlite:///{live}")
        try:
            portable_archive.import_archive(db.engine, path)
        finally:
            db.dispose()
    else:
        src_con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(live, isolation_level=None)
        try:
            src_con.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            src_con.close()
            dst.close()
    db = Database(f"sqlite:///{live}")
    try:
        _after_restore(db.engine)
        with db.write() as s:
            audit.record(s, None, "database", None, "restore", {"file": (None, path.name)}, label=path.name)
        audit_anchor.write_anchor(db, restored=True)
    finally:
        db.dispose()
    return kept


# ---- the full check --------------------------------------------------------------------
@dataclass(frozen=True)
class CheckItem:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class CheckReport:
    items: list[CheckItem]

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.items)


def check_database(db: Database) -> CheckReport:
    """Integrity, foreign keys and the audit chain (no user needed: the command line's `check`)."""
    from sqlalchemy import text

    items: list[CheckItem] = []
    path = sqlite_path(db.url)
    if path is not None:
        with db.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        bad = [r for r in rows if r != "ok"]
        items.append(CheckItem(_("Integrity"), not bad, "; ".join(bad[:5]) or _("ok")))
        items.append(CheckItem(_("Foreign keys"), not fk,
                               _("{n} rows break foreign keys").format(n=len(fk)) if fk else _("ok")))
    else:
        with db.engine.connect() as conn:
            invalid = conn.execute(text(
                "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE n.nspname = current_schema() AND NOT c.convalidated")).scalar_one()
            conn.execute(text("SELECT count(*) FROM audit_log"))
        items.append(CheckItem(_("Integrity"), True, _("ok (checked by the server)")))
        items.append(CheckItem(_("Foreign keys"), invalid == 0,
                               _("ok") if not invalid else _("{n} constraints not validated").format(n=invalid)))
    with db.read() as s:
        chain = audit.verify_chain(s)
    items.append(CheckItem(
        _("Audit log chain"), chain.ok,
        _("{n} entries, chain intact").format(n=chain.entries) if chain.ok
        else _("broken at entry {id}: the log was changed outside the app").format(id=chain.broken_at)))
    anchors = audit_anchor.check_anchors(db)
    if not anchors.ok:
        detail = "; ".join(anchors.problems[:3])
    elif not anchors.anchors:
        detail = _("no anchor yet (one is written with every backup and every check)")
    else:
        detail = _("{n} anchors kept outside the database agree").format(n=anchors.anchors)
        if not anchors.verified:
            detail += " " + _("(their signatures could not be checked on this desk)")
    items.append(CheckItem(_("Audit log anchors"), anchors.ok, detail))
    if chain.ok and anchors.ok:
        audit_anchor.write_anchor(db)  # the head just checked, anchored for the next check
    return CheckReport(items)


AUDIT_ROLES = ("admin", "manager", "viewer")  # viewers: auditors (DOMAIN §1)


def require_auditor(ctx: Ctx) -> None:
    if ctx.actor.role not in AUDIT_ROLES:
        raise PermissionDenied(_("Only managers, administrators and auditors can see the audit log."))


def check(ctx: Ctx) -> CheckReport:
    require_auditor(ctx)
    return check_database(ctx.db)


# ---- network shares ------------------------------------------------------------------
NETWORK_FS = {"cifs", "smb3", "smbfs", "nfs", "nfs4", "sshfs", "fuse.sshfs", "afpfs", "webdav", "davfs",
              "fuse.davfs", "9p", "ncpfs"}


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def linux_fs_type(path: Path, mounts: str | None = None) -> str | None:
    """The file system type of the mount holding `path`, from /proc/mounts (longest mount point)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best, kind = "", None
    target = str(path)
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = _unescape(parts[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def _windows_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    import ctypes

    drive = os.path.splitdrive(text)[0]
    if not drive:
        return False
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE


def _mac_fs_type(path: Path) -> str | None:
    import ctypes
    import ctypes.util

    class StatFs(ctypes.Structure):
        _fields_ = [("f_bsize", ctypes.c_uint32), ("f_iosize", ctypes.c_int32), ("f_blocks", ctypes.c_uint64),
                    ("f_bfree", ctypes.c_uint64), ("f_bavail", ctypes.c_uint64), ("f_files", ctypes.c_uint64),
                    ("f_ffree", ctypes.c_uint64), ("f_fsid", ctypes.c_int32 * 2), ("f_owner", ctypes.c_uint32),
                    ("f_type", ctypes.c_uint32), ("f_flags", ctypes.c_uint32), ("f_fssubtype", ctypes.c_uint32),
                    ("f_fstypename", ctypes.c_char * 16), ("f_mntonname", ctypes.c_char * 1024),
                    ("f_mntfromname", ctypes.c_char * 1024), ("f_reserved", ctypes.c_uint32 * 8)]

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    fn = getattr(libc, "statfs$INODE64", None) or libc.statfs
    buf = StatFs()
    if fn(str(path).encode(), ctypes.byref(buf)) != 0:
        return None
    return buf.f_fstypename.decode(errors="replace")


def is_network_path(path: Path) -> bool:
    path = Path(path)
    probe = path if path.exists() else path.parent
    try:
        probe = probe.resolve()
        if sys.platform.startswith("win"):
            return _windows_remote(probe)
        kind = _mac_fs_type(probe) if sys.platform == "darwin" else linux_fs_type(probe)
    except (OSError, AttributeError, ValueError):
        return False
    return kind is not None and kind.lower() in NETWORK_FS


def network_share_warning(url: str) -> str | None:
    """A warning when the SQLite database file lives on a network share; None otherwise."""
    path = sqlite_path(url)
    if path is None or not is_network_path(path):
        return None
    return _("The database file {path} is on a network share. SQLite files on shares can be damaged when "
             "several desks use them at once: one desk only, or move to a PostgreSQL server for several desks "
             "(see docs/postgresql.md).").format(path=path)


__all__ = ["BackupInfo", "CheckReport", "CrmError", "RestoreResult", "backup_now", "check", "check_database",
           "daily_backup_if_due", "list_backups", "network_share_warning", "restore", "verify_backup"]
