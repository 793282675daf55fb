"""Report building speed: every report of the registry over a generated database.

    python bench/bench_reports.py [--customers 20000] [--orders 200000] [--db FILE]

Customers come from the demo generator; orders are bulk-inserted (random dates in the last
two years, products, categories, amounts). Prints the seconds each report takes to build
(the GUI runs this in the background) and to write as xlsx and pdf, with its row count.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from desktop_crm.core import demo  # noqa: E402
from desktop_crm.core.app_setup import open_database  # noqa: E402
from desktop_crm.core.models import Customer, Order  # noqa: E402
from desktop_crm.core.reporting.builders import registry  # noqa: E402
from desktop_crm.core.reporting.builders.params import ReportParams  # noqa: E402
from desktop_crm.core.services import grading, users  # noqa: E402
from desktop_crm.core.services.context import Ctx  # noqa: E402

PRODUCTS = [(f"商品{i:03d}", ["配件", "电子", "用品", "工具"][i % 4]) for i in range(200)]


def fill(db, n_customers: int, n_orders: int) -> None:  # noqa: ANN001
    demo.generate(db, customers=n_customers, seed=7)
    rng = random.Random(7)
    with db.write() as s:
        ids = list(s.scalars(select(Customer.id)))
        start = date.today() - timedelta(days=730)
        batch = []
        for i in range(n_orders):
            product, category = rng.choice(PRODUCTS)
            batch.append({"order_no": f"B{i:09d}", "customer_id": rng.choice(ids),
                          "date": start + timedelta(days=rng.randrange(730)), "product": product,
                          "category": category, "amount": rng.randrange(100, 500_000) / 100, "paid_amount": 0})
            if len(batch) == 20_000:
                s.execute(insert(Order), batch)
                batch = []
        if batch:
            s.execute(insert(Order), batch)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=20_000)
    ap.add_argument("--orders", type=int, default=200_000)
    ap.add_argument("--db")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    path = Path(args.db) if args.db else folder / "crm.sqlite3"
    fresh = not path.exists()
    db = open_database(f"sqlite:///{path}").db
    if fresh:
        t = time.perf_counter()
        fill(db, args.customers, args.orders)
        print(f"generated {args.customers} customers, {args.orders} orders in {time.perf_counter() - t:.1f} s")
    ctx = Ctx(db, users.actor_by_name(db, None))
    if fresh:
        grading.recompute(ctx)
    today = date.today()
    params = ReportParams(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    print(f"{'report':<14}{'rows':>8}{'build s':>10}{'xlsx s':>9}{'pdf s':>9}")
    for name in registry.REPORTS:
        t0 = time.perf_counter()
        report = registry.build(ctx, name, params)
        t1 = time.perf_counter()
        registry.write(ctx, report, folder / f"{name}.xlsx")
        t2 = time.perf_counter()
        registry.write(ctx, report, folder / f"{name}.pdf")
        t3 = time.perf_counter()
        print(f"{name:<14}{report.total_rows():>8}{t1 - t0:>10.2f}{t2 - t1:>9.2f}{t3 - t2:>9.2f}")


if __name__ == "__main__":
    main()
