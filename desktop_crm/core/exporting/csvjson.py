"""CSV and JSON renderings of a report or a table.

CSV is what a user sees: column titles, cells formatted by `format_cell` (so
money reads `¥1,234.50`, percent `12.34%`), the totals row last; UTF-8 with BOM
so Excel opens Chinese text correctly; formula-like text prefixed with `'`.
JSON follows the contract of `Report.to_dict()` (numbers as numbers).
"""

from __future__ import annotations

import csv
import json
import os
from typing import Any

from desktop_crm.core.exporting.common import Ticker, atomic_path
from desktop_crm.core.exporting.safe import csv_text
from desktop_crm.core.reporting.formatting import formatter
from desktop_crm.core.reporting.model import Report, Table


def write_csv(
    report_or_table: Report | Table,
    path: str | os.PathLike,
    include_sections: bool = False,
    progress: Any = None,
) -> None:
    """The main table (and, when asked, each section after a blank line and its title)."""
    if isinstance(report_or_table, Report):
        tables = [t for _k, _t, t in report_or_table.tables()]
        titles = [title for _k, title, _t in report_or_table.tables()]
        if not include_sections:
            tables, titles = tables[:1], titles[:1]
    else:
        tables, titles = [report_or_table], [None]
    ticker = Ticker(progress, sum(len(t.rows) for t in tables))
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            for i, (table, title) in enumerate(zip(tables, titles, strict=True)):
                if i:
                    writer.writerow([])
                    writer.writerow([csv_text(title)])
                _write_csv_table(writer, table, ticker)
    ticker.finish()


def _write_csv_table(writer: Any, table: Table, ticker: Ticker) -> None:
    cols = table.columns
    writer.writerow([csv_text(c.title) for c in cols])
    fmts = [(c.key, formatter(c.kind)) for c in cols]
    for row in table.rows:
        writer.writerow([_csv_cell(row.get(key), fmt) for key, fmt in fmts])
        ticker.tick()
    if table.totals:
        writer.writerow([_csv_cell(table.totals.get(key), fmt) for key, fmt in fmts])


def _csv_cell(value: Any, fmt: Any) -> str:
    """Text is made safe; numbers and dates are formatted (a leading minus stays a number)."""
    return csv_text(value) if isinstance(value, str) else fmt(value)


def csv_rows(table: Table) -> list[list[str]]:
    """The cells of a table as the CSV shows them (header, rows, totals) — for callers and tests."""
    fmts = [(c.key, formatter(c.kind)) for c in table.columns]
    rows = [[c.title for c in table.columns]]
    rows += [[fmt(row.get(key)) for key, fmt in fmts] for row in table.rows]
    if table.totals:
        rows.append([fmt(table.totals.get(key)) for key, fmt in fmts])
    return rows


def write_json(report_or_table: Report | Table, path: str | os.PathLike, indent: int | None = 2) -> None:
    data = report_or_table.to_dict()
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=indent)
            fh.write("\n")
