"""Fast, safe styled cells for openpyxl write-only sheets.

openpyxl's write-only `append` builds a new cell per value, and a styled cell
costs a `WriteOnlyCell`, an exception inside `append` and a style lookup per
cell. `SheetStream` instead prepares one cell per column with a fixed style id
and reuses it for every row (the writer serialises each cell before the next
one is produced). It hooks the sheet's `_values_to_row` — a private openpyxl
method (3.1) pinned by `tests/unit/test_export_excel.py`.

Every text value goes through the `safe` rules: control characters removed,
typed as a string (never a formula), formula-like text with the quote prefix.
"""

from __future__ import annotations

import numbers
from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from desktop_crm.core.exporting.safe import _CONTROL, FORMULA_TRIGGERS

NUMBER_FORMATS = {
    "int": "#,##0",
    "money": '"¥"#,##0.00;-"¥"#,##0.00',
    "wan": '"¥"#,##0.00"万";-"¥"#,##0.00"万"',  # the cell holds the amount ÷ 10,000
    "percent": "0.00%",
    "fraction": "0.0000",
    "number": "#,##0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
MAX_CELL_TEXT = 32767
HEADER_FILL = "DDEBF7"
_DATA_TYPES = {
    str: "s",
    int: "n",
    float: "n",
    Decimal: "n",
    bool: "b",
    date: "d",
    datetime: "d",
    time: "d",
}
_THIN = Side(style="thin", color="808080")


class _Cell(Cell):
    """A reusable cell whose style id is fixed (registered once in the workbook)."""

    __slots__ = ("_sid", "quoted")

    def __init__(self, ws: Any, column: int, sid: int, quoted: _Cell | None = None):
        super().__init__(ws, row=1, column=column)
        self._sid = sid
        self.quoted = quoted

    @property
    def style_id(self) -> int:
        return self._sid

    @property
    def has_style(self) -> bool:
        return self._sid != 0


class Styles:
    """Cell styles of one workbook, registered once and looked up by name."""

    def __init__(self, wb: Any):
        self._owner = SimpleNamespace(parent=wb)
        self._ids: dict[tuple, int] = {}

    def sid(self, kind: str = "text", bold: bool = False, header: bool = False,
            title: bool = False, quoted: bool = False) -> int:
        key = (kind, bold, header, title, quoted)
        found = self._ids.get(key)
        if found is not None:
            return found
        cell = Cell(self._owner)
        fmt = NUMBER_FORMATS.get(kind)
        if fmt:
            cell.number_format = fmt
        if title:
            cell.font = Font(bold=True, size=14)
        elif bold or header:
            cell.font = Font(bold=True)
        if header:
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(bottom=_THIN, top=_THIN)
        elif bold and not title:
            cell.border = Border(top=_THIN)
        if quoted:
            cell.quotePrefix = True
        sid = self._owner.parent._cell_styles.add(cell._style) if cell.has_style else 0
        self._ids[key] = sid
        return sid


class SheetStream:
    """Appends rows of values to a write-only sheet through prepared cells; counts rows."""

    def __init__(self, ws: Any, styles: Styles):
        self.ws = ws
        self.styles = styles
        self.row = 0
        ws._values_to_row = self._cells_for

    def cells(self, kinds: list[str], bold: bool = False, header: bool = False,
              title: bool = False) -> list[_Cell]:
        out = []
        for i, kind in enumerate(kinds, 1):
            sid = self.styles.sid(kind, bold=bold, header=header, title=title)
            qsid = self.styles.sid("text", bold=bold, header=header, title=title, quoted=True)
            out.append(_Cell(self.ws, i, sid, _Cell(self.ws, i, qsid)))
        return out

    def append(self, cells: list[_Cell], values: list[Any]) -> None:
        self.row += 1
        self.ws.append((cells, values))

    def blank(self) -> None:
        self.append([], [])

    def header(self, titles: list[str]) -> None:
        self.append(self.cells(["text"] * len(titles), header=True), titles)

    def title_row(self, text: str) -> None:
        self.append(self.cells(["text"], title=True), [text])

    def _cells_for(self, item: tuple[list[_Cell], list[Any]], row_idx: int):
        cells, values = item
        for cell, value in zip(cells, values, strict=False):
            if value is None:
                continue
            dtype = _DATA_TYPES.get(value.__class__)
            if dtype is None:
                value, dtype = _coerce(value)
            if dtype == "s":
                if _CONTROL.search(value):
                    value = _CONTROL.sub("", value)
                if len(value) > MAX_CELL_TEXT:
                    value = value[:MAX_CELL_TEXT]
                if value.startswith(FORMULA_TRIGGERS):
                    cell = cell.quoted
            cell.row = row_idx
            cell._value = value
            cell.data_type = dtype
            yield cell


def _coerce(value: Any) -> tuple[Any, str]:
    if isinstance(value, str):
        return str(value), "s"
    if isinstance(value, bool):
        return bool(value), "b"
    if isinstance(value, numbers.Number):
        return float(value), "n"
    if isinstance(value, datetime):
        return datetime(*value.timetuple()[:6]), "d"
    if isinstance(value, date):
        return date(value.year, value.month, value.day), "d"
    return str(value), "s"
