"""The audit chain's head is anchored outside the database: cutting the newest entries, or
rewriting entries and recomputing the whole chain, no longer passes the check."""

from __future__ import annotations

import json
from types import SimpleNamespace

from sqlalchemy import select, text

from desktop_crm.core.models import AuditEntry, AuditHead
from desktop_crm.core.services import audit, audit_anchor, customers, safety


def _rechain(db) -> None:  # noqa: ANN001
    """What someone with the file can do: recompute every hash after a change."""
    with db.write() as s:
        prev = audit.GENESIS
        last = 0
        for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all():
            e.prev_hash = prev
            e.hash = audit.entry_hash(prev, SimpleNamespace(**{c: getattr(e, c) for c in (
                "id", "at", "user_id", "username", "entity", "entity_id", "record", "action", "field", "old",
                "new")}))
            prev, last = e.hash, e.id
        head = s.get(AuditHead, 1)
        head.last_id, head.last_hash = last, prev


def _item(report, name: str):  # noqa: ANN001, ANN202
    return next(i for i in report.items if i.name == name)


def test_cutting_the_newest_entries_is_found(admin, tmp_path):
    for n in range(3):
        customers.create_customer(admin, {"name": f"客户{n}"})
    safety.backup_now(admin, folder=tmp_path / "b")  # anchors the head
    assert safety.check(admin).ok
    with admin.db.engine.begin() as conn:
        top = conn.execute(text("SELECT max(id) FROM audit_log")).scalar_one()
        conn.execute(text("DELETE FROM audit_log WHERE id > :k"), {"k": top - 4})
    _rechain(admin.db)  # the chain alone says: intact
    report = safety.check(admin)
    assert _item(report, "Audit log chain").ok
    anchors = _item(report, "Audit log anchors")
    assert not anchors.ok and "gone" in anchors.detail and not report.ok


def test_rewriting_and_recomputing_the_chain_is_found(admin, tmp_path):
    customers.create_customer(admin, {"name": "原来的名字"})
    safety.backup_now(admin, folder=tmp_path / "b")
    with admin.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET new = '改过的名字' WHERE new = '原来的名字'"))
    _rechain(admin.db)
    report = safety.check(admin)
    assert _item(report, "Audit log chain").ok
    assert "rewritten" in _item(report, "Audit log anchors").detail and not report.ok


def test_a_forged_anchor_is_found_and_a_restore_starts_afresh(admin, tmp_path):
    customers.create_customer(admin, {"name": "甲"})
    made = safety.backup_now(admin, folder=tmp_path / "b")
    path = audit_anchor.anchor_file(admin.db)
    lines = path.read_text(encoding="utf-8").splitlines()
    forged = json.loads(lines[-1])
    forged["last_hash"] = "0" * 64
    path.write_text("\n".join([*lines, json.dumps(forged)]) + "\n", encoding="utf-8")
    assert "forged" in _item(safety.check(admin), "Audit log anchors").detail
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for n in range(3):
        customers.create_customer(admin, {"name": f"后来{n}"})
    safety.check(admin)  # anchors the longer log
    safety.restore(admin, made.path, folder=tmp_path / "b")  # the older log comes back: no false alarm
    report = safety.check(admin)
    assert report.ok, report.items


def test_the_key_and_the_anchors_are_private(admin, tmp_path):
    import os
    import stat

    customers.create_customer(admin, {"name": "甲"})
    safety.backup_now(admin, folder=tmp_path / "b")
    if os.name == "posix":
        for path in (audit_anchor.key_file(), audit_anchor.anchor_file(admin.db)):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
