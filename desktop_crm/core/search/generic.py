"""Search on any database: LIKE over the search documents (correct, not fast)."""

from __future__ import annotations

from sqlalchemy import Select, and_, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from desktop_crm.core.db import like_pattern
from desktop_crm.core.models import CustomerSearch


def install(engine: Engine) -> None:
    return None


def write_documents(session: Session, docs: dict[int, str]) -> None:
    if not docs:
        return
    session.execute(delete(CustomerSearch).where(CustomerSearch.customer_id.in_(list(docs))))
    session.execute(insert(CustomerSearch), [{"customer_id": k, "doc": v} for k, v in docs.items()])


def remove_documents(session: Session, ids: list[int]) -> None:
    if ids:
        session.execute(delete(CustomerSearch).where(CustomerSearch.customer_id.in_(ids)))


def match_ids(session: Session, terms: list[str]) -> Select:
    conditions = [CustomerSearch.doc.like(like_pattern(t), escape="\\") for t in terms]
    return select(CustomerSearch.customer_id).where(and_(*conditions))
