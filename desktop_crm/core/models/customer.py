"""The customer archive: customers, contacts, status history and transfers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop_crm.core.db import Base
from desktop_crm.core.models.types import Money


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    name_norm: Mapped[str] = mapped_column(String(200), index=True, default="")
    kind: Mapped[str] = mapped_column(String(16), default="enterprise", index=True)
    status: Mapped[str] = mapped_column(String(16), default="potential", index=True)
    status_since: Mapped[datetime | None] = mapped_column(DateTime)
    grade: Mapped[str | None] = mapped_column(String(16), index=True)
    grade_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    grade_note: Mapped[str | None] = mapped_column(Text)
    loyalty: Mapped[str | None] = mapped_column(String(16))
    # computed by services/grading.recompute (migration 0004): the grade explanation and the ABC class
    grade_rank: Mapped[int | None] = mapped_column(Integer)
    grade_population: Mapped[int | None] = mapped_column(Integer)
    grade_value: Mapped[Decimal | None] = mapped_column(Money)
    grade_basis: Mapped[str | None] = mapped_column(String(8))
    abc_class: Mapped[str | None] = mapped_column(String(1))
    credit_rating: Mapped[str | None] = mapped_column(String(1))
    source: Mapped[str | None] = mapped_column(String(32))
    industry: Mapped[str | None] = mapped_column(String(64), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # region
    province: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(64), index=True)
    district: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(12))
    # reach
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    mobile: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    website: Mapped[str | None] = mapped_column(String(200))
    # enterprise
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    legal_rep: Mapped[str | None] = mapped_column(String(64))
    registered_capital: Mapped[Decimal | None] = mapped_column(Money)
    staff_size: Mapped[int | None] = mapped_column(Integer)
    business_scope: Mapped[str | None] = mapped_column(Text)
    bank: Mapped[str | None] = mapped_column(String(100))
    bank_account: Mapped[str | None] = mapped_column(String(64))
    tax_no: Mapped[str | None] = mapped_column(String(32))
    # individual
    gender: Mapped[str | None] = mapped_column(String(8))
    birthday: Mapped[date | None] = mapped_column(Date)
    resident_id: Mapped[str | None] = mapped_column(String(18))
    occupation: Mapped[str | None] = mapped_column(String(64))
    employer: Mapped[str | None] = mapped_column(String(200))
    education: Mapped[str | None] = mapped_column(String(64))
    family: Mapped[str | None] = mapped_column(Text)
    hobbies: Mapped[str | None] = mapped_column(Text)
    # free text
    needs: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[str | None] = mapped_column(String(400))  # ",a,b," so a tag filter is one LIKE
    # bookkeeping
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_customers_owner_status", "owner_id", "status"),)


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    title: Mapped[str | None] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(64))
    mobile: Mapped[str | None] = mapped_column(String(32), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    wechat: Mapped[str | None] = mapped_column(String(64))
    birthday: Mapped[date | None] = mapped_column(Date)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    is_decision_maker: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    customer: Mapped[Customer] = relationship(back_populates="contacts")

    __mapper_args__ = {"version_id_col": version}


class StatusChange(Base):
    """Status history: the current status is always the latest entry by time."""

    __tablename__ = "customer_status_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    previous: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_status_history_customer_at", "customer_id", "at"),
        Index("ix_status_history_status_at", "status", "at"),
    )


class Transfer(Base):
    """A handover of a customer between owners (None = the customer pool)."""

    __tablename__ = "customer_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
