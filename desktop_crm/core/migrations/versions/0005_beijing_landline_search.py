"""Search documents of customers with a Beijing landline (+86 10 …): they were written without the
trunk 0 (1064805447), so "010-6480 5447" did not find them. Rewritten by the present builder.

Revision ID: 0005
Revises: 0004
"""

from alembic import op
from sqlalchemy import text
from sqlalchemy.orm import Session

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_AFFECTED = text(
    "SELECT id FROM customers WHERE phone LIKE '+8610%' OR mobile LIKE '+8610%' "
    "UNION SELECT customer_id FROM contacts WHERE phone LIKE '+8610%' OR mobile LIKE '+8610%'")


def upgrade() -> None:
    from desktop_crm.core import search  # the builder of today: a document is derived data

    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(_AFFECTED)]
    if ids:
        with Session(bind=bind) as session:
            search.reindex(session, ids)
            session.flush()


def downgrade() -> None:
    """Nothing to undo: the documents are derived data and stay correct."""
