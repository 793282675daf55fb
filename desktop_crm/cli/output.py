"""Printing results as a table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from desktop_crm.core.exporting.safe import csv_text


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def emit(rows: Iterable[dict], columns: list[str], fmt: str = "table", out=None) -> None:  # noqa: ANN001
    out = out or sys.stdout
    if fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, default=_json_default, indent=1)
        out.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        for r in rows:  # text never becomes a formula in a spreadsheet (DOMAIN §8); numbers stay numbers
            writer.writerow([csv_text(v) if isinstance(v := r.get(c), str) else _cell(v) for c in columns])
        return
    rows = list(rows)
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out.write(line(columns) + "\n")
    for row in cells:
        out.write(line(row) + "\n")
