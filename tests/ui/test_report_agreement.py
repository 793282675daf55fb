"""THE agreement test (issue 6): for every report, the screen model, the xlsx read back with
openpyxl, the PDF's extracted text (pypdf), the JSON and the CSV carry the same numbers —
in English and in Chinese."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_crm.core import i18n
from desktop_crm.core.exporting.safe import csv_text
from desktop_crm.core.reporting.builders import registry
from desktop_crm.core.reporting.builders.params import ReportParams
from desktop_crm.core.reporting.formatting import format_cell
from desktop_crm.ui.reports.table_model import ReportTableModel
from tests.core import report_world

NAMES = list(registry.REPORTS)


def _screen(table) -> list[list[str]]:  # noqa: ANN001
    model = ReportTableModel(table)
    return [[model.text(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _kinds(table) -> list[str]:  # noqa: ANN001
    return [c.kind for c in table.columns]


def _xlsx_grid(ws, table) -> list[list[str]]:  # noqa: ANN001
    rows = list(ws.iter_rows(values_only=True))
    assert [str(v) for v in rows[0][:len(table.columns)]] == [c.title for c in table.columns]
    kinds = _kinds(table)
    out = []
    for row in rows[1:]:
        cells = list(row[:len(kinds)]) + [None] * (len(kinds) - len(row))
        out.append([format_cell(v, k) for v, k in zip(cells, kinds, strict=True)])
    return out


def _json_cell(value, kind: str):  # noqa: ANN001, ANN202
    """JSON dates are ISO strings; read them back as dates to format them like the screen."""
    if isinstance(value, str) and kind in ("date", "datetime"):
        return datetime.fromisoformat(value) if kind == "datetime" else date.fromisoformat(value)
    return value


def _json_grid(data: dict, table) -> list[list[str]]:  # noqa: ANN001
    keys, kinds = [c.key for c in table.columns], _kinds(table)
    grid = [[format_cell(_json_cell(row[f"{k}_label"] if f"{k}_label" in row else row.get(k), kind), kind)
             for k, kind in zip(keys, kinds, strict=True)] for row in data["rows"]]
    if table.totals:
        grid.append([format_cell(_json_cell(data["totals"].get(k), kind), kind) for k, kind in zip(keys, kinds, strict=True)])
    return grid


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_report(report, tmp_path: Path) -> None:  # noqa: ANN001
    ctx_paths = {ext: tmp_path / f"{report.key}-{i18n.current_language()}.{ext}" for ext in ("xlsx", "pdf", "json",
                                                                                               "csv")}
    from desktop_crm.core.exporting.csvjson import write_csv, write_json
    from desktop_crm.core.exporting.excel import write_report_xlsx
    from desktop_crm.core.exporting.pdf import write_report_pdf

    write_report_xlsx(report, ctx_paths["xlsx"])
    write_report_pdf(report, ctx_paths["pdf"])
    write_json(report, ctx_paths["json"])
    write_csv(report, ctx_paths["csv"], include_sections=True)

    wb = load_workbook(ctx_paths["xlsx"])
    data = json.loads(ctx_paths["json"].read_text(encoding="utf-8"))
    pdf_text = _squash("".join(page.extract_text() for page in PdfReader(ctx_paths["pdf"]).pages))
    csv_rows = [r for r in csv.reader(ctx_paths["csv"].open(encoding="utf-8-sig"))]
    sheets = wb.sheetnames[1:]  # after the summary sheet, one per table in order
    tables = report.tables()
    assert len(sheets) == len(tables)
    for (key, _title, table), sheet in zip(tables, sheets, strict=True):
        screen = _screen(table)
        assert _xlsx_grid(wb[sheet], table) == screen, f"{report.key}/{key}: xlsx differs from the screen"
        part = data if key == report.key else data["sections"][key]
        assert _json_grid(part, table) == screen, f"{report.key}/{key}: json differs from the screen"
        for row in screen:
            safe = [csv_text(text) if not c.numeric else text for text, c in zip(row, table.columns, strict=True)]
            assert safe in csv_rows, f"{report.key}/{key}: csv lacks {row}"
        for row in screen:
            for text, column in zip(row, table.columns, strict=True):
                if column.numeric and text:
                    assert _squash(text) in pdf_text, f"{report.key}/{key}: pdf lacks {text!r}"
    if report.chart is not None:
        assert len(wb.worksheets[0]._charts) == 1


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_report_agrees_everywhere(qapp, team, tmp_path, lang):  # noqa: ANN001
    report_world.build(team)
    i18n.set_language(lang)
    manager = team["manager"]
    seen = set()
    for name in NAMES:
        params = ReportParams(*report_world.PERIOD, "all", by="grade" if name == "composition" else None,
                              target=Decimal("120000") if name == "seasonal" else None)
        report = registry.build(manager, name, params)
        assert report.main.rows, f"{name} has no rows"
        _check_report(report, tmp_path)
        seen.add(name)
    assert seen == set(NAMES)
