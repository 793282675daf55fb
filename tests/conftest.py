"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when
CRM_TEST_DATABASE_URL is set), users of every role, and one offscreen QApplication."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the user data and config folders (logs, backups, config.json) of the tests: never the tester's own
_HOME = tempfile.mkdtemp(prefix="crm-tests-home-")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from desktop_crm.core import i18n, security  # noqa: E402
from desktop_crm.core.app_setup import open_database  # noqa: E402
from desktop_crm.core.services import users  # noqa: E402
from desktop_crm.core.services.context import Ctx  # noqa: E402

PG_URL = os.environ.get("CRM_TEST_DATABASE_URL")
PASSWORD = "secret-pass-1"

# Hashing at OWASP cost takes ~0.3 s; tests that need the real cost set it themselves.
security.set_params(security.ScryptParams(n=2**10, r=8, p=1))


def pytest_collection_modifyitems(config, items):  # noqa: ANN001
    backend = "postgresql" if PG_URL else "sqlite"
    for item in items:
        if backend == "postgresql" and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="SQLite-only test"))
        if backend == "sqlite" and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="PostgreSQL-only test (set CRM_TEST_DATABASE_URL)"))


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(autouse=True)
def _cli_login(monkeypatch):
    """The command line logs in like the app: tests act as `admin` with the test password unless they
    give --user (scripts set these two variables the same way)."""
    monkeypatch.setenv("DESKTOP_CRM_USER", "admin")
    monkeypatch.setenv("DESKTOP_CRM_PASSWORD", PASSWORD)


@pytest.fixture(autouse=True)
def _english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def db_url(tmp_path) -> str:  # noqa: ANN001
    if PG_URL:
        _reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'crm.sqlite3'}"


def _empty_postgres_at_head(url: str) -> None:
    """Empty every table of a schema already at head (TRUNCATE is ~50x faster than rebuilding the
    schema through every migration); anything else gets a fresh schema."""
    from desktop_crm.core.schema import head_revision

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            tables = [r[0] for r in conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
            at_head = "alembic_version" in tables and conn.execute(
                text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
            if at_head:
                names = ", ".join(f'"{t}"' for t in tables if t != "alembic_version")
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                return
    finally:
        engine.dispose()
    _reset_postgres(url)


@pytest.fixture
def db(request, tmp_path):  # noqa: ANN001, ANN201
    """A database at head with no rows. Tests that also ask for `db_url` get it on that (empty) URL."""
    if "db_url" in request.fixturenames:
        url = request.getfixturevalue("db_url")
    elif PG_URL:
        _empty_postgres_at_head(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'crm.sqlite3'}"
    opened = open_database(url)
    yield opened.db
    opened.db.dispose()


@pytest.fixture
def admin(db):  # noqa: ANN001, ANN201
    users.bootstrap_admin(db, "admin", PASSWORD)
    return Ctx(db, users.authenticate(db, "admin", PASSWORD))


@pytest.fixture
def team(db, admin):  # noqa: ANN001, ANN201
    """Two departments and a user of every role; returns name -> Ctx."""
    sales = users.save_department(admin, "市场销售部")
    service = users.save_department(admin, "客户服务部")
    ctxs = {"admin": admin}
    for name, role, dept in [
        ("manager", "manager", None), ("sup_sales", "supervisor", sales.id), ("sup_service", "supervisor", service.id),
        ("rep1", "staff", sales.id), ("rep2", "staff", sales.id), ("rep3", "staff", service.id),
        ("viewer", "viewer", None),
    ]:
        users.create_user(admin, name, role, PASSWORD, department_id=dept)
        ctxs[name] = Ctx(db, users.actor_by_name(db, name))
    return ctxs
