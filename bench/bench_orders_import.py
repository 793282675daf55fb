"""Order import speed: `import orders` vs the bare reader on the same file.

    python bench/bench_orders_import.py [--rows 100000] [--customers 10000] [--format xlsx|csv|both]

Target (issue 5): 100,000 order rows imported ≤ 15 s. The reader is python-calamine for
.xlsx/.xls (the importer framework's choice: ~10× faster than openpyxl read-only here),
the csv module for .csv. The import reads the file twice (check, then write), so it can
never be faster than two bare reads.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_crm.core.app_setup import open_database  # noqa: E402
from desktop_crm.core.importing import open_sheet, run_import  # noqa: E402
from desktop_crm.core.services import users  # noqa: E402
from desktop_crm.core.services.context import Ctx  # noqa: E402

HEADER = ["订单号", "客户编号", "日期", "商品", "商品类别", "数量", "金额", "成本", "已付金额", "付款期限"]


def rows(n: int, customers: int, seed: int = 5):  # noqa: ANN201
    rnd = random.Random(seed)
    start = date(2024, 1, 1).toordinal()
    for i in range(1, n + 1):
        amount = rnd.randint(100, 500_000) / 100
        d = date.fromordinal(start + rnd.randrange(1000))
        yield [f"SO{i:08d}", f"C{rnd.randint(1, customers):06d}", d, f"商品{i % 500}", f"类别{i % 9}",
               rnd.randint(1, 50), amount, round(amount * 0.7, 2), amount if i % 3 else 0,
               date.fromordinal(d.toordinal() + 30)]


def write_xlsx(path: Path, n: int, customers: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("orders")
    ws.append(HEADER)
    for r in rows(n, customers):
        ws.append(r)
    wb.save(path)


def write_csv(path: Path, n: int, customers: int) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for r in rows(n, customers):
            w.writerow([x.isoformat() if isinstance(x, date) else x for x in r])


def make_db(folder: Path, customers: int) -> Ctx:
    db = open_database(f"sqlite:///{folder / 'crm.sqlite3'}").db
    users.bootstrap_admin(db, "admin", "bench-pass-123")
    now = datetime.now().replace(microsecond=0)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM customers")
        conn.exec_driver_sql(
            "INSERT INTO customers (code, name, name_norm, kind, status, status_since, grade_pinned, created_at,"
            " version) VALUES (?,?,?,?,?,?,?,?,?)",
            [(f"C{i:06d}", f"客户{i}", f"客户{i}", "enterprise", "active", now, False, now, 1)
             for i in range(1, customers + 1)])
    return Ctx(db, users.actor_by_name(db, None))


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def bench(path: Path, customers: int) -> tuple[float, float, object]:
    t, c = time.perf_counter(), _cpu()
    n = sum(1 for _r in open_sheet(path).rows)
    bare, bare_cpu = time.perf_counter() - t, _cpu() - c
    with tempfile.TemporaryDirectory() as tmp:
        ctx = make_db(Path(tmp), customers)
        t, c = time.perf_counter(), _cpu()
        result = run_import(ctx, "orders", path)
        took, took_cpu = time.perf_counter() - t, _cpu() - c
        again_t = time.perf_counter()
        again = run_import(ctx, "orders", path)
        again_took = time.perf_counter() - again_t
        ctx.db.dispose()
    print(f"{path.suffix:<6} rows={n - 1:>7,}  bare reader {bare:6.2f} s   import {took:6.2f} s "
          f"(created {result.created:,}, failed {result.failed})   re-import {again_took:6.2f} s "
          f"(skipped {again.skipped:,})   import/bare = {took / bare:4.1f}")
    print(f"       CPU seconds: bare reader {bare_cpu:6.2f}   import {took_cpu:6.2f}   "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return bare, took, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--customers", type=int, default=10_000)
    ap.add_argument("--format", choices=["xlsx", "csv", "both"], default="both")
    ap.add_argument("--file", help="use this existing file instead of writing one")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if a.file:
            bench(Path(a.file), a.customers)
            return
        for fmt in (["xlsx", "csv"] if a.format == "both" else [a.format]):
            p = folder / f"orders.{fmt}"
            t = time.perf_counter()
            (write_xlsx if fmt == "xlsx" else write_csv)(p, a.rows, a.customers)
            print(f"wrote {p.name} ({p.stat().st_size / 2**20:.1f} MiB) in {time.perf_counter() - t:.1f} s")
            bench(p, a.customers)
            keep = Path(tempfile.gettempdir()) / f"bench_orders_{a.rows}.{fmt}"
            keep.write_bytes(p.read_bytes())
            print(f"kept a copy at {keep} (rerun with --file)")
    print("target: import of 100,000 rows ≤ 15 s")


if __name__ == "__main__":
    main()
