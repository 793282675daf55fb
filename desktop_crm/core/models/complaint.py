"""Complaints (投诉) and claims (索赔), their timeline, and the service-desk phrasebook (DOMAIN §5)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_crm.core.db import Base
from desktop_crm.core.models.types import Money


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    caller: Mapped[str | None] = mapped_column(String(100))  # who called, when not a stored contact
    caller_phone: Mapped[str | None] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    order_no: Mapped[str | None] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(16), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    demand: Mapped[str | None] = mapped_column(Text)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="registered")
    solution_plan: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    customer_informed_at: Mapped[datetime | None] = mapped_column(DateTime)
    compensation: Mapped[Decimal | None] = mapped_column(Money)
    root_cause: Mapped[str | None] = mapped_column(String(16))
    claim_amount: Mapped[Decimal | None] = mapped_column(Money)
    claim_approved: Mapped[Decimal | None] = mapped_column(Money)
    claim_paid_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    # SLA clocks: due times fixed at registration from the settings then in force
    response_due: Mapped[datetime] = mapped_column(DateTime)
    resolution_due: Mapped[datetime] = mapped_column(DateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime)  # left `registered`
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(32))  # desk, import, visit, interaction ...
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_complaints_status_resolution_due", "status", "resolution_due"),
    )


class ComplaintEvent(Base):
    """One line of a complaint's timeline: a move between states, an assignment or a note."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # register, move, assign, note
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_complaint_events_complaint_at", "complaint_id", "at"),)


class Phrase(Base):
    """A standard phrase of the service desk (话术) for one situation and language."""

    __tablename__ = "phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    situation: Mapped[str] = mapped_column(String(32), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer, default=0)
    say: Mapped[str] = mapped_column(Text)
    avoid: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
