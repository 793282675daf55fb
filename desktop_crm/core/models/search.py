"""The customer search document: one row of normalised text per customer.

It holds everything the search box matches (code, name, contact names, phone
digits, emails, pinyin full and initials). Backends index it their own way
(`core/search`); the table itself is plain SQL on every database.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_crm.core.db import Base


class CustomerSearch(Base):
    __tablename__ = "customer_search"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    doc: Mapped[str] = mapped_column(Text, default="")
