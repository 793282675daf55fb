"""The helpers of large writes: `among` (thousands of ids as one parameter), `large_page_cache`, and
the audit log's bulk append, on the test database (SQLite, or PostgreSQL when configured)."""

from datetime import datetime

from sqlalchemy import func, select, update

from desktop_crm.core.db import among, large_page_cache
from desktop_crm.core.models import AuditEntry, User
from desktop_crm.core.services import audit, users


def _users(db, admin, n: int) -> list[int]:  # noqa: ANN001
    for i in range(n):
        users.create_user(admin, f"u{i:04d}", "staff", "a-long-pass-2026")
    with db.read() as s:
        return list(s.scalars(select(User.id).where(User.username.like("u%")).order_by(User.id)))


def test_among_selects_and_updates_exactly_the_given_ids(db, admin) -> None:  # noqa: ANN001
    ids = _users(db, admin, 30)
    wanted = ids[::3] + [10**9]  # one id that matches nothing
    many = wanted + list(range(2 * 10**9, 2 * 10**9 + 5000))  # more ids than SQLite's parameter limit
    with db.read() as s:
        got = list(s.scalars(select(User.id).where(among(User.id, many), User.active.is_(True)).order_by(User.id)))
        assert got == ids[::3]
        assert s.scalar(select(func.count()).select_from(User).where(among(User.id, []))) == 0
        # a condition of its own: usable with others, negated and in a count
        assert s.scalar(select(func.count()).select_from(User).where(~among(User.id, wanted))) == \
            s.scalar(select(func.count()).select_from(User)) - len(ids[::3])
    with db.write() as s:
        s.execute(update(User).where(among(User.id, ids[:5])).values(display_name="moved")
                  .execution_options(synchronize_session=False))
    with db.read() as s:
        assert set(s.scalars(select(User.id).where(User.display_name == "moved"))) == set(ids[:5])
        conn = s.connection()
        if conn.dialect.name == "sqlite":  # found through the key, not by reading the whole table
            q = select(User.username).where(among(User.id, ids), User.active.is_(True))
            sql = str(q.compile(dialect=conn.dialect))
            plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, (str(ids),)))
            assert "SEARCH users USING INTEGER PRIMARY KEY" in plan, plan


def test_large_page_cache_is_given_back(db) -> None:  # noqa: ANN001
    with db.read() as s:
        conn = s.connection()
        if conn.dialect.name != "sqlite":
            with large_page_cache(conn):  # nothing to do: the server decides
                assert conn.execute(select(1)).scalar() == 1
            return
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        with large_page_cache(conn, 65_536):
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65_536
            with large_page_cache(conn, 1_024):  # never smaller than what is there
                assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65_536
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before


def test_bulk_audit_entries_read_back_and_chain_like_single_ones(db, admin) -> None:  # noqa: ANN001
    at = datetime(2026, 11, 30, 9, 15, 7)
    with db.write() as s:
        audit.record(s, admin.actor, "customer", 1, "update", {"name": ("甲", "乙")}, at=at)
        audit.record_many(s, None, [("customer", i, "transfer", {"owner_id": (7, None), "rule": (None, "90 天未跟进"),
                                                                  "days": (None, 95)}, f"C{i:06d}")
                                    for i in range(2, 2002)], at=at)
        audit.record(s, admin.actor, "customer", 1, "update", {"password": ("x", "y")})
    with db.read() as s:
        assert audit.verify_chain(s).ok
        rows = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == 2).order_by(AuditEntry.id)).all()
        assert [(e.at, e.username, e.field, e.old, e.new, e.record) for e in rows] == [
            (at, "system", "owner_id", "7", None, "C000002"), (at, "system", "rule", None, "90 天未跟进", "C000002"),
            (at, "system", "days", None, "95", "C000002")]
        # stored as the ORM stores datetimes: comparable and ordered with them
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.at == at)) == 1 + 3 * 2000
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())).first()
        assert (last.field, last.old, last.new) == ("password", "***", "***")
