"""Making the demo's rows batch by batch, in this process or in side processes.

Every batch of customers is made from its own random stream (seed and batch number) and its
own ranges of ids and numbers, so a batch depends on nothing made before it: the same seed and
day give the same business whether the batches are made here, one after the other, or by side
processes while the loader writes (a bulk load on SQLite: generating rows is as much work as
writing them, and the machine has more than one core). Complaint numbers, which count per day,
are given by the loader as it writes (`number_complaints`).
"""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import queue
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from desktop_crm.core.demo import people
from desktop_crm.core.demo.care import Care
from desktop_crm.core.demo.forms import PYTHON_FORM, SQLITE_FORM, empty_rows
from desktop_crm.core.demo.service import ServiceDesk
from desktop_crm.core.demo.staff import Staff
from desktop_crm.core.demo.trade import Counters, Trade
from desktop_crm.core.rules.sla import SLAParams

BATCH = 20_000
# ids and numbers each batch may use, per customer of the batch (contacts: at most three a customer)
SPAN = {"contact": 3, "opportunity": 1, "complaint": 2, "visit": 3, "order": 30, "contract": 2}


class BatchOverflow(RuntimeError):
    pass


@dataclass(frozen=True)
class Plan:
    """Everything a batch is made from (picklable, for side processes)."""

    seed: int
    now: datetime
    staff: Staff
    industries: tuple[str, ...]
    questions: dict[str, str]
    sla: SLAParams
    basis: str
    sqlite: bool
    customers: int
    prefix: str
    digits: int
    code_start: int
    first: dict[str, int]  # customer, contact, opportunity, complaint, visit, order, contract
    batch: int = BATCH  # customers a batch

    @property
    def batches(self) -> int:
        return -(-self.customers // self.batch)

    def next_after(self, key: str) -> int:
        """The first id or number after every batch's range."""
        return self.first[key] + self.batches * self.batch * SPAN[key]


_pools: dict[tuple, people.Pools] = {}


def _pools_for(plan: Plan) -> people.Pools:
    key = (plan.seed, plan.industries)
    if key not in _pools:  # names and pinyin are worked out once per process
        _pools.clear()
        _pools[key] = people.Pools(random.Random(plan.seed), list(plan.industries))
    return _pools[key]


def make_batch(plan: Plan, b: int, with_scope) -> dict[str, list[tuple]]:  # noqa: ANN001
    """The rows of batch `b` (customers from b × plan.batch on), every table in insert order."""
    form = SQLITE_FORM if plan.sqlite else PYTHON_FORM
    rng = random.Random(plan.seed * 1_000_003 + b)
    pools = _pools_for(plan)
    pools.rng = rng
    offset = b * plan.batch
    n = min(plan.batch, plan.customers - offset)
    base = {k: plan.first[k] + b * plan.batch * span for k, span in SPAN.items()}
    counters = Counters(**base)
    codes = [f"{plan.prefix}{plan.code_start + k:0{plan.digits}d}" for k in range(offset, offset + n)]
    out = empty_rows()
    staff = plan.staff
    lives, heads = people.batch(pools, plan.first["customer"] + offset, base["contact"], codes, staff.owners,
                                staff.admin_id, plan.now, out,
                                planter=people.Planter(staff.reps) if b == 0 else None,
                                former=staff.former, with_scope=with_scope, form=form)
    trade = Trade(rng, plan.now, staff.admin_id, counters, form)
    desk = ServiceDesk(rng, plan.now, staff, counters, plan.sla, form)
    care = Care(rng, plan.now, staff, counters, plan.questions, form)
    for life in lives:
        trade.orders(life, out)
        trade.contracts(life, out)
        trade.opportunities(life, out)
        desk.complaints(life, out)
        care.owners(life, out)
        care.follow_ups(life, out)
        care.visits(life, out)
    care.after_complaints(desk.handled, out)
    out["customers"] = people.customer_rows(lives, heads, staff.admin_id, plan.basis, form)
    for key, span in SPAN.items():
        if getattr(counters, key) > base[key] + n * span:
            raise BatchOverflow(f"batch {b} used more {key} numbers than its range")
    return out


def number_complaints(rows: list[tuple], last_of_day: dict[str, int]) -> list[tuple]:
    """Give each complaint its number TS + received day + the day's next number (rows carry None)."""
    out = []
    for row in rows:
        received = row[6]
        day = received.strftime("%Y%m%d") if isinstance(received, datetime) else received[:10].replace("-", "")
        n = last_of_day[day] = last_of_day.get(day, 0) + 1
        out.append((row[0], f"TS{day}-{n:04d}", *row[2:]))
    return out


# ---------------------------------------------------------------- side processes

def _serve(plan: Plan, tasks: multiprocessing.Queue, results: multiprocessing.Queue) -> None:
    """In a side process: make the batches asked for on `tasks` until None (SQLite documents).
    Rows travel packed (plain values only: the SQLite form), the search documents apart, so the
    loader can pass them on to the search index processes as they are."""
    from desktop_crm.core.search.sqlite_fts import with_scope
    from desktop_crm.core.search.sqlite_fts_side import pack

    try:
        while (b := tasks.get()) is not None:
            rows = make_batch(plan, b, with_scope)
            docs = pack(rows.pop("customer_search"))
            results.put((b, pack(rows), docs, None))
    except BaseException as exc:  # noqa: BLE001 - reported to the loader
        results.put((-1, None, None, f"{type(exc).__name__}: {exc}"))


@dataclass
class Made:
    """A batch from a side process: its rows, and its search documents still packed."""

    rows: dict[str, list[tuple]]
    docs: bytes


class MakerFailed(RuntimeError):
    pass


class Makers:
    """Side processes making the batches of a plan; iterate to get them in order, at most
    `ahead` made and not yet taken (memory stays bounded when writing is the slower part)."""

    def __init__(self, plan: Plan, workers: int, *, ahead: int = 3):
        ctx = multiprocessing.get_context("spawn")  # a fork would copy the loader's open connection
        self.plan, self.ahead = plan, max(ahead, workers)
        self._tasks, self._results = ctx.Queue(), ctx.Queue()
        self._procs = []
        try:
            for k in range(workers):
                proc = ctx.Process(target=_serve, args=(plan, self._tasks, self._results),
                                   name=f"crm-demo-{k}", daemon=True)
                proc.start()
                self._procs.append(proc)
        except BaseException:
            self.close()
            raise

    def __iter__(self) -> Iterator[Made]:
        total = self.plan.batches
        sent = 0
        made: dict[int, tuple[bytes, bytes]] = {}
        for _ in range(min(self.ahead, total)):
            self._tasks.put(sent)
            sent += 1
        for want in range(total):
            while want not in made:
                try:
                    b, data, docs, error = self._results.get(timeout=1.0)
                except queue.Empty:
                    if not any(p.is_alive() for p in self._procs):
                        raise MakerFailed("the processes making the demo rows stopped") from None
                    continue
                if error:
                    raise MakerFailed(error)
                made[b] = (data, docs)
            if sent < total:
                self._tasks.put(sent)
                sent += 1
            data, docs = made.pop(want)
            yield Made(marshal.loads(data), docs)

    def close(self) -> None:
        for _ in self._procs:
            with contextlib.suppress(Exception):
                self._tasks.put(None)
        for proc in self._procs:
            proc.join(timeout=2)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for q in (self._tasks, self._results):
            q.cancel_join_thread()
            q.close()
