"""The error workbook: the failed rows with their original columns plus "错误 / errors".

It keeps the file's own header row, so a user can correct the rows in it and
import it again (the extra column is ignored with a warning). Text is made
safe: control characters removed, formula-like text stored as text.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from desktop_crm.core.exporting.safe import is_formula_like, mark_string_cell, safe_text
from desktop_crm.core.importing.headers import HeaderMap

ERRORS_HEADER = "错误 / errors"
MAX_TEXT = 32767


def _safe(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, date, datetime)):
        return value
    text = safe_text(str(value))
    return text[:MAX_TEXT]


def error_text(hmap: HeaderMap, errors: dict[str, str], row_no: int) -> str:
    parts = []
    for key, message in errors.items():
        if key == "row" or key not in hmap.index:
            parts.append(message)
        else:
            header = hmap.header_of(key)
            parts.append(f"{header}: {message}" if header == key else f"{header} ({key}): {message}")
    return f"#{row_no}: " + "; ".join(parts)


def write_error_workbook(path: str | os.PathLike, hmap: HeaderMap,
                         failed: list[tuple[int, list[object], dict[str, str]]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from desktop_crm.core.exporting.common import atomic_path

    wb = Workbook()
    ws = wb.active
    ws.title = "errors"
    width = max([len(hmap.headers)] + [len(r) for _n, r, _e in failed])
    headers = list(hmap.headers) + [""] * (width - len(hmap.headers))
    ws.append([*(_safe(h) for h in headers), ERRORS_HEADER])
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    err_fill = PatternFill("solid", fgColor="FCE4D6")
    for row_no, row, errors in failed:
        values = [_safe(v) for v in row] + [None] * (width - len(row))
        ws.append([*values, _safe(error_text(hmap, errors, row_no))])
        for cell in ws[ws.max_row]:
            if is_formula_like(cell.value) or (isinstance(cell.value, str) and cell.data_type == "f"):
                mark_string_cell(cell)
        last = ws.cell(row=ws.max_row, column=width + 1)
        last.fill = err_fill
        last.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.column_dimensions[ws.cell(row=1, column=width + 1).column_letter].width = 60
    with atomic_path(path) as tmp:
        wb.save(tmp)
