"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when
CRM_TEST_DATABASE_URL is set), users of every role, and one offscreen QApplication."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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


@pytest.fixture
def db(db_url):  # noqa: ANN001, ANN201
    opened = open_database(db_url)
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
