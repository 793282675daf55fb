"""SQLite search backend: two FTS5 indexes over the `customer_search` documents.

* `customer_fts_words` (unicode61 tokenizer, prefix index of 1 and 2 characters):
  Chinese characters are single words in the document (see document.spaced), so a
  Chinese term of any length is a phrase query ("迅 捷"); a short latin or digit
  term (1–2 characters: `zs`, `13`) is a prefix query ("zs"*). It reads the part of
  each document before document.SECTION (names, and the first two characters of
  every other word) and the scope token, through `customer_search_words_text`.
* `customer_fts_trigram` (trigram tokenizer, detail=full): latin and digit terms of
  3 or more characters are substrings (`zhangs`, `0013`, `@qq.co`), answered as a
  phrase of trigrams by the index alone — no document is read to re-check a match.
  It reads only the part of each document after document.SECTION (no Chinese: those
  terms go to the word index), through the view `customer_search_trigram_text`.

Each document ends with its owner's *scope token* (private-use characters, so nothing
a user types can match it): a scoped user's search ANDs the tokens of the owners they
may see, and the index answers "matches within my scope" without touching the
customers table. A trigger on customers.owner_id keeps the token current whoever
changes the owner.

Both indexes are external-content tables over `customer_search` (each through the view
of its part), kept in sync by
triggers on that table, so every writer (services, merges, cascading deletes) keeps
them current. A 1–2 character LIKE or phrase on a trigram table finds nothing
(SQLite 3.40), hence the word index for short terms. Without FTS5 the generic LIKE
backend is used.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import weakref

from sqlalchemy import Select, column, literal_column, select, table
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from desktop_crm.core.search import generic
from desktop_crm.core.search.document import SECTION, has_cjk

log = logging.getLogger(__name__)

WORDS = "customer_fts_words"
TRIGRAM = "customer_fts_trigram"
OWNER_TRIGGER = "customer_fts_owner"
MIN_TRIGRAM = (3, 34, 0)

# scope token: OPEN, the owner id's digits as private-use characters (or POOL), CLOSE —
# never shorter than a trigram, and no three characters of it can be typed
_OPEN, _CLOSE, _POOL, _DIGIT0 = 0xE000, 0xE001, 0xE00F, 0xE010


@functools.lru_cache(maxsize=4096)  # a bulk load asks for the same few owners' tokens a million times
def scope_token(owner_id: int | None) -> str:
    inner = chr(_POOL) if owner_id is None else "".join(chr(_DIGIT0 + int(d)) for d in str(int(owner_id)))
    return chr(_OPEN) + inner + chr(_CLOSE)


def with_scope(doc: str, owner_id: int | None) -> str:
    """The document as stored: its text, then its owner's scope token."""
    return f"{doc} {scope_token(owner_id)}"


def _token_sql(owner: str) -> str:
    digits = f"CAST({owner} AS TEXT)"
    for d in range(10):
        digits = f"replace({digits}, '{d}', char({_DIGIT0 + d}))"
    return f"char({_OPEN}) || coalesce({digits}, char({_POOL})) || char({_CLOSE})"


def _text_sql(doc: str) -> str:
    """The document without its scope token."""
    return f"CASE instr({doc}, char({_OPEN})) WHEN 0 THEN {doc} ELSE rtrim(substr({doc}, 1, instr({doc}, char({_OPEN})) - 1)) END"


# each index's own options; a side build (search.sqlite_fts_side) makes the same index
OPTIONS = {
    WORDS: "tokenize='unicode61 remove_diacritics 0', prefix='1 2'",
    TRIGRAM: "tokenize='trigram', detail=full",
}
SHADOWS = ("_data", "_idx", "_docsize", "_config")  # an FTS5 index's own tables (its content is ours)
# what each index reads of a document (document.sections), through a view of its own
VIEWS = {WORDS: "customer_search_words_text", TRIGRAM: "customer_search_trigram_text"}


def indexed_sql(name: str, doc: str) -> str:
    """SQL of the text index `name` reads from the document `doc` (an SQL expression): the word
    index the part before SECTION plus the scope token, the trigram index the part after it
    (which ends with the token). instr counts characters, as Python's str does."""
    section = f"instr({doc}, char({ord(SECTION)}))"
    if name == WORDS:
        return f"substr({doc}, 1, {section} - 1) || ' ' || substr({doc}, instr({doc}, char({_OPEN})))"
    return f"substr({doc}, {section} + 1)"


_DDL = [
    *(f"CREATE VIEW IF NOT EXISTS {view} AS SELECT customer_id, {indexed_sql(name, 'doc')} AS doc "
      "FROM customer_search" for name, view in VIEWS.items()),
    *(f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5(doc, content='{VIEWS[name]}', "
      f"content_rowid='customer_id', {options})" for name, options in OPTIONS.items()),
]
_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer_search BEGIN
        INSERT INTO {WORDS}(rowid, doc) VALUES (new.customer_id, {indexed_sql(WORDS, "new.doc")});
        INSERT INTO {TRIGRAM}(rowid, doc) VALUES (new.customer_id, {indexed_sql(TRIGRAM, "new.doc")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer_search BEGIN
        INSERT INTO {WORDS}({WORDS}, rowid, doc) VALUES ('delete', old.customer_id, {indexed_sql(WORDS, "old.doc")});
        INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, doc) VALUES ('delete', old.customer_id, {indexed_sql(TRIGRAM, "old.doc")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE ON customer_search BEGIN
        INSERT INTO {WORDS}({WORDS}, rowid, doc) VALUES ('delete', old.customer_id, {indexed_sql(WORDS, "old.doc")});
        INSERT INTO {TRIGRAM}({TRIGRAM}, rowid, doc) VALUES ('delete', old.customer_id, {indexed_sql(TRIGRAM, "old.doc")});
        INSERT INTO {WORDS}(rowid, doc) VALUES (new.customer_id, {indexed_sql(WORDS, "new.doc")});
        INSERT INTO {TRIGRAM}(rowid, doc) VALUES (new.customer_id, {indexed_sql(TRIGRAM, "new.doc")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {OWNER_TRIGGER} AFTER UPDATE OF owner_id ON customers
        WHEN old.owner_id IS NOT new.owner_id BEGIN
        UPDATE customer_search SET doc = {_text_sql("doc")} || ' ' || {_token_sql("new.owner_id")}
        WHERE customer_id = new.id;
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


def _current(conn: Connection) -> bool:
    """Whether the index is there in its present form (each index reading its part of the
    documents, trigram detail=full, scope tokens kept)."""
    rows = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE name IN (?, ?, ?)",
                                     (WORDS, TRIGRAM, OWNER_TRIGGER)).all())
    return (len(rows) == 3 and "detail=full" in (rows[TRIGRAM] or "")
            and all(VIEWS[name] in (rows[name] or "") for name in VIEWS))


def create(conn: Connection, *, documents_scoped: bool = False) -> None:
    """Create (or bring up to date) the indexes and triggers inside the caller's transaction;
    a new index is filled from the existing documents, which are first written anew in the
    present layout with their scope tokens unless the caller just wrote them so
    (`documents_scoped`)."""
    if _current(conn):
        return
    drop(conn)
    if not documents_scoped:
        _rewrite_documents(conn)
    _define(conn)
    for name in (WORDS, TRIGRAM):
        conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
    for name in (WORDS, TRIGRAM):
        conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('optimize')")


def _define(conn: Connection) -> None:
    """Views, empty indexes and triggers (after `drop`)."""
    for ddl in _DDL + _TRIGGERS:
        conn.exec_driver_sql(ddl)


def _rewrite_documents(conn: Connection) -> None:
    from desktop_crm.core import search  # the package imports this module
    from desktop_crm.core.models import Customer

    with Session(bind=conn) as session:
        search.reindex(session, session.scalars(select(Customer.id)).all())
        session.flush()


def graft(conn: Connection, built: dict[str, str]) -> None:
    """Create the indexes and triggers from indexes built elsewhere over the present documents
    (`built`: index name -> SQLite file holding a table of that name with the same OPTIONS):
    their shadow tables are copied in, inside the caller's transaction (a second connection
    reads them: an attached file could not be detached before the commit)."""
    drop(conn)
    _define(conn)
    for name, path in built.items():
        side = sqlite3.connect(path)
        try:
            for shadow in SHADOWS:
                conn.exec_driver_sql(f"DELETE FROM {name}{shadow}")
                rows = side.execute(f"SELECT * FROM {name}{shadow}")
                insert = f"INSERT INTO {name}{shadow} VALUES ({', '.join('?' * len(rows.description))})"
                while chunk := rows.fetchmany(5000):
                    conn.exec_driver_sql(insert, chunk)
        finally:
            side.close()


def drop(conn: Connection) -> None:
    """Remove triggers and indexes (bulk loads drop them, load, then `create`)."""
    for trig in ("customer_fts_ai", "customer_fts_ad", "customer_fts_au", OWNER_TRIGGER):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trig}")
    for name in (WORDS, TRIGRAM):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    for view in VIEWS.values():
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {view}")


def install(engine: Engine) -> None:
    if not fts5_available():
        log.warning("SQLite %s has no FTS5 trigram tokenizer; search falls back to LIKE", sqlite3.sqlite_version)
        _ready[engine] = False
        return
    with engine.connect() as conn:
        current = _current(conn)
    if not current:
        with engine.begin() as conn:
            create(conn)
    _ready[engine] = True


def is_ready(session: Session) -> bool:
    engine = session.get_bind()
    engine = getattr(engine, "engine", engine)
    ready = _ready.get(engine)
    if ready is None:
        ready = fts5_available() and _current(session.connection())
        _ready[engine] = ready
    return ready


write_documents = generic.write_documents
remove_documents = generic.remove_documents


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _scope_expression(owners: list[int | None]) -> str:
    return "(" + " OR ".join(_phrase(scope_token(o)) for o in owners) + ")"


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


def match_ids(session: Session, terms: list[str], owners: list[int | None] | None = None) -> Select:
    if not is_ready(session):
        return generic.match_ids(session, terms, owners)
    expr = words_expression(terms)
    tri = " AND ".join(_phrase(t) for t in trigram_terms(terms)) or None
    if owners is not None:  # the scope goes with the query whose index is read first
        scope = _scope_expression(owners)
        if expr is not None:
            expr = f"{expr} AND {scope}"
        else:
            tri = f"{tri} AND {scope}"
    words_t, tri_t = table(WORDS, column("rowid")), table(TRIGRAM, column("rowid"))
    tri_q = None if tri is None else select(tri_t.c.rowid).where(literal_column(TRIGRAM).op("MATCH")(tri))
    if expr is None:
        return select(tri_t.c.rowid.label("customer_id")).where(literal_column(TRIGRAM).op("MATCH")(tri))
    q = select(words_t.c.rowid.label("customer_id")).where(literal_column(WORDS).op("MATCH")(expr))
    return q.where(words_t.c.rowid.in_(tri_q)) if tri_q is not None else q
