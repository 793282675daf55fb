"""Anchors of the audit chain, kept outside the database they protect.

The chain (services/audit.py) shows that no entry was changed *unless* someone recomputed every
hash after the change, which anyone with the database file can do; and deleting the newest
entries (with the head row) leaves a shorter chain that is still intact. So with every checked
backup, and at every full check, the chain's head — the last entry's id and hash — is written to
`audit-anchors.jsonl` beside the backups, each line signed with a keyed hash (HMAC-SHA256) whose
key lives in the user config folder of the desk, not in the database. `check` compares every
anchor with the rows: an anchored entry that is gone, or whose hash differs, means the log was
changed outside the app, and an anchor whose signature does not match was forged.

What it does not prove: entries written after the last anchor are protected by the chain only;
someone who holds both the database and the key (the desk's own user account) can rewrite both.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from desktop_crm.core import backup
from desktop_crm.core.db import Database
from desktop_crm.core.i18n import _
from desktop_crm.core.models import AuditEntry, AuditHead, Setting
from desktop_crm.core.paths import private_file, user_config_dir

FILE_NAME = "audit-anchors.jsonl"
KEY_NAME = "audit-anchor.key"
ID_KEY = "database_id"  # a settings row no settings screen shows


@dataclass(frozen=True)
class AnchorCheck:
    anchors: int
    problems: tuple[str, ...]
    verified: bool  # the key was there to check the signatures

    @property
    def ok(self) -> bool:
        return not self.problems


def key_file() -> Path:
    return user_config_dir() / KEY_NAME


def _key(create: bool) -> bytes | None:
    path = key_file()
    if not path.exists():
        if not create:
            return None
        private_file(path)
        path.write_text(secrets.token_hex(32), encoding="ascii")
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def anchor_file(db: Database) -> Path:
    return backup.backup_folder(db.engine) / FILE_NAME


def _identity(db: Database) -> str:
    """Which database an anchor belongs to: its location and an id written into it once, so a database
    made anew at the same place is not judged by the anchors of the one before."""
    with db.read() as s:
        value = s.scalar(select(Setting.value).where(Setting.key == ID_KEY))
    if value is None:
        with db.write() as s:
            value = s.scalar(select(Setting.value).where(Setting.key == ID_KEY))
            if value is None:
                value = json.dumps(secrets.token_hex(8))
                s.add(Setting(key=ID_KEY, value=value, updated_at=datetime.now()))
    return f"{Database.display_url(db.url)}#{json.loads(value)}"


def _signature(key: bytes, payload: dict) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def write_anchor(db: Database, *, restored: bool = False) -> dict | None:
    """Append the chain's head to the anchors file (signed); None when the log is still empty.
    After a restore (`restored`) the log is another one: the earlier anchors no longer apply."""
    identity = _identity(db)
    with db.read() as s:
        head = s.get(AuditHead, 1)
        if head is None or not head.last_id:
            return None
        payload = {"database": identity, "at": datetime.now().isoformat(timespec="seconds"),
                   "last_id": head.last_id, "last_hash": head.last_hash}
    if restored:
        payload["restored"] = True
    path = anchor_file(db)
    if not path.exists():
        private_file(path)
    line = {**payload, "signature": _signature(_key(create=True), payload)}  # type: ignore[arg-type]
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return line


def check_anchors(db: Database) -> AnchorCheck:
    """Compare every anchor of this database with the rows of its log."""
    path = anchor_file(db)
    if not path.exists():
        return AnchorCheck(0, (), True)
    key = _key(create=False)
    me = _identity(db)
    problems: list[str] = []
    anchors = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            line = json.loads(raw)
            payload = {k: line[k] for k in ("database", "at", "last_id", "last_hash", "restored") if k in line}
        except (ValueError, KeyError, TypeError):
            problems.append(_("anchor line {n} is unreadable").format(n=n))
            continue
        if payload["database"] != me:
            continue
        if key is not None and not hmac.compare_digest(_signature(key, payload), str(line.get("signature"))):
            problems.append(_("anchor of {at} is not signed by this desk's key: forged").format(at=payload["at"]))
            continue
        if payload.get("restored"):
            anchors.clear()  # a restore brought another log: earlier anchors are about the replaced one
        anchors.append(payload)
    with db.read() as s:
        for a in anchors:
            found = s.scalar(select(AuditEntry.hash).where(AuditEntry.id == int(a["last_id"])))
            if found is None:
                problems.append(_("entry {id}, anchored on {at}, is gone: the log was cut").format(
                    id=a["last_id"], at=a["at"]))
            elif found != a["last_hash"]:
                problems.append(_("entry {id}, anchored on {at}, was rewritten").format(id=a["last_id"], at=a["at"]))
    return AnchorCheck(len(anchors), tuple(problems), key is not None)
