"""Pool rules (公海规则): which customers go back to the pool after how long without what, with
their exemptions; customers a manager pinned to their owner; holding limits per role or user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_crm.core.db import Base


class PoolRule(Base):
    __tablename__ = "pool_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    condition: Mapped[str] = mapped_column(String(24))  # no_follow_up | no_order | no_opportunity
    days: Mapped[int] = mapped_column(Integer)
    grades: Mapped[str | None] = mapped_column(String(200))  # ",key_important,ordinary," (None: any)
    statuses: Mapped[str | None] = mapped_column(String(200))
    industries: Mapped[str | None] = mapped_column(String(500))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="SET NULL"))
    warn_days: Mapped[int] = mapped_column(Integer, default=3)
    exempt_open_contract: Mapped[bool] = mapped_column(Boolean, default=True)
    exempt_deal_days: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PoolPin(Base):
    """A customer a manager keeps with its owner: no rule returns it."""

    __tablename__ = "pool_pins"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(String(200))


class HoldingLimit(Base):
    """At most `max_customers` for a role or one user (the user's own limit wins); a customer returned
    to the pool cannot be claimed back by its previous owner within `reclaim_days`."""

    __tablename__ = "holding_limits"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str | None] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    max_customers: Mapped[int | None] = mapped_column(Integer)
    reclaim_days: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("role", "user_id", name="uq_holding_limits_role_user"),)
