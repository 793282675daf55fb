"""xlsx, csv and json writers read back."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
from export_samples import sample_report

from desktop_crm.core.errors import Cancelled
from desktop_crm.core.exporting.csvjson import csv_rows, write_csv, write_json
from desktop_crm.core.exporting.excel import write_report_xlsx, write_reports_workbook, write_table_xlsx
from desktop_crm.core.exporting.xlsx_cells import SheetStream
from desktop_crm.core.i18n import set_language


@pytest.fixture
def zh():
    set_language("zh_CN")
    yield
    set_language("en")


def test_report_workbook(tmp_path):
    report = sample_report(5)
    path = tmp_path / "r.xlsx"
    write_report_xlsx(report, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "客户构成 Customer composition", "按等级 By grade"]
    summary = wb["Summary"]
    assert summary["A1"].value == "客户构成 Customer composition" and summary["A1"].font.b
    labels = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=2).value for r in range(1, 20)}
    assert labels["Period"] == "2024-03-01 — 2024-03-31"
    assert labels["Scope"] == "全部客户 All customers"
    assert labels["Produced by"] == "张三 Zhang San"
    assert labels["分组 Group by"] == "类别 category"
    assert len(summary._charts) == 1

    data = wb["客户构成 Customer composition"]
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref == "A1:G7"
    header = [c.value for c in data[1]]
    assert header[:3] == ["客户名称 Customer", "订单数 Orders", "销售额 Sales"]
    assert data["A1"].font.b and data["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    row = data[3]
    assert row[0].value == "上海贸易有限公司 1"
    assert row[1].value == 1 and row[1].number_format == "#,##0"
    assert row[2].value == pytest.approx(1234.51) and row[2].number_format == '"¥"#,##0.00;-"¥"#,##0.00'
    assert row[3].value == pytest.approx(0.1234) and row[3].number_format == "0.00%"
    assert row[4].number_format == "0.0000"
    assert row[5].number_format == "yyyy-mm-dd" and row[5].value.year == 2024
    assert row[6].number_format == "yyyy-mm-dd hh:mm"
    totals = data[8]
    assert totals[0].value == "合计 Total" and totals[0].font.b
    assert totals[2].value == pytest.approx(float(sum(r["sales"] for r in report.main.rows)))
    assert data.column_dimensions["A"].width >= 10


def test_chart_kinds(tmp_path):
    for kind in ("bar", "pie", "line"):
        write_report_xlsx(sample_report(2, chart=kind), tmp_path / f"{kind}.xlsx")
        chart = openpyxl.load_workbook(tmp_path / f"{kind}.xlsx")["Summary"]._charts[0]
        assert chart.tagname == {"bar": "barChart", "pie": "pieChart", "line": "lineChart"}[kind]


def test_pack_one_sheet_per_report(tmp_path, zh):
    reports = [sample_report(3), sample_report(2, chart="pie")]
    path = tmp_path / "pack.xlsx"
    write_reports_workbook(reports, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["客户构成 Customer composition", "客户构成 Customer composition (2)"]
    ws = wb.worksheets[0]
    assert "期间: 2024-03-01" in ws["A2"].value  # translated header facts
    assert ws.freeze_panes == "A6" and ws["A5"].value == "客户名称 Customer"
    assert ws.auto_filter.ref == "A5:G9"
    assert len(ws._charts) == 1


def test_table_export_and_progress_cancel(tmp_path):
    report = sample_report(2500)

    class Progress:
        def __init__(self, stop_at=None):
            self.steps, self.stop_at = [], stop_at

        def step(self, done, total):
            self.steps.append((done, total))

        def cancelled(self):
            return self.stop_at is not None and len(self.steps) >= self.stop_at

    progress = Progress()
    write_table_xlsx(report.main.columns, report.main.rows, tmp_path / "l.xlsx", progress=progress)
    assert progress.steps[-1] == (2501, 2501) and len(progress.steps) >= 3
    with pytest.raises(Cancelled):
        write_table_xlsx(report.main.columns, report.main.rows, tmp_path / "c.xlsx", progress=Progress(1))
    assert not (tmp_path / "c.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["l.xlsx"]  # no temporary left behind


def test_stream_hook_pinned(tmp_path):
    """SheetStream relies on WriteOnlyWorksheet._values_to_row (openpyxl private API)."""
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    assert hasattr(WriteOnlyWorksheet, "_values_to_row")
    assert SheetStream  # imported


def test_csv_bom_and_formatting(tmp_path):
    report = sample_report(2)
    path = tmp_path / "r.csv"
    write_csv(report, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig").splitlines()
    assert text[0].startswith("客户名称 Customer,订单数 Orders")
    assert '"¥1,234.50",12.34%' in text[1]
    assert text[-1].startswith("合计 Total")
    assert csv_rows(report.main)[1][2] == "¥1,234.50"
    write_csv(report, tmp_path / "s.csv", include_sections=True)
    assert "按等级 By grade" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")


def test_json_file(tmp_path):
    report = sample_report(2)
    write_json(report, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["rows"][0]["sales"] == 1234.5
    assert data["totals"]["sales"] == float(sum((r["sales"] for r in report.main.rows), Decimal(0)))
    write_json(report.main, tmp_path / "t.json")
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["columns"][0]["key"] == "name"
