"""Small reports in Chinese and English shared by the export tests."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from desktop_crm.core.reporting.model import ChartSeries, Column, Report, Table

INJECTIONS = ['=HYPERLINK("http://x","y")', "+cmd", "-1+1", "@SUM(A1)", "\tx", "\rx"]

COLUMNS = [
    Column("name", "客户名称 Customer"),
    Column("orders", "订单数 Orders", "int"),
    Column("sales", "销售额 Sales", "money"),
    Column("share", "占比 Share", "percent"),
    Column("index", "指数 Index", "fraction"),
    Column("first", "首次交易 First", "date"),
    Column("last", "最近联系 Last", "datetime"),
]


def sample_rows(n: int) -> list[dict]:
    return [
        {
            "name": f"上海贸易有限公司 {i}" if i % 2 else f"Acme Trading {i}",
            "orders": i,
            "sales": Decimal(1234_50 + i) / 100,
            "share": 0.1234,
            "index": 0.5,
            "first": date(2024, 3, 1),
            "last": datetime(2024, 3, 31, 9, 30),
        }
        for i in range(n)
    ]


def sample_report(n: int = 5, chart: str | None = "bar") -> Report:
    rows = sample_rows(n)
    rows.append({"name": INJECTIONS[0], "orders": -1, "sales": Decimal("-5.25"), "share": 0.0})
    totals = {"name": "合计 Total", "orders": sum(r["orders"] for r in rows),
              "sales": sum((r["sales"] for r in rows), Decimal(0)), "share": 1.0}
    section = Table([Column("grade", "等级 Grade"), Column("count", "客户数 Count", "int")],
                    [{"grade": "A 级", "count": 3}, {"grade": "B 级", "count": 7}], {"grade": "合计", "count": 10})
    return Report(
        key="composition",
        title="客户构成 Customer composition",
        main=Table(COLUMNS, rows, totals),
        period="2024-03-01 — 2024-03-31",
        parameters=[("分组 Group by", "类别 category", "group_by"), ("Top N", 10, "top")],
        scope="全部客户 All customers",
        company="示例贸易有限公司 Example Trading Ltd.",
        produced_by="张三 Zhang San",
        produced_at=datetime(2024, 4, 1, 8, 0),
        sections=[("by_grade", "按等级 By grade", section)],
        chart=None if chart is None else ChartSeries(
            chart, "销售额 Sales", ["批发 Wholesale", "零售 Retail", "代理 Agent"],
            [("2023", [100, 200, 150]), ("2024", [120, 180, 170])] if chart != "pie" else [("2024", [5, 3, 2])]),
        notes=["数据截至月末 Data as of month end."],
    )
