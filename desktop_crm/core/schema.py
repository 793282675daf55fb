"""Schema creation and upgrade through Alembic only.

A new database is created by upgrading to head. An existing database behind head is
backed up first (the database's own backup mechanism) and then upgraded; if the
upgrade fails the pre-upgrade backup is restored so the app opens on the old data.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> list[str]:
    """Every schema revision this program knows, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def ensure_schema(engine: Engine, *, backup_dir: Path | None = None) -> str | None:
    """Bring the database to head. Returns the path of the pre-upgrade backup, if one was made."""
    if not needs_upgrade(engine):
        return None
    if is_empty(engine):
        upgrade(engine)
        return None
    from desktop_crm.core import backup

    made = backup.backup_database(engine, reason="pre-upgrade", folder=backup_dir)
    try:
        upgrade(engine)
    except Exception:
        log.exception("schema upgrade failed; restoring %s", made)
        backup.restore_database(engine, made, keep_replaced=False, complete=False)
        raise
    return str(made)
