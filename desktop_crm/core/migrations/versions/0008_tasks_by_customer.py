"""Tasks by customer, status and owner: moving customers (a handover, a pool rule) finds their open
tasks of the old owner in the index alone, without reading the tasks of everybody else.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_customer_status_owner", ["customer_id", "status", "owner_id"], unique=False)
        batch_op.drop_index("ix_tasks_customer_start")


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_customer_start", ["customer_id", "start"], unique=False)
        batch_op.drop_index("ix_tasks_customer_status_owner")
