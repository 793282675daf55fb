"""SQLite search backend: two FTS5 indexes over the `customer_search` documents.

* `customer_fts_words` (unicode61 tokenizer, prefix index of 1 and 2 characters):
  Chinese characters are single words in the document (see document.spaced), so a
  Chinese term of any length is a phrase query ("迅 捷"); a short latin or digit
  term (1–2 characters: `zs`, `13`) is a prefix query ("zs"*).
* `customer_fts_trigram` (trigram tokenizer, detail=none): latin and digit terms of
  3 or more characters are substrings (`zhangs`, `0013`, `@qq.co`) through LIKE,
  which FTS5 answers from the trigram index and re-checks against the document.

Both are external-content tables over `customer_search`, kept in sync by triggers on
that table, so every writer (services, merges, cascading deletes) keeps them current.
A 1–2 character LIKE on a trigram table silently finds nothing (SQLite 3.40), hence
the word index for short terms. Without FTS5 the generic LIKE backend is used.
"""

from __future__ import annotations

import logging
import sqlite3
import weakref

from sqlalchemy import Select, and_, column, literal_column, select, table
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from desktop_crm.core.search import generic
from desktop_crm.core.search.document import has_cjk

log = logging.getLogger(__name__)

WORDS = "customer_fts_words"
TRIGRAM = "customer_fts_trigram"
MIN_TRIGRAM = (3, 34, 0)

_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS} USING fts5(doc, content='customer_search', "
    "content_rowid='customer_id', tokenize='unicode61 remove_diacritics 0', prefix='1 2')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM} USING fts5(doc, content='customer_search', "
    "content_rowid='customer_id', tokenize='trigram', detail=none)",
]
_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer_search BEGIN
        INSERT INTO {WORDS}(rowid, doc) VALUES (new.customer_id, new.doc);
        INSERT INTO {TRIGRAM}(rowid, doc) VALUES (new.customer_id, new.doc);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer_search BEGIN
        INSERT INTO {WORDS}({WORDS}, rowid, doc) VALUES ('delete', old.customer_id, old.doc);
        INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, doc) VALUES ('delete', old.customer_id, old.doc);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE ON customer_search BEGIN
        INSERT INTO {WORDS}({WORDS}, rowid, doc) VALUES ('delete', old.customer_id, old.doc);
        INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, doc) VALUES ('delete', old.customer_id, old.doc);
        INSERT INTO {WORDS}(rowid, doc) VALUES (new.customer_id, new.doc);
        INSERT INTO {TRIGRAM}(rowid, doc) VALUES (new.customer_id, new.doc);
    END""",
]

# engine -> whether the FTS5 tables are in place (decided at install or on first use)
_ready: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer."""
    if sqlite3.sqlite_version_info < MIN_TRIGRAM:
        return False
    try:
        con = sqlite3.connect(":memory:")
        try:
            con.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def _tables_exist(conn: Connection) -> bool:
    names = {r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE name IN (?, ?)", (WORDS, TRIGRAM))}
    return names == {WORDS, TRIGRAM}


def create(conn: Connection) -> None:
    """Create the indexes and triggers inside the caller's transaction (idempotent);
    newly created indexes are filled from the existing documents."""
    fresh = not _tables_exist(conn)
    for ddl in _DDL + _TRIGGERS:
        conn.exec_driver_sql(ddl)
    if fresh:
        for name in (WORDS, TRIGRAM):
            conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
        for name in (WORDS, TRIGRAM):
            conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('optimize')")


def drop(conn: Connection) -> None:
    """Remove triggers and indexes (bulk loads drop them, load, then `create`)."""
    for trig in ("customer_fts_ai", "customer_fts_ad", "customer_fts_au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trig}")
    for name in (WORDS, TRIGRAM):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


def install(engine: Engine) -> None:
    if not fts5_available():
        log.warning("SQLite %s has no FTS5 trigram tokenizer; search falls back to LIKE", sqlite3.sqlite_version)
        _ready[engine] = False
        return
    with engine.begin() as conn:
        create(conn)
    _ready[engine] = True


def is_ready(session: Session) -> bool:
    engine = session.get_bind()
    engine = getattr(engine, "engine", engine)
    ready = _ready.get(engine)
    if ready is None:
        ready = fts5_available() and _tables_exist(session.connection())
        _ready[engine] = ready
    return ready


write_documents = generic.write_documents
remove_documents = generic.remove_documents


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def words_expression(terms: list[str]) -> str | None:
    """The FTS5 query for the terms the word index serves (Chinese, or shorter than 3)."""
    parts = []
    for t in terms:
        if has_cjk(t):
            parts.append(_phrase(t))
        elif len(t) < 3:
            parts.append(_phrase(t) + "*")
    return " AND ".join(parts) or None


def trigram_terms(terms: list[str]) -> list[str]:
    return [t for t in terms if not has_cjk(t) and len(t) >= 3]


def match_ids(session: Session, terms: list[str]) -> Select:
    if not is_ready(session):
        return generic.match_ids(session, terms)
    expr = words_expression(terms)
    tri = trigram_terms(terms)
    words_t = table(WORDS, column("rowid"))
    tri_t = table(TRIGRAM, column("rowid"), column("doc"))
    if expr is not None:
        q = select(words_t.c.rowid.label("customer_id")).where(literal_column(WORDS).op("MATCH")(expr))
        if tri:
            q = q.where(words_t.c.rowid.in_(_trigram_select(tri_t, tri)))
        return q
    return _trigram_select(tri_t, tri, label=True)


def _trigram_select(tri_t, terms: list[str], label: bool = False) -> Select:  # noqa: ANN001
    col = tri_t.c.rowid.label("customer_id") if label else tri_t.c.rowid
    return select(col).where(and_(*[tri_t.c.doc.like(f"%{t}%") for t in terms]))


