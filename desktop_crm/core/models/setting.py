"""Business settings shared by all desks, saved filters and number sequences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_crm.core.db import Base


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Sequence(Base):
    """Counters for codes and numbers that are never reused (customer codes, complaint numbers)."""

    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer, default=1)


class SavedFilter(Base):
    __tablename__ = "saved_filters"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    view: Mapped[str] = mapped_column(String(32))  # "customers", "complaints", ...
    name: Mapped[str] = mapped_column(String(100))
    payload: Mapped[str] = mapped_column(Text)  # JSON of the filter fields

    __table_args__ = (UniqueConstraint("user_id", "view", "name", name="uq_saved_filters_user_view_name"),)
