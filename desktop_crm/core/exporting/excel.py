"""Excel (.xlsx) rendering of the report model, streamed with openpyxl's write-only mode.

* `write_report_xlsx`: a summary sheet (title, header facts, parameters, notes,
  chart data and a native chart) and one data sheet per table.
* `write_reports_workbook`: the monthly pack, one sheet per report.
* `write_table_xlsx`: a list "as shown" (one data sheet).

Data sheets have a styled header, frozen panes, an autofilter, column widths,
number formats by column kind and a bold totals row. No text is ever written
as a formula (see `safe`). Rows are streamed through `xlsx_cells.SheetStream`,
which reuses one prepared cell per column so styling costs nothing per cell.
"""

from __future__ import annotations

import contextlib
import os
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.utils import get_column_letter

from desktop_crm.core.exporting.common import Ticker, atomic_path, display_width
from desktop_crm.core.exporting.xlsx_cells import SheetStream, Styles
from desktop_crm.core.i18n import _
from desktop_crm.core.reporting.formatting import WAN, formatter
from desktop_crm.core.reporting.model import Column, Report, Table

WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def write_report_xlsx(report: Report, path: str | os.PathLike, progress: Any = None) -> None:
    """One report: a summary sheet with the chart, then a data sheet per table."""
    ticker = Ticker(progress, report.total_rows())
    with atomic_path(path) as tmp:
        wb = Workbook(write_only=True)
        with _abandon_on_error(wb):
            styles = Styles(wb)
            names = _SheetNames()
            _write_summary(wb, styles, names.take(_("Summary")), report)
            for _key, title, table in report.tables():
                ws = wb.create_sheet(names.take(title))
                _write_table(SheetStream(ws, styles), table, ticker, freeze=True)
        wb.save(tmp)
    ticker.finish()


def write_reports_workbook(reports: list[Report], path: str | os.PathLike, progress: Any = None) -> None:
    """The monthly pack: one sheet per report (header block, tables, chart)."""
    ticker = Ticker(progress, sum(r.total_rows() for r in reports))
    with atomic_path(path) as tmp:
        wb = Workbook(write_only=True)
        with _abandon_on_error(wb):
            styles = Styles(wb)
            names = _SheetNames()
            for report in reports:
                _write_report_sheet(wb, styles, names.take(report.title), report, ticker)
        wb.save(tmp)
    ticker.finish()


def write_table_xlsx(
    columns: list[Column],
    rows: list[dict[str, Any]],
    path: str | os.PathLike,
    totals: dict[str, Any] | None = None,
    sheet_title: str | None = None,
    progress: Any = None,
) -> None:
    """A list as shown (current filter and columns) as one data sheet."""
    table = Table(columns=list(columns), rows=rows, totals=totals)
    ticker = Ticker(progress, len(rows))
    with atomic_path(path) as tmp:
        wb = Workbook(write_only=True)
        with _abandon_on_error(wb):
            ws = wb.create_sheet(_SheetNames().take(sheet_title or _("Data")))
            _write_table(SheetStream(ws, Styles(wb)), table, ticker, freeze=True)
        wb.save(tmp)
    ticker.finish()


# -- layout -----------------------------------------------------------------------------------


def _write_table(out: SheetStream, table: Table, ticker: Ticker, freeze: bool) -> None:
    """Header, rows and totals starting at the stream's next row; sets widths/filter if first."""
    cols = table.columns
    first = out.row + 1
    if out.row == 0:
        _set_widths(out.ws, table)
        if freeze:
            out.ws.freeze_panes = f"A{first + 1}"
        if cols and table.rows:
            out.ws.auto_filter.ref = f"A{first}:{get_column_letter(len(cols))}{first + len(table.rows)}"
    _write_body(out, table, ticker)


def _write_body(out: SheetStream, table: Table, ticker: Ticker) -> None:
    cols = table.columns
    kinds = [c.kind for c in cols]
    keys = [c.key for c in cols]
    out.header([c.title for c in cols])
    body = out.cells(kinds)
    append = out.append
    tick = ticker.tick
    convert = [(i, CELL_VALUE[kind]) for i, kind in enumerate(kinds) if kind in CELL_VALUE]
    for row in table.rows:
        values = [row.get(k) for k in keys]
        for i, fn in convert:
            values[i] = fn(values[i])
        append(body, values)
        tick()
    if table.totals:
        values = [table.totals.get(k) for k in keys]
        for i, fn in convert:
            values[i] = fn(values[i])
        out.append(out.cells(kinds, bold=True), values)
    ticker.check()


def _whole(value: Any) -> Any:
    """Counts are whole numbers in the workbook, whatever number type the builder left."""
    return int(value) if isinstance(value, float | Decimal) and value == int(value) else value


def _in_wan(value: Any) -> Any:
    return Decimal(str(value)) / WAN if isinstance(value, int | float | Decimal) and not isinstance(value, bool) \
        else value


# what a cell holds, by column kind, when it is not the model's value itself
CELL_VALUE = {"int": _whole, "wan": _in_wan}


def _header_facts(report: Report) -> list[tuple[str, Any]]:
    facts = [
        (_("Company"), report.company),
        (_("Period"), report.period),
        (_("Scope"), report.scope),
        (_("Produced by"), report.produced_by),
        (_("Produced at"), report.produced_at),
    ]
    return [(k, v) for k, v in facts if v not in (None, "")]


def _write_summary(wb: Workbook, styles: Styles, title: str, report: Report) -> None:
    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 40
    out = SheetStream(ws, styles)
    out.title_row(report.title)
    facts = _header_facts(report)
    label = out.cells(["text"], bold=True)[0]
    text = out.cells(["text", "text"])[1]
    stamp = out.cells(["text", "datetime"])[1]
    for key, value in facts:
        out.append([label, stamp if key == _("Produced at") else text], [key, value])
    if report.parameters:
        out.blank()
        out.append([label], [_("Parameters")])
        for p in report.parameters:
            out.append([label, text], [p.label, _cell_value(p.value)])
    _write_notes(out, report)
    if report.chart is not None:
        out.blank()
        _write_chart(out, report, anchor=f"D{2}")


def _write_report_sheet(wb: Workbook, styles: Styles, title: str, report: Report, ticker: Ticker) -> None:
    """Pack layout: title, one line of facts, parameters, tables below each other, chart data last."""
    ws = wb.create_sheet(title)
    tables = report.tables()
    _set_widths(ws, report.main)
    facts = "  ·  ".join(f"{k}: {_fact_text(v)}" for k, v in _header_facts(report))
    params = "  ·  ".join(f"{p.label}: {_fact_text(p.value)}" for p in report.parameters)
    lines = [line for line in (facts, params) if line]
    header_row = len(lines) + 3  # title, lines, blank, header
    ws.freeze_panes = f"A{header_row + 1}"  # sheet views are written with the first row
    out = SheetStream(ws, styles)
    out.title_row(report.title)
    text = out.cells(["text"])
    for line in lines:
        out.append(text, [line])
    out.blank()
    assert out.row + 1 == header_row
    main = report.main
    if main.columns and main.rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(main.columns))}{header_row + len(main.rows)}"
    _write_body(out, main, ticker)
    for _key, section_title, table in tables[1:]:
        out.blank()
        out.append(out.cells(["text"], bold=True), [section_title])
        _write_body(out, table, ticker)
    _write_notes(out, report)
    if report.chart is not None:
        out.blank()
        _write_chart(out, report, anchor=f"{get_column_letter(len(main.columns) + 2)}{header_row}")


def _write_notes(out: SheetStream, report: Report) -> None:
    if report.notes:
        out.blank()
        out.append(out.cells(["text"], bold=True), [_("Notes")])
        text = out.cells(["text"])
        for note in report.notes:
            out.append(text, [note])


def _write_chart(out: SheetStream, report: Report, anchor: str) -> None:
    """Write the chart's data as a small table and add a native chart referencing it."""
    chart = report.chart
    assert chart is not None
    names = [name for name, _values in chart.series]
    first = out.row + 1
    out.header([_("Category"), *names])
    cells = out.cells(["text"] + ["number"] * len(names))
    for i, category in enumerate(chart.categories):
        out.append(cells, [category, *(float(values[i] or 0) for _n, values in chart.series)])
    last = out.row
    if chart.kind == "pie":
        native = PieChart()
    elif chart.kind == "line":
        native = LineChart()
    else:
        native = BarChart()
        native.type = "col"
    native.title = chart.title or report.title
    native.width, native.height = 18, 9
    if last > first:
        data = Reference(out.ws, min_col=2, max_col=1 + len(names), min_row=first, max_row=last)
        native.add_data(data, titles_from_data=True)
        native.set_categories(Reference(out.ws, min_col=1, min_row=first + 1, max_row=last))
    out.ws.add_chart(native, anchor)


# -- helpers ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _abandon_on_error(wb: Workbook):
    """On failure (or Cancelled), close the half-written sheets' streams before their files go away."""
    try:
        yield
    except BaseException:
        for ws in wb.worksheets:
            with contextlib.suppress(Exception):
                ws.close()
        raise


def _set_widths(ws, table: Table) -> None:  # noqa: ANN001 - write-only worksheet
    """Column widths from the title and a sample of formatted values (before any row is written)."""
    sample = table.rows[:WIDTH_SAMPLE_ROWS]
    if table.totals:
        sample = [*sample, table.totals]
    for i, col in enumerate(table.columns, 1):
        if col.width:
            width = col.width
        else:
            fmt = formatter(col.kind)
            width = display_width(col.title)
            for row in sample:
                width = max(width, display_width(fmt(row.get(col.key))))
            width += 2
        ws.column_dimensions[get_column_letter(i)].width = max(MIN_WIDTH, min(MAX_WIDTH, width))


def _cell_value(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float)) else _fact_text(value)


def _fact_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else value.isoformat()
    return str(value)


class _SheetNames:
    """Valid, unique sheet names (≤ 31 characters, none of []:*?/\\)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, title: str) -> str:
        base = (str(title or "").translate(_BAD_SHEET_CHARS).strip().strip("'") or "Sheet")[:31]
        name, n = base, 2
        while name.lower() in self.used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.used.add(name.lower())
        return name
