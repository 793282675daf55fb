"""Interactions (跟进记录), return-visit plans (回访计划) with questionnaire answers, the
questionnaire itself, dismissed reminders and the pool claim log (DOMAIN §3, §4)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    extract,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column

from desktop_crm.core.db import Base
from desktop_crm.core.models.customer import Contact, Customer


def month_day(col):  # noqa: ANN001, ANN201 - a SQL expression
    """month × 100 + day of a date column, portable (EXTRACT on PostgreSQL, strftime on SQLite).

    The literal 100 is inlined so queries match the expression indexes below exactly."""
    return extract("month", col) * literal_column("100") + extract("day", col)


# Birthday look-ups by month-day (care reminders), per owner. Expression indexes, portable.
Index("ix_customers_owner_birthday_md", Customer.owner_id, month_day(Customer.birthday))
Index("ix_contacts_birthday_md", month_day(Contact.birthday), Contact.customer_id)
# Key customers not contacted for N days, per owner.
Index("ix_customers_owner_grade_contact", Customer.owner_id, Customer.grade, Customer.last_contact_at)
# New customers this month within a team (dashboard headline figure).
Index("ix_customers_owner_created", Customer.owner_id, Customer.created_at)


class Interaction(Base):
    """One contact with a customer. `follow_up_due` is the pending next follow-up (NULL when there is
    none or it was done); `next_follow_up` keeps the date that was planned, for history."""

    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(24))
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    next_follow_up: Mapped[date | None] = mapped_column(Date)
    follow_up_due: Mapped[date | None] = mapped_column(Date)
    follow_up_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    follow_up_done_at: Mapped[datetime | None] = mapped_column(DateTime)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit_plans.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)

    __table_args__ = (
        Index("ix_interactions_customer_at", "customer_id", "at"),
        Index("ix_interactions_user_at", "user_id", "at"),
        Index("ix_interactions_followup_user_due", "follow_up_user_id", "follow_up_due"),
        Index("ix_interactions_followup_due", "follow_up_due", "follow_up_user_id"),
    )


class VisitPlan(Base):
    """A planned return visit; status planned → done (or cancelled)."""

    __tablename__ = "visit_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    note: Mapped[str | None] = mapped_column(Text)
    score: Mapped[int | None] = mapped_column(Integer)
    feedback_tags: Mapped[str | None] = mapped_column(String(100))  # ",need,complaint,"
    feedback: Mapped[str | None] = mapped_column(Text)
    result_note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    complaint_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        Index("ix_visit_plans_assignee_status_due", "assignee_id", "status", "due"),
        Index("ix_visit_plans_status_due", "status", "due", "assignee_id"),
    )


class VisitQuestion(Base):
    """The return-visit questionnaire (editable; a default set ships in resources/questionnaire)."""

    __tablename__ = "visit_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(48), unique=True)
    text_en: Mapped[str] = mapped_column(String(300))
    text_zh: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default="text")  # text | score | yesno
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VisitAnswer(Base):
    __tablename__ = "visit_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit_plans.id", ondelete="CASCADE"), index=True)
    question_key: Mapped[str] = mapped_column(String(48))
    question: Mapped[str] = mapped_column(String(300))  # the text as asked
    answer: Mapped[str] = mapped_column(Text)


class ReminderDismissal(Base):
    """A care reminder a user marked done: hidden until `until` (inclusive)."""

    __tablename__ = "reminder_dismissals"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    ref_id: Mapped[int] = mapped_column(Integer)
    until: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)

    __table_args__ = (UniqueConstraint("user_id", "kind", "ref_id", name="uq_reminder_dismissals_user_kind_ref"),)


class PoolClaim(Base):
    """Who claimed which customer from the pool, when (the daily limit counts these)."""

    __tablename__ = "pool_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_pool_claims_user_at", "user_id", "at"),)
