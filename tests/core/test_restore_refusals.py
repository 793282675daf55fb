"""Nothing is lost through restore or backup: only a complete database of this application (of a
schema this program knows) replaces the live one; a backup under its final name is whole and
checked; every file of the data is readable by its owner only."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_crm.cli import main
from desktop_crm.core import backup, portable_archive, schema
from desktop_crm.core.app_setup import DatabaseUnavailable, open_database
from desktop_crm.core.config import sqlite_path
from desktop_crm.core.services import customers, safety
from tests.conftest import PASSWORD
from tests.core._procs import env

pytestmark = pytest.mark.sqlite_only


def _unrelated(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE foo(x)")
    con.commit()
    con.close()
    return path


def _copy_with(admin, tmp_path, name: str, sql: str) -> Path:  # noqa: ANN001
    made = backup.backup_database(admin.db.engine, folder=tmp_path / "made")
    target = tmp_path / name
    os.replace(made, target)
    con = sqlite3.connect(target)
    con.executescript(sql)
    con.close()
    return target


def _names(admin) -> list[str]:  # noqa: ANN001
    with admin.db.engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT name FROM customers ORDER BY id")]


@pytest.fixture
def live(admin):  # noqa: ANN001, ANN201
    customers.create_customer(admin, {"name": "在用数据有限公司"})
    return admin


@pytest.mark.parametrize("kind", ["empty", "unrelated", "no admin", "missing tables", "newer schema"])
def test_a_file_that_is_not_a_complete_database_of_this_app_is_refused_before_anything_changes(
        live, tmp_path, kind, capsys, db_url):
    path = {
        "empty": lambda: (tmp_path / "empty.sqlite3").write_bytes(b"") or tmp_path / "empty.sqlite3",
        "unrelated": lambda: _unrelated(tmp_path / "foo.sqlite3"),
        "no admin": lambda: _copy_with(live, tmp_path, "noadmin.sqlite3", "UPDATE users SET role = 'staff';"),
        "missing tables": lambda: _copy_with(live, tmp_path, "partial.sqlite3", "DROP TABLE saved_filters;"),
        "newer schema": lambda: _copy_with(live, tmp_path, "newer.sqlite3",
                                           "UPDATE alembic_version SET version_num = '9999';"),
    }[kind]()
    before = _names(live)
    backups_before = set((sqlite_path(db_url).parent / "backups").glob("*")) if sqlite_path(db_url) else set()
    problems = safety.verify_backup(path)
    assert problems
    with pytest.raises(backup.BackupError) as refused:
        safety.restore(live, path, folder=tmp_path / "b")
    if kind == "newer schema":  # both versions named
        assert "9999" in str(refused.value) and schema.head_revision() in str(refused.value)
    assert _names(live) == before
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").glob("*before-restore*"))
    # the command line says the same, in one line, and changes nothing
    capsys.readouterr()
    assert main(["--db", db_url, "check", str(path)]) == 1
    assert main(["--db", db_url, "restore", str(path)]) == 1
    err = capsys.readouterr().err
    assert "cannot be restored" in err and "Traceback" not in err
    assert _names(live) == before
    assert main(["--db", db_url, "customer", "list"]) == 0  # everything still works
    after = set((sqlite_path(db_url).parent / "backups").glob("*")) if sqlite_path(db_url) else set()
    assert not [p for p in after - backups_before if "before-restore" in p.name]


def test_the_before_restore_copy_always_restores(live, tmp_path):
    made = safety.backup_now(live, folder=tmp_path / "b")
    customers.create_customer(live, {"name": "后来的客户"})
    result = safety.restore(live, made.path, folder=tmp_path / "b")
    assert "后来的客户" not in _names(live)
    assert safety.verify_backup(result.kept) == []
    again = safety.restore(live, result.kept, folder=tmp_path / "b")  # undo the restore
    assert "后来的客户" in _names(live) and again.kept is not None


def test_an_archive_that_is_not_of_this_app_or_newer_is_refused(live, tmp_path):
    import json
    import zipfile

    good = portable_archive.export_archive(live.db.engine, tmp_path / "good.crmarchive")
    assert safety.verify_backup(good) == []
    newer = tmp_path / "newer.crmarchive"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(newer, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["revision"] = "9999"
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    problems = safety.verify_backup(newer)
    assert problems and "9999" in problems[0]
    with pytest.raises(backup.BackupError):
        safety.restore(live, newer, folder=tmp_path / "b")


def test_a_backup_is_whole_under_its_final_name_or_not_there(live, tmp_path, monkeypatch):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "crm-20260101-010101-manual.sqlite3.partial").write_bytes(b"half a backup")
    assert safety.list_backups(live, folder) == []  # a half-written file is not a backup

    def killed(path, *, quick=False):  # noqa: ANN001, ANN202 - the process dies while checking
        assert path.name.endswith(".partial")  # the file being written has no final name yet
        raise KeyboardInterrupt

    monkeypatch.setattr(backup, "integrity_check", killed)
    with pytest.raises(KeyboardInterrupt):
        safety.backup_now(live, folder=folder)
    monkeypatch.undo()
    assert safety.list_backups(live, folder) == []
    made = safety.backup_now(live, folder=folder)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [made.path.name]  # the leftover went, no -wal/-shm/-journal beside it
    assert safety.verify_backup(made.path) == []
    assert sorted(p.name for p in folder.iterdir()) == [made.path.name]  # checking left nothing either


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_data_is_readable_by_its_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        url = f"sqlite:///{tmp_path / 'crm.sqlite3'}"
        opened = open_database(url)
        from desktop_crm.core.services import users
        from desktop_crm.core.services.context import Ctx

        users.bootstrap_admin(opened.db, "admin", PASSWORD)
        admin = Ctx(opened.db, users.authenticate(opened.db, "admin", PASSWORD))
        made = safety.backup_now(admin)
        archive = portable_archive.export_archive(opened.db.engine, tmp_path / "x.crmarchive")
        for path in (tmp_path / "crm.sqlite3", made.path, archive):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert stat.S_IMODE(made.path.parent.stat().st_mode) == 0o700
        opened.db.dispose()
        from desktop_crm.core.paths import user_data_dir

        assert stat.S_IMODE(user_data_dir().stat().st_mode) == 0o700
    finally:
        os.umask(old)


def test_a_database_in_a_folder_that_does_not_exist_is_an_error(tmp_path, capsys):
    missing = tmp_path / "no" / "such" / "crm.sqlite3"
    with pytest.raises(DatabaseUnavailable):
        open_database(f"sqlite:///{missing}")
    assert main(["--db", str(missing), "init", "--admin-password", PASSWORD]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()


def test_a_backup_killed_part_way_leaves_no_backup(live, tmp_path, db_url):
    """A real process killed while it writes: what it leaves is never listed or restored."""
    folder = tmp_path / "k"
    code = ("import sys, time\n"
            "from desktop_crm.core import backup\n"
            "from desktop_crm.core.app_setup import open_database\n"
            "real = backup.integrity_check\n"
            "def slow(path, quick=False):\n"
            "    print('writing', flush=True); time.sleep(60)\n"
            "backup.integrity_check = slow\n"
            "backup.backup_database(open_database(sys.argv[1]).db.engine, folder=__import__('pathlib').Path(sys.argv[2]))\n")
    proc = subprocess.Popen([sys.executable, "-c", code, db_url, str(folder)], stdout=subprocess.PIPE, text=True,
                            env=env())
    assert proc.stdout.readline().strip() == "writing"
    proc.kill()
    proc.wait()
    assert [p.name.endswith(".partial") for p in folder.iterdir()] == [True]
    assert safety.list_backups(live, folder) == []
