"""`desktop-crm backup|restore|check|backups`, a damaged file's way back, network-share detection."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_crm.cli import main
from desktop_crm.core.services import safety
from tests.conftest import PASSWORD


@pytest.fixture
def cli(db_url, capsys):  # noqa: ANN001, ANN201
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db_url, "--lang", "en", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("init", "--admin-user", "admin", "--admin-password", PASSWORD)[0] == 0
    return run


def test_backup_check_restore_from_the_command_line(cli, tmp_path, db_url):
    out_file = tmp_path / "manual-backup"
    code, out, err = cli("backup", "--out", str(out_file))
    assert code == 0, err
    assert out_file.exists() and "checked" in out
    code, out, _ = cli("check")
    assert code == 0 and "Audit log chain" in out and "intact" in out
    code, out, _ = cli("check", str(out_file))
    assert code == 0 and out.strip().endswith("ok")
    assert cli("user", "add", "rep9", "--role", "staff", "--password", PASSWORD)[0] == 0
    code, out, err = cli("restore", str(out_file))
    assert code == 0, err
    assert "kept" in out
    code, out, err = cli("--user", "rep9", "check")
    assert code == 1 and "Wrong user name or password" in err and "Traceback" not in err  # rep9 went with the restore
    code, out, _ = cli("backups")
    assert code == 0 and "before-restore" in out


@pytest.mark.parametrize("args, status", [
    (("restore", "/no/such/file.sqlite3"), 2),
    (("check", "/no/such/file.sqlite3"), 1),
])
def test_bad_arguments_give_one_line(cli, args, status):
    code, out, err = cli(*args)
    assert code == status
    assert err.count("\n") == 1 and "Traceback" not in err


def test_non_admin_cannot_back_up(cli):
    assert cli("user", "add", "rep1", "--role", "staff", "--password", PASSWORD)[0] == 0
    code, _, err = cli("--user", "rep1", "backup")
    assert code == 1 and "administrators" in err
    code, _, err = cli("--user", "rep1", "check")
    assert code == 1 and err.count("\n") == 1


def test_check_reports_a_tampered_log_with_exit_status_1(cli, db_url):
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET record = 'mallory' WHERE id = 1"))
    engine.dispose()
    code, out, err = cli("check")
    assert code == 1 and "broken at entry 1" in out and "restore" in err


@pytest.mark.sqlite_only
def test_a_damaged_file_is_restored_from_the_command_line(cli, tmp_path, db_url):
    code, out, _ = cli("backup", "--out", str(tmp_path / "good.sqlite3"))
    assert code == 0
    live = Path(db_url.removeprefix("sqlite:///"))
    live.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    code, out, err = cli("check")
    assert code == 1 and "damaged" in err and "desktop-crm restore" in err and "Traceback" not in err
    code, out, err = cli("restore", str(tmp_path / "good.sqlite3"))
    assert code == 0, err
    assert "moved to" in out
    assert list((live.parent / "backups").glob("*.damaged"))  # the damaged file is kept, not deleted
    code, out, _ = cli("check")
    assert code == 0


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/office /mnt/office cifs rw,vers=3.0 0 0
server:/export /srv/nfs\\040share nfs4 rw 0 0
me@host:/home /home/me/remote fuse.sshfs rw 0 0
tmpfs /mnt/office/tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize("path, kind", [
    ("/home/me/crm.sqlite3", "ext4"),
    ("/mnt/office/crm.sqlite3", "cifs"),
    ("/mnt/office/tmp/crm.sqlite3", "tmpfs"),
    ("/srv/nfs share/crm.sqlite3", "nfs4"),
    ("/home/me/remote/crm.sqlite3", "fuse.sshfs"),
    ("/mnt/officeX/crm.sqlite3", "ext4"),
])
def test_linux_mount_table_is_read_right(path, kind):
    assert safety.linux_fs_type(Path(path), MOUNTS) == kind


def test_database_on_a_network_share_warns_at_start(tmp_path, monkeypatch):
    from desktop_crm.core.app_setup import open_database

    monkeypatch.setattr(safety, "is_network_path", lambda p: True)
    opened = open_database(f"sqlite:///{tmp_path / 'crm.sqlite3'}")
    try:
        assert opened.warnings and "PostgreSQL" in opened.warnings[0]
    finally:
        opened.db.dispose()
    monkeypatch.undo()
    opened = open_database(f"sqlite:///{tmp_path / 'crm.sqlite3'}")
    assert opened.warnings == []
    opened.db.dispose()


def test_unc_paths_count_as_remote_on_windows():
    assert safety._windows_remote(Path("//server/share/crm.sqlite3"))
