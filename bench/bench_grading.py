"""Grading and period-metrics speed: the services vs the bare SQL aggregates they rest on.

    python bench/bench_grading.py [--customers 1000000] [--orders 10000000] [--db PATH] [--keep]

Targets (DOMAIN §6, issue 5): recompute grades + loyalty + ABC for 1,000,000 customers with
10,000,000 orders ≤ 60 s and ≤ 1.5 GB; the period metrics for a 12-month period ≤ 5 s.

The data is generated in a child process with bulk DBAPI inserts (customers with a status
history, orders over three years with a skewed customer distribution); the measurements run
in fresh child processes so the peak memory (ru_maxrss) is that of the measured work only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

AS_OF = date(2026, 11, 22)
PERIOD = (date(2025, 11, 23), date(2026, 11, 22))


def generate(path: str, n_customers: int, n_orders: int, seed: int = 11) -> None:
    from desktop_crm.core.app_setup import open_database
    from desktop_crm.core.services import users

    opened = open_database(f"sqlite:///{path}")
    users.bootstrap_admin(opened.db, "admin", "bench-pass-123")
    opened.db.dispose()
    import sqlite3

    rnd = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA cache_size=-1000000")
    # bulk load without the secondary indexes, then build them (sorting once beats 10M random inserts)
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND "
                          "tbl_name IN ('orders', 'customers', 'customer_status_history')").fetchall()
    for name, _sql in indexes:
        con.execute(f"DROP INDEX {name}")
    con.execute("BEGIN")
    now = datetime(2020, 1, 1)
    statuses = ["active"] * 80 + ["potential"] * 10 + ["lost"] * 5 + ["target"] * 5
    cust = []
    hist = []
    for i in range(1, n_customers + 1):
        st = statuses[i % 100]
        cust.append((i, f"C{i:07d}", f"客户{i}", f"客户{i}", "enterprise", st, now, False, now, 1))
        hist.append((i, "active" if st == "lost" else st, None, now))
        if st == "lost":
            hist.append((i, "lost", "active", datetime(2026, 1, 1) + timedelta(minutes=i % 400_000)))
        if len(cust) >= 100_000:
            _flush_customers(con, cust, hist)
    _flush_customers(con, cust, hist)
    start = date(2023, 11, 23).toordinal()
    days = AS_OF.toordinal() - start + 1
    batch = []
    for j in range(1, n_orders + 1):
        # skewed: a quarter of the orders go to the first 5% of customers
        cid = rnd.randint(1, max(1, n_customers // 20)) if j % 4 == 0 else rnd.randint(1, n_customers)
        amount = rnd.randint(100, 2_000_000)
        batch.append((f"SO{j:09d}", cid, date.fromordinal(start + rnd.randrange(days)).isoformat(), "商品",
                      "类别" + str(j % 7), 1000, amount, amount * 7 // 10 if j % 3 else None, amount, now, 1))
        if len(batch) >= 200_000:
            _flush_orders(con, batch)
    _flush_orders(con, batch)
    con.execute("COMMIT")
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("ANALYZE")
    con.close()


def _flush_customers(con, cust: list, hist: list) -> None:  # noqa: ANN001
    con.executemany("INSERT INTO customers (id, code, name, name_norm, kind, status, status_since, grade_pinned,"
                    " created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [(a, b, c, d, e, f, g.isoformat(sep=" "), h, i.isoformat(sep=" "), j)
                     for a, b, c, d, e, f, g, h, i, j in cust])
    con.executemany("INSERT INTO customer_status_history (customer_id, status, previous, at) VALUES (?,?,?,?)",
                    [(a, b, c, d.isoformat(sep=" ")) for a, b, c, d in hist])
    cust.clear()
    hist.clear()


def _flush_orders(con, batch: list) -> None:  # noqa: ANN001
    con.executemany("INSERT INTO orders (order_no, customer_id, date, product, category, quantity, amount, cost,"
                    " paid_amount, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [(*r[:9], r[9].isoformat(sep=" "), r[10]) for r in batch])
    batch.clear()


def measure(path: str, what: str) -> dict:
    import resource

    from sqlalchemy import text

    from desktop_crm.core.app_setup import open_database
    from desktop_crm.core.services import grading, metrics, users
    from desktop_crm.core.services.context import Ctx

    db = open_database(f"sqlite:///{path}").db
    ctx = Ctx(db, users.actor_by_name(db, None))
    t = time.perf_counter()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    out: dict = {}
    if what == "bare_grading":
        with db.read() as s:
            p = grading.read_params(s, AS_OF)
            n = sum(1 for _r in s.execute(grading.aggregate_query(p)))
            m = sum(1 for _r in s.execute(text("SELECT id, code, status FROM customers")))
        out = {"aggregate_rows": n, "customer_rows": m}
    elif what == "recompute":
        r = grading.recompute(ctx, AS_OF)
        out = {"population": r.population, "grades": r.grades, "abc": r.abc, "changed": r.changed,
               "timings": {k: round(v, 2) for k, v in r.timings.items()}}
    elif what == "bare_metrics":
        d0, d1 = PERIOD
        with db.read() as s:
            row = s.execute(text(
                "SELECT count(*), sum(n >= 2), sum(n), sum(a) FROM (SELECT customer_id, count(*) n, sum(amount) a "
                "FROM orders WHERE date >= :d0 AND date <= :d1 GROUP BY customer_id)"), {"d0": d0, "d1": d1}).one()
        out = {"row": [int(x or 0) for x in row]}
    elif what == "metrics":
        m = metrics.period_metrics(ctx, *PERIOD)
        out = {k: v for k, v in m.to_json().items() if k != "parameters"}
    out["seconds"] = round(time.perf_counter() - t, 2)
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_seconds"] = round(ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime, 2)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    db.dispose()
    return out


def _child(args: list[str]) -> dict:
    res = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--orders", type=int, default=10_000_000)
    ap.add_argument("--db")
    ap.add_argument("--keep", action="store_true", help="reuse --db if it exists")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(measure(*a.child), ensure_ascii=False, default=str))
        return
    path = a.db or os.path.join(tempfile.mkdtemp(), "bench_grading.sqlite3")
    if a.generate_only:
        generate(path, a.customers, a.orders)
        return
    if not (a.keep and os.path.exists(path)):
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--db", path, "--customers", str(a.customers), "--orders",
                        str(a.orders), "--generate-only"], check=True)
        print(f"generated {a.customers:,} customers and {a.orders:,} orders in {time.perf_counter() - t:.1f} s "
              f"({os.path.getsize(path) / 2**30:.2f} GiB) at {path}")
    rows = [(name, _child(["--child", path, name])) for name in ("bare_grading", "recompute", "recompute", "bare_metrics",
                                                      "metrics")]
    print(f"{'step':<16}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}  detail")
    for name, r in rows:
        detail = {k: v for k, v in r.items() if k not in ("seconds", "cpu_seconds", "peak_rss_mb")}
        print(f"{name:<16}{r['seconds']:>9}{r['cpu_seconds']:>9}{r['peak_rss_mb']:>9}  "
              f"{json.dumps(detail, ensure_ascii=False)[:220]}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("targets: recompute ≤ 60 s and ≤ 1,536 MB at 1M customers / 10M orders; metrics ≤ 5 s")


if __name__ == "__main__":
    main()
