"""The report model: JSON contract and cell formatting shared by screen, PDF and CSV."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from export_samples import sample_report

from desktop_crm.core.reporting.formatting import format_cell, formatter
from desktop_crm.core.reporting.model import ChartSeries, Column, Report, Table


def test_json_contract():
    report = sample_report(3)
    data = json.loads(report.to_json())
    assert data["report"] == "composition"
    assert data["title"] == "客户构成 Customer composition"
    assert data["parameters"] == {"group_by": "类别 category", "top": 10}
    assert data["columns"][0] == {"key": "name", "title": "客户名称 Customer"}
    row = data["rows"][1]
    assert row["sales"] == 1234.51 and isinstance(row["sales"], float)
    assert row["orders"] == 1 and isinstance(row["orders"], int)
    assert row["share"] == 0.1234
    assert row["first"] == "2024-03-01"
    assert row["last"] == "2024-03-31T09:30:00"
    assert data["rows"][-1]["first"] is None
    assert data["totals"]["share"] == 1.0
    assert data["sections"]["by_grade"]["rows"] == [{"grade": "A 级", "count": 3}, {"grade": "B 级", "count": 7}]
    assert data["sections"]["by_grade"]["totals"] == {"grade": "合计", "count": 10}
    assert set(data["sections"]["by_grade"]) >= {"columns", "rows", "totals"}


def test_json_numbers_keep_their_full_precision_and_the_renderers_round():
    from desktop_crm.core.reporting.formatting import format_cell

    table = Table([Column("m", "M", "money"), Column("p", "P", "percent")],
                  [{"m": Decimal("1.005"), "p": Decimal("0.123456789")}, {"m": 2.675, "p": 0.5}])
    report = Report("k", "t", table)
    assert [(r["m"], r["p"]) for r in report.to_dict()["rows"]] == [(1.005, 0.123456789), (2.675, 0.5)]
    assert format_cell(Decimal("1.005"), "money") == "¥1.01" and format_cell(Decimal("0.123456789"), "percent") == \
        "12.35%"


@pytest.mark.parametrize(
    "value, kind, text",
    [
        (Decimal("1234.5"), "money", "¥1,234.50"),
        (Decimal("-1234567.891"), "money", "-¥1,234,567.89"),
        (Decimal("1234500"), "wan", "¥123.45万"),
        (0.1234, "percent", "12.34%"),
        (1, "percent", "100.00%"),
        (1234, "int", "1,234"),
        (0.5, "fraction", "0.5000"),
        (1234.567, "number", "1,234.57"),
        (date(2024, 3, 1), "date", "2024-03-01"),
        (datetime(2024, 3, 1, 9, 5, 7), "datetime", "2024-03-01 09:05"),
        (None, "money", ""),
        ("—", "money", "—"),
        ("客户", "text", "客户"),
    ],
)
def test_format_cell(value, kind, text):
    assert format_cell(value, kind) == text
    assert formatter(kind)(value) == text


def test_model_validates_kinds():
    with pytest.raises(ValueError):
        Column("x", "X", "currency")
    with pytest.raises(ValueError):
        ChartSeries("bar", "t", ["a", "b"], [("s", [1])])


def test_tuples_become_named():
    report = sample_report(1)
    assert report.parameters[0].label == "分组 Group by"
    assert report.sections[0].title == "按等级 By grade"
    assert [k for k, _t, _tab in report.tables()] == ["composition", "by_grade"]
