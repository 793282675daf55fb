"""Opening an older database upgrades it after an automatic backup; a failed upgrade restores it."""

from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_crm.core import backup, schema
from desktop_crm.core.app_setup import DamagedDatabase, open_database
from desktop_crm.core.db import Database

pytestmark = pytest.mark.sqlite_only


def _old_database(path: Path) -> None:
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db.engine, "0001")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO users (username, display_name, password_hash, role, active, can_export, "
                          "failed_logins, created_at, version) VALUES ('old', 'old', 'x', 'admin', 1, 1, 0, "
                          "'2024-01-01 00:00:00', 1)"))
    db.dispose()


def test_older_database_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "crm.sqlite3"
    _old_database(path)
    opened = open_database(f"sqlite:///{path}")
    assert schema.current_revision(opened.db.engine) == schema.head_revision()
    made = Path(opened.upgraded_from_backup)
    assert made.exists() and backup.integrity_check(made) == []
    with opened.db.read() as s:
        assert s.execute(text("SELECT username FROM users")).scalar() == "old"
    opened.db.dispose()


def test_failed_upgrade_restores_the_old_data(tmp_path, monkeypatch):
    path = tmp_path / "crm.sqlite3"
    _old_database(path)

    real = schema.upgrade

    def failing(engine, revision="head"):  # noqa: ANN001
        real(engine, "0002")
        raise RuntimeError("migration failed mid-way")

    monkeypatch.setattr(schema, "upgrade", failing)
    with pytest.raises(RuntimeError):
        open_database(f"sqlite:///{path}")
    db = Database(f"sqlite:///{path}")
    assert schema.current_revision(db.engine) == "0001"
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT username FROM users")).scalar() == "old"
    db.dispose()


def test_damaged_file_is_reported_with_the_way_back(tmp_path):
    path = tmp_path / "crm.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    with pytest.raises(DamagedDatabase, match="restore"):
        open_database(f"sqlite:///{path}")


def test_backup_and_restore_round_trip(tmp_path):
    opened = open_database(f"sqlite:///{tmp_path / 'crm.sqlite3'}")
    db = opened.db
    from desktop_crm.core.services import users

    users.bootstrap_admin(db, "admin", "secret-pass-1")  # a database with nobody to log in is not restored
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO departments (name, active, created_at) VALUES ('A', 1, '2024-01-01')"))
    made = backup.backup_database(db.engine, folder=tmp_path / "b")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO departments (name, active, created_at) VALUES ('B', 1, '2024-01-01')"))
    kept = backup.restore_database(db.engine, made, folder=tmp_path / "b")
    assert kept is not None and kept.exists()
    with db.engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT name FROM departments"))] == ["A"]
    assert not Path(f"{tmp_path / 'crm.sqlite3'}-wal").exists() or True
    db.dispose()
    assert not Path(f"{tmp_path / 'crm.sqlite3'}-wal").exists()
    assert not Path(f"{tmp_path / 'crm.sqlite3'}-shm").exists()


def test_upgrade_rewrites_the_search_text_of_beijing_landlines(tmp_path):
    """Before 0005 a +86 10 landline was indexed without its trunk 0."""
    path = tmp_path / "crm.sqlite3"
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db.engine, "0004")
    with db.engine.begin() as conn:
        for cid, code, phone in ((1, "C001", "+861064805447"), (2, "C002", "+862162345678")):
            conn.execute(text("INSERT INTO customers (id, code, name, name_norm, kind, status, status_since, "
                              "grade_pinned, phone, created_at, version) VALUES (:id, :code, '腾飞建材', '腾飞建材', "
                              "'enterprise', 'potential', '2024-01-01 00:00:00', 0, :phone, '2024-01-01 00:00:00', 1)"),
                         {"id": cid, "code": code, "phone": phone})
            old_doc = f"{code.lower()} 腾 飞 建 材 {phone[3:]}"  # the old builder dropped Beijing's 0
            conn.execute(text("INSERT INTO customer_search (customer_id, doc) VALUES (:id, :doc)"),
                         {"id": cid, "doc": old_doc})
    schema.upgrade(db.engine)  # the migration alone (opening the file would also rewrite every document)
    with db.engine.connect() as conn:
        docs = dict(conn.execute(text("SELECT customer_id, doc FROM customer_search")).all())
    assert "01064805447" in docs[1]
    assert docs[2] == "c002 腾 飞 建 材 2162345678"  # not touched: no Beijing number
    db.dispose()
