"""Complaints, complaint timeline, phrasebook.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phrases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("situation", sa.String(length=32), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("say", sa.Text(), nullable=False),
        sa.Column("avoid", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_phrases_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phrases")),
    )
    op.create_index(op.f("ix_phrases_situation"), "phrases", ["situation"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("caller", sa.String(length=100), nullable=True),
        sa.Column("caller_phone", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.Column("order_no", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("demand", sa.Text(), nullable=True),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("solution_plan", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("customer_informed_at", sa.DateTime(), nullable=True),
        sa.Column("compensation", sa.BigInteger(), nullable=True),
        sa.Column("root_cause", sa.String(length=16), nullable=True),
        sa.Column("claim_amount", sa.BigInteger(), nullable=True),
        sa.Column("claim_approved", sa.BigInteger(), nullable=True),
        sa.Column("claim_paid_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("response_due", sa.DateTime(), nullable=False),
        sa.Column("resolution_due", sa.DateTime(), nullable=False),
        sa.Column("first_response_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_complaints_contact_id_contacts"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_complaints_created_by_id_users")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_complaints_customer_id_customers")),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"],
                                name=op.f("fk_complaints_department_id_departments")),
        sa.ForeignKeyConstraint(["handler_id"], ["users.id"], name=op.f("fk_complaints_handler_id_users")),
        sa.ForeignKeyConstraint(["received_by_id"], ["users.id"], name=op.f("fk_complaints_received_by_id_users")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_complaints_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("number", name=op.f("uq_complaints_number")),
    )
    for column in ("caller_phone", "category", "customer_id", "department_id", "handler_id", "order_no",
                   "received_at", "received_by_id"):
        op.create_index(op.f(f"ix_complaints_{column}"), "complaints", [column], unique=False)
    op.create_index("ix_complaints_status_resolution_due", "complaints", ["status", "resolution_due"], unique=False)

    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_complaint_events_complaint_id_complaints"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_complaint_events_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    op.create_index("ix_complaint_events_complaint_at", "complaint_events", ["complaint_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_complaint_events_complaint_at", table_name="complaint_events")
    op.drop_table("complaint_events")
    op.drop_index("ix_complaints_status_resolution_due", table_name="complaints")
    for column in ("received_by_id", "received_at", "order_no", "handler_id", "department_id", "customer_id",
                   "category", "caller_phone"):
        op.drop_index(op.f(f"ix_complaints_{column}"), table_name="complaints")
    op.drop_table("complaints")
    op.drop_index(op.f("ix_phrases_situation"), table_name="phrases")
    op.drop_table("phrases")
