"""Interactions, return-visit plans and questionnaires, reminder dismissals, pool claims.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _month_day(name: str):  # noqa: ANN202 - the same expression as models.visits.month_day (portable)
    col = sa.column(name, sa.Date())
    return sa.extract("month", col) * sa.literal_column("100") + sa.extract("day", col)


def upgrade() -> None:
    op.create_table(
        "visit_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("text_en", sa.String(length=300), nullable=False),
        sa.Column("text_zh", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_questions")),
        sa.UniqueConstraint("key", name=op.f("uq_visit_questions_key")),
    )
    op.create_table(
        "reminder_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reminder_dismissals_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_dismissals")),
        sa.UniqueConstraint("user_id", "kind", "ref_id", name="uq_reminder_dismissals_user_kind_ref"),
    )
    op.create_table(
        "pool_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_pool_claims_customer_id_customers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_pool_claims_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_claims")),
    )
    with op.batch_alter_table("pool_claims", schema=None) as batch_op:
        batch_op.create_index("ix_pool_claims_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "visit_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("feedback_tags", sa.String(length=100), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("result_note", sa.Text(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_visit_plans_assignee_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_visit_plans_created_by_id_users")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_visit_plans_customer_id_customers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["done_by_id"], ["users.id"], name=op.f("fk_visit_plans_done_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_plans")),
    )
    with op.batch_alter_table("visit_plans", schema=None) as batch_op:
        batch_op.create_index("ix_visit_plans_assignee_status_due", ["assignee_id", "status", "due"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_plans_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_plans_done_at"), ["done_at"], unique=False)
        batch_op.create_index("ix_visit_plans_status_due", ["status", "due", "assignee_id"], unique=False)

    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("next_follow_up", sa.Date(), nullable=True),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("follow_up_user_id", sa.Integer(), nullable=True),
        sa.Column("follow_up_done_at", sa.DateTime(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_interactions_contact_id_contacts"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_interactions_customer_id_customers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["follow_up_user_id"], ["users.id"],
                                name=op.f("fk_interactions_follow_up_user_id_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_interactions_user_id_users")),
        sa.ForeignKeyConstraint(["visit_id"], ["visit_plans.id"], name=op.f("fk_interactions_visit_id_visit_plans"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index("ix_interactions_customer_at", ["customer_id", "at"], unique=False)
        batch_op.create_index("ix_interactions_followup_due", ["follow_up_due", "follow_up_user_id"], unique=False)
        batch_op.create_index("ix_interactions_followup_user_due", ["follow_up_user_id", "follow_up_due"],
                              unique=False)
        batch_op.create_index("ix_interactions_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "visit_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=48), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visit_plans.id"], name=op.f("fk_visit_answers_visit_id_visit_plans"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_answers")),
    )
    with op.batch_alter_table("visit_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_answers_visit_id"), ["visit_id"], unique=False)

    # Care-reminder look-ups on the customer archive (plain and portable expression indexes).
    op.create_index("ix_customers_owner_grade_contact", "customers", ["owner_id", "grade", "last_contact_at"])
    op.create_index("ix_customers_owner_created", "customers", ["owner_id", "created_at"])
    op.create_index("ix_customers_owner_birthday_md", "customers", [sa.column("owner_id"), _month_day("birthday")])
    op.create_index("ix_contacts_birthday_md", "contacts", [_month_day("birthday"), sa.column("customer_id")])


def downgrade() -> None:
    # Expression indexes: a later revision's SQLite batch downgrade may already have rebuilt the table
    # without them, so drop them only if they are still there (portable SQL).
    op.execute("DROP INDEX IF EXISTS ix_contacts_birthday_md")
    op.execute("DROP INDEX IF EXISTS ix_customers_owner_birthday_md")
    op.drop_index("ix_customers_owner_created", table_name="customers")
    op.drop_index("ix_customers_owner_grade_contact", table_name="customers")
    for table in ("visit_answers", "interactions", "visit_plans", "pool_claims", "reminder_dismissals",
                  "visit_questions"):
        op.drop_table(table)
