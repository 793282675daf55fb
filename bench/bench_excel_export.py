"""Excel export speed: the report writer vs a bare openpyxl write-only loop over the same cells.

    python bench/bench_excel_export.py [--rows 100000] [--repeat 2]

Target (ratio printed last): write_report_xlsx ≤ 1.2 × bare loop.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from desktop_crm.core.exporting.excel import write_report_xlsx  # noqa: E402
from desktop_crm.core.reporting.model import ChartSeries, Column, Report, Table  # noqa: E402

COLUMNS = [
    Column("code", "客户编号 Code"),
    Column("name", "客户名称 Name"),
    Column("category", "类别 Category"),
    Column("orders", "订单数 Orders", "int"),
    Column("sales", "销售额 Sales", "money"),
    Column("share", "占比 Share", "percent"),
    Column("index", "指数 Index", "fraction"),
    Column("first", "首次 First", "date"),
    Column("last", "最近 Last", "datetime"),
    Column("note", "备注 Note"),
]


def build_report(n: int, seed: int = 7) -> Report:
    rnd = random.Random(seed)
    cats = ["批发 wholesale", "零售 retail", "代理 agent", "=SUM(A1)", "VIP"]
    start = datetime(2023, 1, 1, 9, 0)
    rows = []
    for i in range(n):
        rows.append({
            "code": f"C{i:06d}",
            "name": f"客户{i} Customer {i}",
            "category": cats[i % len(cats)],
            "orders": rnd.randint(0, 500),
            "sales": Decimal(rnd.randint(0, 10**8)) / 100,
            "share": rnd.random(),
            "index": rnd.random() * 2,
            "first": date(2023, 1, 1) + timedelta(days=i % 365),
            "last": start + timedelta(minutes=i),
            "note": None if i % 3 else f"回访 follow-up {i}",
        })
    totals = {"code": "合计 Total", "orders": sum(r["orders"] for r in rows),
              "sales": sum((r["sales"] for r in rows), Decimal(0)), "share": 1.0}
    chart = ChartSeries("bar", "Sales by category", cats, [("Sales", [1, 2, 3, 4, 5])])
    return Report(key="bench", title="基准 Benchmark", main=Table(COLUMNS, rows, totals), period="2024",
                  company="ACME 公司", produced_by="bench", chart=chart)


def bare(report: Report, path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    keys = [c.key for c in report.main.columns]
    ws.append([c.title for c in report.main.columns])
    for row in report.main.rows:
        ws.append([row.get(k) for k in keys])
    ws.append([report.main.totals.get(k) for k in keys])
    wb.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    report = build_report(args.rows)
    best = {"bare": float("inf"), "report": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for name, fn in (("bare", bare), ("report", write_report_xlsx)):
                t0 = time.perf_counter()
                fn(report, Path(tmp) / f"{name}.xlsx")
                best[name] = min(best[name], time.perf_counter() - t0)
    print(f"rows={args.rows} cols={len(COLUMNS)} (best of {args.repeat})")
    print(f"bare openpyxl write-only loop : {best['bare']:.2f} s")
    print(f"write_report_xlsx             : {best['report']:.2f} s")
    print(f"ratio                         : {best['report'] / best['bare']:.2f}  (target <= 1.20)")


if __name__ == "__main__":
    main()
