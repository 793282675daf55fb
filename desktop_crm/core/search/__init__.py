"""Customer search: one box matching code, name, contact names, phones (any formatting),
email and pinyin (full and initials).

`document()` builds the normalised text of a customer; `reindex()` keeps the
`customer_search` table current inside the caller's transaction; `match_ids()`
returns a SQL selectable of the matching customer ids for the list query. The
dialect-specific index (SQLite FTS5, PostgreSQL pg_trgm) lives in its own backend
module; `generic` works on any database with LIKE.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from desktop_crm.core.models import Contact, Customer, CustomerSearch
from desktop_crm.core.search import generic
from desktop_crm.core.search.document import build_document, normalize_query


def backend_for(dialect: str):  # noqa: ANN201 - a backend module
    if dialect == "sqlite":
        from desktop_crm.core.search import sqlite_fts

        return sqlite_fts
    if dialect == "postgresql":
        from desktop_crm.core.search import postgres_trgm

        return postgres_trgm
    return generic


def install(engine: Engine) -> None:
    """Create the backend's index structures (idempotent); run after migrations."""
    backend_for(engine.dialect.name).install(engine)


def reindex(session: Session, customer_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these customers (in the caller's transaction)."""
    ids = sorted(set(customer_ids))
    if not ids:
        return
    backend = backend_for(session.get_bind().dialect.name)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        customers = session.execute(
            select(Customer.id, Customer.code, Customer.name, Customer.phone, Customer.mobile, Customer.email,
                   Customer.owner_id)
            .where(Customer.id.in_(chunk))
        ).all()
        contacts: dict[int, list] = {}
        for row in session.execute(
            select(Contact.customer_id, Contact.name, Contact.mobile, Contact.phone, Contact.email)
            .where(Contact.customer_id.in_(chunk))
        ):
            contacts.setdefault(row.customer_id, []).append(row)
        docs = {c.id: backend.with_scope(build_document(c, contacts.get(c.id, [])), c.owner_id) for c in customers}
        backend.write_documents(session, docs)


def remove(session: Session, customer_ids: Iterable[int]) -> None:
    backend_for(session.get_bind().dialect.name).remove_documents(session, list(customer_ids))


def match_ids(session: Session, query: str, owners: list[int | None] | None = None) -> Select | None:
    """A SELECT of the ids of customers matching `query`, owned by one of `owners` (None in
    the list: the pool; `owners` None: anyone), or None when the query is empty."""
    terms = normalize_query(query)
    if not terms:
        return None
    return backend_for(session.get_bind().dialect.name).match_ids(session, terms, owners)


__all__ = ["CustomerSearch", "backend_for", "install", "match_ids", "reindex", "remove"]
