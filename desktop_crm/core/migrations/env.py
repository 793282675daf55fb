"""Alembic environment: runs on the connection the app hands over (config.attributes["connection"])."""

from __future__ import annotations

from alembic import context

from desktop_crm.core import models  # noqa: F401  (registers every table)
from desktop_crm.core.db import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
