"""Customer list and search at scale (issue 2): generates (or reuses) a database with
core.demo, then measures what the GUI does — customer_query.count + the first page of
100 rows per search keystroke, the first screen, jumps to random offsets — and memory.

    python bench/bench_customers.py                      # 1,000,000 customers in a temp folder
    python bench/bench_customers.py --db /tmp/crm1m.sqlite3   # reuse (or create) this file
    python bench/bench_customers.py --customers 20000    # a quick small run
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGE = 100


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Clock:
    """Wall and CPU time of one operation (CPU time shows the work when the machine is shared)."""

    def __enter__(self):  # noqa: ANN204
        self.w, self.c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.wall = (time.perf_counter() - self.w) * 1000
        self.cpu = (time.process_time() - self.c) * 1000


def fmt(name: str, ms: list[float], extra: str = "", cpu: list[float] | None = None) -> str:
    line = (f"{name:<38} n={len(ms):<3} median {statistics.median(ms):6.1f} ms  p95 {pct(ms, 95):6.1f} ms"
            f"  max {max(ms):6.1f} ms")
    if cpu:
        line += f"  | cpu median {statistics.median(cpu):5.1f} p95 {pct(cpu, 95):5.1f} ms"
    return line + extra


def sample_queries(db, rng: random.Random, n: int) -> dict[str, list[str]]:  # noqa: ANN001
    from sqlalchemy import func, select

    from desktop_crm.core.models import Contact, Customer
    from desktop_crm.core.search.pinyin import pinyin_forms

    with db.read() as s:
        max_c = s.scalar(select(func.max(Customer.id)))
        max_p = s.scalar(select(func.max(Contact.id)))
        customers, people = [], []
        while len(customers) < n * 2:
            row = s.execute(select(Customer.name, Customer.mobile, Customer.kind)
                            .where(Customer.id >= rng.randint(1, max_c)).limit(1)).first()
            if row:
                customers.append(row)
        while len(people) < n * 2:
            row = s.execute(select(Contact.name, Contact.mobile).where(Contact.id >= rng.randint(1, max_p)).limit(1)).first()
            if row:
                people.append(row)
    firms = [c.name[2:4] for c in customers if c.kind == "enterprise"]  # 上海[迅捷]物流…
    q: dict[str, list[str]] = {"1-char Chinese": [], "2-char Chinese": [], "3+-char Chinese": [],
                               "phone fragment": [], "pinyin initials": [], "pinyin full (prefix)": []}
    for i in range(n):
        person = people[i][0]
        q["1-char Chinese"].append(rng.choice([person[-1], rng.choice(firms)[0], person[0]]))
        q["2-char Chinese"].append(rng.choice([person[-2:], rng.choice(firms), person[:2]]))
        firm_name = rng.choice([c.name for c in customers if c.kind == "enterprise"])
        q["3+-char Chinese"].append(rng.choice([person if len(person) >= 3 else firm_name[:4], firm_name[:4],
                                                firm_name[2:6]]))
        mobile = (customers[i].mobile or people[i][1])[3:]
        k = rng.randint(4, 7)
        start = rng.randint(0, len(mobile) - k)
        frag = mobile[start:start + k]
        q["phone fragment"].append(frag if rng.random() < 0.7 else f"{frag[:3]}-{frag[3:]}")
        full, initials = pinyin_forms(people[n + i][0], surname=True)
        q["pinyin initials"].append(initials[: rng.choice([2, 3])])
        q["pinyin full (prefix)"].append(full[: max(3, len(full) - 2)])
    return q


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="SQLite file (or URL) to reuse; created and filled when empty")
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--jumps", type=int, default=60)
    args = ap.parse_args(argv)
    url = args.db or str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    print(f"database: {url}")
    print(f"rss at start: {rss_mb():.0f} MB")

    from desktop_crm.core import demo
    from desktop_crm.core.app_setup import open_database
    from desktop_crm.core.services import customer_query, users
    from desktop_crm.core.services.context import Ctx
    from desktop_crm.core.services.customer_query import CustomerFilter

    t = time.perf_counter()
    db = open_database(url).db
    print(f"open database (migrations check, search install): {(time.perf_counter() - t) * 1000:.0f} ms")
    admin = Ctx(db, users.actor_by_name(db, None)) if users.has_users(db) else None
    have = customer_query.count(admin, CustomerFilter()) if admin else 0
    if have < args.customers:
        t = time.perf_counter()
        result = demo.generate(db, customers=args.customers - have, seed=args.seed, progress=demo.PrintProgress(),
                               ctx=admin)
        print(f"demo generation of {args.customers - have} customers / {result.contacts} contacts: "
              f"{time.perf_counter() - t:.1f} s  {demo.TIMES}")
        db.dispose()
        db = open_database(url).db
        admin = Ctx(db, users.actor_by_name(db, None))
    else:
        print(f"reusing {have} customers")
    print(f"rss with the database open: {rss_mb():.0f} MB")

    # first screen, as the list opens: count + the first page
    with Clock() as c:
        total = customer_query.count(admin, CustomerFilter())
        rows = customer_query.page(admin, CustomerFilter(), offset=0, limit=PAGE)
    print(f"list first screen (count {total} + first {len(rows)} rows, cold): {c.wall:.1f} ms (cpu {c.cpu:.1f} ms)")
    ms, cpu = [], []
    for _ in range(10):
        with Clock() as c:
            customer_query.count(admin, CustomerFilter())
            customer_query.page(admin, CustomerFilter(), offset=0, limit=PAGE)
        ms.append(c.wall)
        cpu.append(c.cpu)
    print(fmt("list first screen, warm", ms, cpu=cpu))

    rng = random.Random(args.seed)
    for sort, desc in (("code", False), ("name", False), ("created_at", True), ("city", False), ("kind", False),
                       ("owner", False)):
        ms, cpu = [], []
        for _ in range(args.jumps if sort == "code" else max(10, args.jumps // 4)):
            off = rng.randrange(0, max(1, total - PAGE))
            with Clock() as c:
                customer_query.page(admin, CustomerFilter(), sort=sort, descending=desc, offset=off, limit=PAGE)
            ms.append(c.wall)
            cpu.append(c.cpu)
        print(fmt(f"jump to random offset, sort {sort}{' desc' if desc else ''}", ms, cpu=cpu))
    print(f"rss after paging: {rss_mb():.0f} MB")

    queries = sample_queries(db, rng, args.queries)
    staff = Ctx(db, users.actor_by_name(db, "rep1a")) if args.customers else None
    for who, ctx in (("admin", admin), ("staff rep1a", staff)):
        print(f"-- search as you type ({who}): count + first {PAGE} rows")
        for kind, qs in queries.items():
            ms, cpu, hits = [], [], []
            for q in qs:
                flt = CustomerFilter(search=q)
                with Clock() as c:
                    n = customer_query.count(ctx, flt)
                    customer_query.page(ctx, flt, offset=0, limit=PAGE)
                ms.append(c.wall)
                cpu.append(c.cpu)
                hits.append(n)
            print(fmt(kind, ms, f"  matches median {int(statistics.median(hits))}, max {max(hits)}", cpu))
            slow = sorted(zip(ms, qs, hits, strict=True), reverse=True)[:3]
            print("    slowest: " + ", ".join(f"{q!r} {m:.0f} ms ({h})" for m, q, h in slow))
    print(f"rss at the end: {rss_mb():.0f} MB (peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
