"""Backups, restore and the full check, on both databases (SQLite file backups, the portable archive)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_crm.core import backup, demo, portable_archive
from desktop_crm.core.errors import PermissionDenied
from desktop_crm.core.services import customers, safety


def _codes(ctx) -> list[str]:  # noqa: ANN001
    with ctx.db.read() as s:
        return list(s.scalars(text("SELECT code FROM customers ORDER BY code")))


def test_manual_backup_then_restore_brings_back_the_data(admin, tmp_path):
    customers.create_customer(admin, {"name": "甲公司"})
    made = safety.backup_now(admin, folder=tmp_path / "b")
    assert made.path.exists() and safety.verify_backup(made.path) == []
    customers.create_customer(admin, {"name": "乙公司"})
    assert len(_codes(admin)) == 2
    result = safety.restore(admin, made.path, folder=tmp_path / "b")
    assert result.kept is not None and result.kept.exists()
    assert _codes(admin) == ["C000001"]
    # the kept copy holds the replaced data
    assert safety.verify_backup(result.kept) == []
    # the restore itself is audited and the chain is intact
    report = safety.check(admin)
    assert report.ok, report.items
    # new rows still get fresh ids after the restore (PostgreSQL sequences set again)
    customers.create_customer(admin, {"name": "丙公司"})
    assert len(_codes(admin)) == 2


def test_archive_round_trip_keeps_every_row(admin, tmp_path):
    demo.generate(admin.db, customers=60, seed=3, ctx=admin)
    before = portable_archive.row_counts(admin.db.engine)
    out = portable_archive.export_archive(admin.db.engine, tmp_path / "all.crmarchive")
    assert portable_archive.verify_archive(out) == []
    with admin.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM customer_search"))
    portable_archive.import_archive(admin.db.engine, out)
    assert portable_archive.row_counts(admin.db.engine) == before
    assert safety.check(admin).ok


def test_a_changed_archive_is_refused_and_nothing_changes(admin, tmp_path):
    import zipfile

    customers.create_customer(admin, {"name": "甲公司"})
    out = portable_archive.export_archive(admin.db.engine, tmp_path / "a.crmarchive")
    bad = tmp_path / "bad.crmarchive"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "tables/customers.jsonl":
                data = data.replace("甲公司".encode(), "乙公司".encode())
            dst.writestr(item, data)
    assert safety.verify_backup(bad)
    with pytest.raises(backup.BackupError, match="cannot be restored"):
        safety.restore(admin, bad, folder=tmp_path / "b")
    assert _codes(admin) == ["C000001"]


def test_garbage_backup_file_is_refused(admin, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(backup.BackupError):
        safety.restore(admin, junk, folder=tmp_path / "b")


def test_daily_backup_once_a_day_and_pruned(admin, tmp_path):
    folder = tmp_path / "b"
    first = safety.daily_backup_if_due(admin, folder)
    assert first and Path(first).exists()
    assert safety.daily_backup_if_due(admin, folder) is None  # already one today
    from desktop_crm.core.services import settings

    settings.set_many(admin, {"backup_keep": 3})
    for _ in range(5):
        backup.backup_database(admin.db.engine, reason="manual", folder=folder)
    assert safety.daily_backup_if_due(admin, folder, today=date(2099, 1, 1)) is not None
    assert len(list(backup.list_backups(admin.db.engine, folder))) == 3


def test_only_admins_back_up_and_restore(team, tmp_path):
    for name in ("manager", "sup_sales", "rep1", "viewer"):
        with pytest.raises(PermissionDenied):
            safety.backup_now(team[name], folder=tmp_path)
        with pytest.raises(PermissionDenied):
            safety.restore(team[name], tmp_path / "x.sqlite3")
        with pytest.raises(PermissionDenied):
            safety.list_backups(team[name], tmp_path)


@pytest.mark.postgres_only
def test_reps_desk_writes_no_daily_archive_of_the_server(team, tmp_path):
    assert safety.daily_backup_if_due(team["rep1"], tmp_path / "b") is None
    assert safety.daily_backup_if_due(team["admin"], tmp_path / "b") is not None


def test_check_finds_a_tampered_audit_log(admin):
    customers.create_customer(admin, {"name": "甲公司"})
    assert safety.check(admin).ok
    with admin.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET new = 'forged' WHERE id = (SELECT MAX(id) FROM audit_log)"))
    report = safety.check(admin)
    assert not report.ok
    assert any("broken" in i.detail for i in report.items)


@pytest.mark.sqlite_only
def test_sqlite_file_moves_to_postgres_through_restore(admin, tmp_path):
    """The office move: restore a SQLite file into another database (here a second SQLite file)."""
    from desktop_crm.core.app_setup import open_database

    demo.generate(admin.db, customers=40, seed=5, ctx=admin)
    before = portable_archive.row_counts(admin.db.engine)
    src = backup.backup_database(admin.db.engine, folder=tmp_path / "b")
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}").db
    try:
        portable_archive.import_archive(other.engine, src)
        assert portable_archive.row_counts(other.engine) == before
    finally:
        other.dispose()
