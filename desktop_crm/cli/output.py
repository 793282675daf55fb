"""Printing results as a table, CSV or JSON, and the options every list takes.

One rule for every list: a table on the screen is viewing; CSV and JSON (like any `--out` file)
are exports, refused to a viewer without the export right. `--limit` must be 1 or more.
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from desktop_crm.core.exporting.safe import csv_text
from desktop_crm.core.i18n import _
from desktop_crm.core.services.permissions import require_export

MACHINE = ("csv", "json")


def positive_int(text: str) -> int:
    """argparse type for --limit and other counts: a whole number of 1 or more."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a whole number").format(value=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be 1 or more, not {value}").format(value=value))
    return value


def add_list_options(p, formats: tuple[str, ...] = ("table", "csv", "json"), *, limit: bool = True,  # noqa: ANN001
                     default: str = "table") -> None:
    p.add_argument("--format", choices=list(formats), default=default,
                   help=_("table on the screen; csv and json are exports"))
    if limit:
        p.add_argument("--limit", type=positive_int, metavar="N", help=_("at most N rows (1 or more)"))


def check_format(ctx, fmt: str) -> None:  # noqa: ANN001
    """CSV and JSON are exports: the export right applies (checked before anything is read)."""
    if fmt in MACHINE:
        require_export(ctx.actor)


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


def emit(rows: Iterable[dict], columns: list[str], fmt: str, out=None, *, ctx) -> None:  # noqa: ANN001
    check_format(ctx, fmt)
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
