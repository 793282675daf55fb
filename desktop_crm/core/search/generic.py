"""Search on any database: LIKE over the search documents (correct, not fast)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, delete, insert, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from desktop_crm.core.db import like_pattern
from desktop_crm.core.models import Customer, CustomerSearch


def install(engine: Engine) -> None:
    return None


def with_scope(doc: str, owner_id: int | None) -> str:
    """Documents carry no scope token here: the scope is a join (see match_ids)."""
    return doc


def write_documents(session: Session, docs: dict[int, str]) -> None:
    if not docs:
        return
    session.execute(delete(CustomerSearch).where(CustomerSearch.customer_id.in_(list(docs))))
    session.execute(insert(CustomerSearch), [{"customer_id": k, "doc": v} for k, v in docs.items()])


def remove_documents(session: Session, ids: list[int]) -> None:
    if ids:
        session.execute(delete(CustomerSearch).where(CustomerSearch.customer_id.in_(ids)))


def owners_condition(owners: list[int | None]) -> ColumnElement[bool]:
    """Customers owned by one of `owners` (None: the pool)."""
    ids = [o for o in owners if o is not None]
    parts = [Customer.owner_id.in_(ids)] if ids else []
    if None in owners:
        parts.append(Customer.owner_id.is_(None))
    return or_(*parts)


def match_ids(session: Session, terms: list[str], owners: list[int | None] | None = None) -> Select:
    conditions = [CustomerSearch.doc.like(like_pattern(t), escape="\\") for t in terms]
    if owners is not None:
        conditions.append(CustomerSearch.customer_id.in_(select(Customer.id).where(owners_condition(owners))))
    return select(CustomerSearch.customer_id).where(and_(*conditions))
