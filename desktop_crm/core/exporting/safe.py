"""Cell values that are safe to hand to a spreadsheet.

Text from users (customer names, notes, complaint text) must never become a
formula when someone opens an export: a leading `=`, `+`, `-`, `@`, tab or CR
(and their full-width forms) makes Excel, LibreOffice and others evaluate it.

* `safe_text` strips control characters that XML cannot hold (all of
  \\x00-\\x1f except tab, LF and CR, plus DEL); numbers and other values pass through.
* `is_formula_like` tells whether text would be read as a formula.
* xlsx: such text is written as an explicit string cell with the quote prefix
  (`mark_string_cell`), never as a formula.
* csv: such text gets a leading apostrophe (`csv_text`).
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_text(value: Any) -> Any:
    """Strip control characters from text; anything that is not `str` is returned unchanged."""
    if not isinstance(value, str):
        return value
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return value


def is_formula_like(text: Any) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)


def csv_text(value: Any) -> Any:
    """Text for a CSV field: control characters stripped, text a spreadsheet would take for a formula
    prefixed with `'` — which the importer removes again (readers.unguard)."""
    if not isinstance(value, str):
        return value
    value = safe_text(value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def mark_string_cell(cell) -> None:  # noqa: ANN001 - an openpyxl cell
    """Force an openpyxl cell holding text to be a plain string, shown as text when edited."""
    cell.data_type = "s"
    cell.quotePrefix = True
