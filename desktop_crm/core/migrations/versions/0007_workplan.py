"""Work plan: tasks and appointments, their participants and reminders, the inbox, the job
runner's run log and leases; pool rules, pinned customers and holding limits; leads and their
history. Pending follow-ups and planned return visits get their tasks.

Revision ID: 0007
Revises: 0006
"""

from datetime import datetime, time

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("job_leases",
    sa.Column("job", sa.String(length=32), nullable=False),
    sa.Column("holder", sa.String(length=100), nullable=False),
    sa.Column("expires_at", sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint("job", name=op.f("pk_job_leases"))
    )
    op.create_table("job_runs",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("job", sa.String(length=32), nullable=False),
    sa.Column("desk", sa.String(length=100), nullable=False),
    sa.Column("started_at", sa.DateTime(), nullable=False),
    sa.Column("finished_at", sa.DateTime(), nullable=True),
    sa.Column("ok", sa.Boolean(), nullable=True),
    sa.Column("result", sa.Text(), nullable=True),
    sa.Column("error", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs"))
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index("ix_job_runs_job_started", ["job", "started_at"], unique=False)

    op.create_table("leads",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("company", sa.String(length=200), nullable=True),
    sa.Column("phone", sa.String(length=32), nullable=True),
    sa.Column("email", sa.String(length=200), nullable=True),
    sa.Column("source", sa.String(length=32), nullable=True),
    sa.Column("campaign", sa.String(length=100), nullable=True),
    sa.Column("notes", sa.Text(), nullable=True),
    sa.Column("owner_id", sa.Integer(), nullable=True),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("customer_id", sa.Integer(), nullable=True),
    sa.Column("converted_at", sa.DateTime(), nullable=True),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("created_by_id", sa.Integer(), nullable=True),
    sa.Column("updated_at", sa.DateTime(), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_leads_created_by_id_users")),
    sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_leads_customer_id_customers"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_leads_owner_id_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_leads"))
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index("ix_leads_created", ["created_at"], unique=False)
        batch_op.create_index("ix_leads_owner_status", ["owner_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_leads_phone"), ["phone"], unique=False)

    op.create_table("lead_events",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("lead_id", sa.Integer(), nullable=False),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=True),
    sa.Column("kind", sa.String(length=16), nullable=False),
    sa.Column("channel", sa.String(length=16), nullable=True),
    sa.Column("text", sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_lead_events_lead_id_leads"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_lead_events_user_id_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_events"))
    )
    with op.batch_alter_table("lead_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_events_lead_id"), ["lead_id"], unique=False)

    op.create_table("tasks",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("kind", sa.String(length=16), nullable=False),
    sa.Column("is_appointment", sa.Boolean(), nullable=False),
    sa.Column("start", sa.DateTime(), nullable=False),
    sa.Column("end", sa.DateTime(), nullable=True),
    sa.Column("all_day", sa.Boolean(), nullable=False),
    sa.Column("owner_id", sa.Integer(), nullable=False),
    sa.Column("priority", sa.String(length=8), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("result", sa.Text(), nullable=True),
    sa.Column("done_at", sa.DateTime(), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("repeat", sa.String(length=8), nullable=True),
    sa.Column("repeat_count", sa.Integer(), nullable=True),
    sa.Column("series_id", sa.Integer(), nullable=True),
    sa.Column("customer_id", sa.Integer(), nullable=True),
    sa.Column("contact_id", sa.Integer(), nullable=True),
    sa.Column("complaint_id", sa.Integer(), nullable=True),
    sa.Column("opportunity_id", sa.Integer(), nullable=True),
    sa.Column("contract_id", sa.Integer(), nullable=True),
    sa.Column("interaction_id", sa.Integer(), nullable=True),
    sa.Column("visit_id", sa.Integer(), nullable=True),
    sa.Column("lead_id", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("created_by_id", sa.Integer(), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], name=op.f("fk_tasks_complaint_id_complaints"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_tasks_contact_id_contacts"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["contract_id"], ["contracts.id"], name=op.f("fk_tasks_contract_id_contracts"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_tasks_created_by_id_users")),
    sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_tasks_customer_id_customers"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"], name=op.f("fk_tasks_interaction_id_interactions"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["opportunity_id"], ["opportunities.id"], name=op.f("fk_tasks_opportunity_id_opportunities"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_tasks_owner_id_users")),
    sa.ForeignKeyConstraint(["visit_id"], ["visit_plans.id"], name=op.f("fk_tasks_visit_id_visit_plans"),
                            ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_tasks_lead_id_leads"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks"))
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tasks_complaint_id"), ["complaint_id"], unique=False)
        batch_op.create_index("ix_tasks_customer_start", ["customer_id", "start"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_interaction_id"), ["interaction_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_opportunity_id"), ["opportunity_id"], unique=False)
        batch_op.create_index("ix_tasks_owner_status_start", ["owner_id", "status", "start"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_series_id"), ["series_id"], unique=False)
        batch_op.create_index("ix_tasks_status_start", ["status", "start"], unique=False)
        batch_op.create_index("ix_tasks_owner_start", ["owner_id", "start"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_visit_id"), ["visit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_lead_id"), ["lead_id"], unique=False)

    op.create_table("inbox_entries",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("task_id", sa.Integer(), nullable=True),
    sa.Column("title", sa.String(length=300), nullable=False),
    sa.Column("due_at", sa.DateTime(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("notified_at", sa.DateTime(), nullable=True),
    sa.Column("read_at", sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_inbox_entries_task_id_tasks"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_inbox_entries_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_entries"))
    )
    with op.batch_alter_table("inbox_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_entries_task_id"), ["task_id"], unique=False)
        batch_op.create_index("ix_inbox_entries_user_read", ["user_id", "read_at", "created_at"], unique=False)

    op.create_table("task_participants",
    sa.Column("task_id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_participants_task_id_tasks"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_task_participants_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("task_id", "user_id", name=op.f("pk_task_participants"))
    )
    with op.batch_alter_table("task_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_participants_user_id"), ["user_id"], unique=False)

    op.create_table("task_reminders",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("task_id", sa.Integer(), nullable=False),
    sa.Column("minutes", sa.Integer(), nullable=False),
    sa.Column("due_at", sa.DateTime(), nullable=False),
    sa.Column("fired_at", sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_reminders_task_id_tasks"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_task_reminders"))
    )
    with op.batch_alter_table("task_reminders", schema=None) as batch_op:
        batch_op.create_index("ix_task_reminders_fired_due", ["fired_at", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_reminders_task_id"), ["task_id"], unique=False)

    op.create_table("holding_limits",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("role", sa.String(length=16), nullable=True),
    sa.Column("user_id", sa.Integer(), nullable=True),
    sa.Column("max_customers", sa.Integer(), nullable=True),
    sa.Column("reclaim_days", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_holding_limits_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_holding_limits")),
    sa.UniqueConstraint("role", "user_id", name="uq_holding_limits_role_user")
    )
    op.create_table("pool_rules",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("condition", sa.String(length=24), nullable=False),
    sa.Column("days", sa.Integer(), nullable=False),
    sa.Column("grades", sa.String(length=200), nullable=True),
    sa.Column("statuses", sa.String(length=200), nullable=True),
    sa.Column("industries", sa.String(length=500), nullable=True),
    sa.Column("department_id", sa.Integer(), nullable=True),
    sa.Column("warn_days", sa.Integer(), nullable=False),
    sa.Column("exempt_open_contract", sa.Boolean(), nullable=False),
    sa.Column("exempt_deal_days", sa.Integer(), nullable=True),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("created_by_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_pool_rules_created_by_id_users")),
    sa.ForeignKeyConstraint(["department_id"], ["departments.id"], name=op.f("fk_pool_rules_department_id_departments"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_rules")),
    sa.UniqueConstraint("name", name=op.f("uq_pool_rules_name"))
    )
    op.create_table("pool_pins",
    sa.Column("customer_id", sa.Integer(), nullable=False),
    sa.Column("by_id", sa.Integer(), nullable=True),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("reason", sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_pool_pins_by_id_users")),
    sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_pool_pins_customer_id_customers"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_pool_pins"))
    )
    _tasks_for_pending_work()


def _tasks_for_pending_work() -> None:
    """One open task per pending follow-up and per planned return visit, as the program now makes them
    (titled when shown, in the reader's language)."""
    bind = op.get_bind()
    tasks = sa.table("tasks", *(sa.column(c) for c in (
        "title", "kind", "is_appointment", "start", "all_day", "owner_id", "priority", "status", "customer_id",
        "contact_id", "interaction_id", "visit_id", "created_at", "version")))
    now = datetime.now().replace(microsecond=0)
    kind = {"phone": "call", "visit": "visit", "email": "email", "meeting": "meeting"}

    def row(day, owner, customer, **links) -> dict:  # noqa: ANN001
        return {"title": "", "is_appointment": False, "start": datetime.combine(day, time.min), "all_day": True,
                "owner_id": owner, "priority": "normal", "status": "open", "customer_id": customer,
                "created_at": now, "version": 1, "contact_id": None, "interaction_id": None, "visit_id": None,
                "kind": "call", **links}

    batch: list[dict] = []
    follow_ups = bind.execute(sa.text(
        "SELECT id, follow_up_due, follow_up_user_id, customer_id, contact_id, channel FROM interactions "
        "WHERE follow_up_due IS NOT NULL AND follow_up_user_id IS NOT NULL"))
    for iid, due, uid, cid, contact, channel in follow_ups:
        batch.append(row(_day(due), uid, cid, interaction_id=iid, contact_id=contact, kind=kind.get(channel, "call")))
    visits = bind.execute(sa.text(
        "SELECT id, due, assignee_id, customer_id FROM visit_plans WHERE status = 'planned' AND assignee_id IS NOT NULL"))
    for vid, due, uid, cid in visits:
        batch.append(row(_day(due), uid, cid, visit_id=vid))
    for start in range(0, len(batch), 5000):
        bind.execute(tasks.insert(), batch[start:start + 5000])


def _day(value):  # noqa: ANN001, ANN202 - SQLite gives the date as text
    return value if not isinstance(value, str) else datetime.strptime(value[:10], "%Y-%m-%d").date()


def downgrade() -> None:
    op.drop_table("pool_pins")
    op.drop_table("pool_rules")
    op.drop_table("holding_limits")
    with op.batch_alter_table("task_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_reminders_task_id"))
        batch_op.drop_index("ix_task_reminders_fired_due")

    op.drop_table("task_reminders")
    with op.batch_alter_table("task_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_participants_user_id"))

    op.drop_table("task_participants")
    with op.batch_alter_table("inbox_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_entries_user_read")
        batch_op.drop_index(batch_op.f("ix_inbox_entries_task_id"))

    op.drop_table("inbox_entries")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_lead_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_visit_id"))
        batch_op.drop_index("ix_tasks_owner_start")
        batch_op.drop_index("ix_tasks_status_start")
        batch_op.drop_index(batch_op.f("ix_tasks_series_id"))
        batch_op.drop_index("ix_tasks_owner_status_start")
        batch_op.drop_index(batch_op.f("ix_tasks_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_interaction_id"))
        batch_op.drop_index("ix_tasks_customer_start")
        batch_op.drop_index(batch_op.f("ix_tasks_complaint_id"))

    op.drop_table("tasks")
    with op.batch_alter_table("lead_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_events_lead_id"))

    op.drop_table("lead_events")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leads_phone"))
        batch_op.drop_index("ix_leads_owner_status")
        batch_op.drop_index("ix_leads_created")

    op.drop_table("leads")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_job_runs_job_started")

    op.drop_table("job_runs")
    op.drop_table("job_leases")
