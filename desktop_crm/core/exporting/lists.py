"""Exporting a list as shown (current filter and columns) to `.xlsx` or `.csv`.

Values are shown as on screen, in both formats: enumerations as their
translated labels, tags without fences, yes/no as words, the owner by name;
column titles translated. Dates, times and amounts stay typed in xlsx (number
formats) and are formatted in csv. The list goes through the report model and
the shared writers (`excel.write_table_xlsx`, `csvjson.write_csv`), so text is
never written as a formula (see `safe`), csv is UTF-8 with BOM, and the file
appears only when complete. Rows are streamed from the database in pages, never
all held in memory. Permission: `require_export` and the actor's customer scope
(`customer_query.all_rows` applies it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from desktop_crm.core.errors import ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.reporting.model import Column, Table
from desktop_crm.core.rules.validation import display_phone
from desktop_crm.core.services import customer_query
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD, FieldDef, display
from desktop_crm.core.services.customer_query import DEFAULT_COLUMNS, CustomerFilter
from desktop_crm.core.services.permissions import require_export

FORMATS = (".xlsx", ".csv")
_KINDS = {"date": "date", "datetime": "datetime", "money": "money", "int": "int"}
HEAD_ROWS = 200  # rows the xlsx writer samples for column widths


def column_kind(f: FieldDef) -> str:
    return _KINDS.get(f.kind, "text")


def shown_value(f: FieldDef, value: object) -> object:
    """The cell value as the list shows it; typed values (dates, amounts, numbers) stay typed."""
    if value is None:
        return None
    if f.enum is not None or f.kind in ("tags", "bool"):
        return display(f, value)
    if f.kind == "phone":  # the one form people read (and the importer takes back)
        return display_phone(str(value))
    return value


class _LazyRows:
    """A sequence of row dicts that streams from the database: `len()`, the first rows
    (`rows[:n]`, for column widths) and iteration, without holding every row."""

    def __init__(self, count: int, head: list[dict[str, Any]], stream: Callable[[], Iterator[dict[str, Any]]]):
        self._count, self._head, self._stream = count, head, stream

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        if not isinstance(index, slice) or (index.stop or 0) > len(self._head) and self._count > len(self._head):
            raise IndexError("only the first rows of a streamed list can be sliced")
        return self._head[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._stream()


def customer_table(ctx: Ctx, flt: CustomerFilter, columns: list[str] | None = None, *, sort: str = "code",
                   descending: bool = False) -> Table:
    """The customer list as a report-model table whose rows stream from the database."""
    columns = list(columns or DEFAULT_COLUMNS)
    bad = [c for c in columns if c not in CUSTOMER_FIELD]
    if bad:
        raise ValidationError({"columns": _("unknown field: {names}").format(names=", ".join(bad))})
    fields = [CUSTOMER_FIELD[c] for c in columns]
    cols = [Column(f.key, _(f.label), column_kind(f)) for f in fields]

    def stream() -> Iterator[dict[str, Any]]:
        for r in customer_query.all_rows(ctx, flt, columns=columns, sort=sort, descending=descending):
            yield {f.key: shown_value(f, v) for f, v in zip(fields, r[2:], strict=True)}

    head: list[dict[str, Any]] = []
    for row in stream():
        head.append(row)
        if len(head) >= HEAD_ROWS:
            break
    count = len(head) if len(head) < HEAD_ROWS else customer_query.count(ctx, flt)
    return Table(columns=cols, rows=_LazyRows(count, head, stream))  # type: ignore[arg-type]


def export_customers(ctx: Ctx, flt: CustomerFilter, columns: list[str] | None, path: str | os.PathLike,
                     progress: Any = None, *, sort: str = "code", descending: bool = False) -> int:
    """Write the filtered customer list to `path` (.xlsx or .csv); returns the number of rows."""
    require_export(ctx.actor)
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError({"path": _("use a .xlsx or .csv file name")})
    table = customer_table(ctx, flt, columns, sort=sort, descending=descending)
    if suffix == ".xlsx":
        from desktop_crm.core.exporting.excel import write_table_xlsx

        write_table_xlsx(table.columns, table.rows, path, sheet_title=_("Customers"), progress=progress)
    else:
        from desktop_crm.core.exporting.csvjson import write_csv

        write_csv(table, path, progress=progress)
    return len(table.rows)
