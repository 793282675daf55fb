"""The demo loader: a living business written in one transaction, batch by batch — customers
with their contacts and history, their orders, contracts and opportunities, complaints, follow-ups
and return visits — then graded by the same recompute a user runs.

Fast enough for 1,000,000 customers: rows are generated as tuples in the driver's form and
inserted in big executemany batches; from BULK customers on (SQLite), the secondary indexes of
every table it fills are dropped and rebuilt once after the load, the file is written with a
rollback journal instead of the WAL (a new file's pages then go to disk once, not twice; the
transaction stays all-or-nothing), and the two search indexes are built meanwhile by side
processes and grafted in (search.sqlite_fts_side).
"""

from __future__ import annotations

import logging
import marshal
import os
import random
import time
from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from desktop_crm.core import progress as prog
from desktop_crm.core import search
from desktop_crm.core.db import Base, Database, is_sqlite
from desktop_crm.core.demo import makers as making
from desktop_crm.core.demo import plans, staff
from desktop_crm.core.demo.forms import NUMBERED, TABLES
from desktop_crm.core.demo.makers import Makers, Plan, make_batch, number_complaints
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Sequence, VisitQuestion
from desktop_crm.core.search.sqlite_fts_side import SideBuild, SideBuildFailed
from desktop_crm.core.services import audit, complaints, grading, settings, visits
from desktop_crm.core.services.context import Ctx

log = logging.getLogger(__name__)

BULK = 20_000  # from this many customers on, SQLite indexes are rebuilt after the load
TIMES: dict[str, float] = {}
PHASES = ("generate", "insert", "grading", "work plan", "indexes", "search index wait", "search index", "commit")
Generator = Callable[[Database, list[int], random.Random, "prog.Progress | None"], None]
EXTRA_GENERATORS: list[Generator] = []


def _timed(phase: str, t: float) -> float:
    now = time.perf_counter()
    TIMES[phase] = TIMES.get(phase, 0.0) + now - t
    return now


def _reserve_codes(s: Session, ctx: Ctx, n: int) -> tuple[str, int, int]:
    """Reserve `n` customer code numbers that no customer uses; advance the sequence."""
    prefix = str(settings.read(s, "customer_code_prefix"))
    digits = int(settings.read(s, "customer_code_digits"))
    seq = s.scalars(select(Sequence).where(Sequence.name == "customer_code").with_for_update()).first()
    if seq is None:
        seq = Sequence(name="customer_code", next_value=1)
        s.add(seq)
    start = seq.next_value
    if start + n - 1 >= 10**digits and not s.scalar(select(func.count(Customer.id))):
        digits = len(str(start + n - 1))  # a fresh database: codes of one width, in order
        settings.write(s, ctx, "customer_code_digits", digits)
    while True:  # skip numbers someone used for a code typed in by hand
        first, last = f"{prefix}{start:0{digits}d}", f"{prefix}{start + n - 1:0{digits}d}"
        clash = s.scalar(select(func.max(Customer.code)).where(
            Customer.code.between(first, last), func.length(Customer.code) == len(first)))
        if clash is None:
            break
        start = int(clash[len(prefix):]) + 1
    seq.next_value = start + n
    s.flush()
    return prefix, digits, start


# ------------------------------------------------------------ numbers and ids

_SEQUENCES = {"order": "demo_order", "contract": "demo_contract"}
_TABLE_OF = {"customer": "customers", "contact": "contacts", "opportunity": "opportunities",
             "complaint": "complaints", "visit": "visit_plans"}


def _plan(s: Session, ctx: Ctx, customers: int, seed: int, now: datetime, sqlite: bool) -> Plan:
    """What the batches are made from, with the first free id of every numbered table."""
    assert set(_TABLE_OF.values()) == set(NUMBERED)
    first = {key: (s.scalar(text(f"SELECT max(id) FROM {table}")) or 0) + 1 for key, table in _TABLE_OF.items()}
    for key, name in _SEQUENCES.items():
        first[key] = s.scalar(select(Sequence.next_value).where(Sequence.name == name)) or 1
    visits.ensure_questions(s)
    questions = {q.key: q.text_zh for q in s.scalars(select(VisitQuestion))}
    prefix, digits, start = _reserve_codes(s, ctx, customers)
    return Plan(seed=seed, now=now, staff=staff.load(s, now), industries=tuple(settings.read(s, "industries")),
                questions=questions, sla=complaints.sla_params(s),
                basis="profit" if settings.read(s, "grade_by_profit") else "sales", sqlite=sqlite,
                customers=customers, prefix=prefix, digits=digits, code_start=start, first=first,
                batch=making.BATCH)


def _complaint_days(s: Session) -> dict[str, int]:
    """Complaint numbers already used, per day (YYYYMMDD -> last number)."""
    return {name[len("complaint:"):]: value - 1 for name, value in s.execute(
        select(Sequence.name, Sequence.next_value).where(Sequence.name.like("complaint:%")))}


def _save_numbers(s: Session, plan: Plan, days: dict[str, int], before: dict[str, int]) -> None:
    values = {name: plan.next_after(key) for key, name in _SEQUENCES.items()}
    values.update({f"complaint:{day}": n + 1 for day, n in days.items() if before.get(day) != n})
    existing = set(s.scalars(select(Sequence.name).where(Sequence.name.in_(list(values)))))
    for name, value in values.items():
        if name in existing:
            s.execute(Sequence.__table__.update().where(Sequence.name == name).values(next_value=value))
        else:
            s.add(Sequence(name=name, next_value=value))
    s.flush()
    if s.get_bind().dialect.name == "postgresql":  # ids were given explicitly: move the id sequences past them
        for table in NUMBERED:
            s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT coalesce(max(id), 1) FROM {table}))"))


# ------------------------------------------------------------ the load

def _batches(plan: Plan, conn, makers: Makers | None) -> Iterator[tuple[dict[str, list[tuple]], bytes | None]]:  # noqa: ANN001
    """Each batch's rows, and its search documents packed when a side process made it."""
    if makers is not None:
        for made in makers:
            made.rows["customer_search"] = marshal.loads(made.docs)
            yield made.rows, made.docs
        return
    scoped = search.backend_for(conn.dialect.name).with_scope
    for b in range(plan.batches):
        yield make_batch(plan, b, scoped), None


def _load(s: Session, plan: Plan, progress, side: SideBuild | None, makers: Makers | None  # noqa: ANN001
          ) -> tuple[list[int], dict[str, int]]:
    conn = s.connection()
    n = plan.customers
    days = _complaint_days(s)
    before = dict(days)
    ids: list[int] = []
    counts = dict.fromkeys(TABLES, 0)
    prog.check(progress, 0, n, _("customers and their business"))
    t = time.perf_counter()
    for rows, docs in _batches(plan, conn, makers):
        t = _timed("generate", t)
        rows["complaints"] = number_complaints(rows["complaints"], days)
        if side is not None:
            if docs is not None:
                side.add_packed(docs)
            else:
                side.add(rows["customer_search"])
        for table, columns in TABLES.items():
            _insert(conn, Base.metadata.tables[table], columns, rows[table])
            counts[table] += len(rows[table])
        ids += [r[0] for r in rows["customers"]]
        t = _timed("insert", t)
        prog.check(progress, len(ids), n, _("customers and their business"))
    _save_numbers(s, plan, days, before)
    return ids, counts


def _insert(conn, table, columns: tuple[str, ...], rows: list[tuple]) -> None:  # noqa: ANN001
    """executemany of `rows` (tuples in the order of `columns`); on SQLite straight to the
    driver, the rows being in SQLITE_FORM already."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in rows])
        return
    conn.exec_driver_sql(f'INSERT INTO {table.name} ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})',
                         rows)


def _side_build(raw) -> SideBuild | None:  # noqa: ANN001
    """Side processes for the search indexes, with their scratch files beside the database
    (the system's temporary folder may be small); None if processes cannot be started."""
    path = next((r[2] for r in raw.execute("PRAGMA database_list") if r[1] == "main"), "")
    try:
        return SideBuild(os.path.dirname(path) if path else None)
    except OSError as exc:
        log.warning("search index built in process: %s", exc)
        return None


def load(db: Database, ctx: Ctx, customers: int, seed: int, now: datetime, progress=None  # noqa: ANN001
         ) -> tuple[list[int], dict[str, int], str, str]:
    """Write `customers` customers and their business in one transaction; grade them."""
    TIMES.clear()
    TIMES.update(dict.fromkeys(PHASES, 0.0))
    sqlite = is_sqlite(db.engine)
    bulk = sqlite and customers >= BULK
    if bulk:
        db.engine.dispose()  # the journal mode changes only on the one connection there is
    makers = None
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA cache_size=-524288")  # 512 MB while loading, back to default after
            if bulk:
                raw.execute("PRAGMA journal_mode=DELETE")
        side = _side_build(raw) if bulk else None
        try:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin(), Session(bind=conn) as s:
                plan = _plan(s, ctx, customers, seed, now, sqlite)
                if bulk:
                    makers = _makers(plan)
                ddl = _drop_indexes(conn) if bulk else []
                ids, counts = _load(s, plan, progress, side, makers)
                t = time.perf_counter()
                prog.check(progress, 0, 0, _("grading customers"))
                grading.recompute_in_session(s, ctx, now.date())
                t = _timed("grading", t)
                prog.check(progress, 0, 0, _("planning the work"))
                counts["tasks"] = plans.linked_tasks(s, now, sqlite) + plans.own_weeks(s, now, seed)
                plans.pool_rule(s, now)
                counts["leads"] = plans.leads(s, now, seed, customers)
                _timed("work plan", t)
                if bulk:
                    _create_indexes(conn, ddl, progress, side)
                first = f"{plan.prefix}{plan.code_start:0{plan.digits}d}"
                last = f"{plan.prefix}{plan.code_start + customers - 1:0{plan.digits}d}"
                audit.record(s, ctx.actor, "customer", None, "demo generated",
                             label=f"{customers} × {first}…{last} (seed {seed})")
                s.flush()
                t = time.perf_counter()
            _timed("commit", t)
        finally:
            if makers is not None:
                makers.close()
            if side is not None:
                side.close()
            if raw is not None:
                raw.execute("PRAGMA cache_size=-2000")
                if bulk:
                    raw.execute("PRAGMA journal_mode=WAL")
    return ids, counts, first, last


def _makers(plan: Plan) -> Makers | None:
    """Side processes making the rows (one fewer than the cores, this one writes, but two at least:
    making a batch takes longer than writing it); None when
    processes cannot be started, and the rows are made here."""
    try:
        return Makers(plan, max(2, min(4, (os.cpu_count() or 2) - 1)))
    except OSError as exc:
        log.warning("demo rows made in process: %s", exc)
        return None


# An index led by the id of a parent the load numbers upwards grows at its end as rows arrive:
# kept during the load, it costs little more than the rows, and spares a scan and sort after.
GROWING = ("customer_id", "opportunity_id", "complaint_id", "visit_id")


def _drop_indexes(conn) -> list[str]:  # noqa: ANN001
    """Drop the secondary indexes of the tables the load fills (SQLite), but those led by a growing
    parent id; returns their SQL to recreate."""
    names = tuple(TABLES)
    rows = conn.exec_driver_sql(
        f"SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(names))})", names).all()
    dropped = []
    for name, sql, table in rows:
        lead = conn.exec_driver_sql(f'PRAGMA index_info("{name}")').first()
        if table != "customers" and lead is not None and lead[2] in GROWING:
            continue
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
        dropped.append(sql)
    search.backend_for("sqlite").drop(conn)
    return dropped


def _create_indexes(conn, ddl: list[str], progress, side: SideBuild | None) -> None:  # noqa: ANN001
    t = time.perf_counter()
    conn.exec_driver_sql("PRAGMA threads=2")  # the sorts of CREATE INDEX may use a helper thread
    for k, sql in enumerate(ddl):
        prog.check(progress, k, len(ddl), _("building indexes"))
        conn.exec_driver_sql(sql)
    conn.exec_driver_sql("PRAGMA threads=0")
    t = _timed("indexes", t)
    message = _("building the search index")
    prog.check(progress, 0, 0, message)
    built = None
    if side is not None:  # (None: _side_build said why)
        try:
            built = side.finish(lambda: prog.check(progress, 0, 0, message))
        except SideBuildFailed as exc:
            log.warning("search index built in process: %s", exc)
        t = _timed("search index wait", t)
    fts = search.backend_for("sqlite")
    if built is not None:
        fts.graft(conn, built)
    else:
        fts.create(conn, documents_scoped=True)
    # planner statistics from a sample: without them a sales rep's search walks the wrong index
    # (measured at 1M: p95 80-110 ms without, 20-34 ms with); the sample takes under a second
    conn.exec_driver_sql("PRAGMA analysis_limit=1000")
    conn.exec_driver_sql("ANALYZE")
    _timed("search index", t)
