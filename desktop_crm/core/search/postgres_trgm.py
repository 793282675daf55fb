"""PostgreSQL search backend: pg_trgm GIN index on the search documents, LIKE queries.

Terms are already in document form (folded, Chinese characters spaced out), so a
case-sensitive LIKE is enough. Terms under 3 characters cannot use trigrams well and
fall back to scanning; that is acceptable on a server.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from desktop_crm.core.search import generic

log = logging.getLogger(__name__)

INDEX = "customer_fts_trgm"  # the customer_fts prefix: not a model index (test_schema ignores it)


def install(engine: Engine) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS {INDEX} ON customer_search "
                              "USING gin (doc gin_trgm_ops)"))
    except DBAPIError as exc:  # no rights to create the extension: search still works, slower
        log.warning("pg_trgm not available (%s); search uses plain LIKE", exc)


write_documents = generic.write_documents
remove_documents = generic.remove_documents
with_scope = generic.with_scope
match_ids = generic.match_ids  # the GIN index serves the same LIKE conditions
