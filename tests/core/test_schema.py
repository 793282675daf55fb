"""The schema is made only by migrations, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from desktop_crm.core import models  # noqa: F401
from desktop_crm.core.db import Base
from desktop_crm.core.schema import current_revision, head_revision

IGNORED_TABLES = {"customer_fts", "alembic_version"}


def _relevant(diff) -> bool:  # noqa: ANN001
    item = diff[0] if isinstance(diff, list) else diff
    for part in item:
        name = getattr(part, "name", None) or getattr(getattr(part, "table", None), "name", None)
        if isinstance(name, str) and (name in IGNORED_TABLES or name.startswith("customer_fts")):
            return False
    return True


def test_new_database_is_at_head(db):
    assert current_revision(db.engine) == head_revision()


def test_migrations_match_models(db):
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert [d for d in diffs if _relevant(d)] == []


def test_downgrade_to_base_and_up_again(db):
    from alembic import command

    from desktop_crm.core.schema import alembic_config, upgrade

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert current_revision(db.engine) is None
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
