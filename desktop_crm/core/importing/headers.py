"""Matching a file's header row to an import spec's columns.

A header cell matches a column by its English key (`credit_code`, also
`credit code`/`Credit-Code`), its English label, or one of its Chinese aliases
(`统一社会信用代码`). Comparison ignores case, full/half width, spaces, a
trailing `*` or `(必填)` required mark. A cell that combines both languages —
`客户编号 / code`, `客户编号(code)`, `客户编号\\ncode` — matches too, which is
how the shipped templates label their columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop_crm.core.i18n import _
from desktop_crm.core.importing.readers import ImportFileError

_MARKS = re.compile(r"[\s_\-*＊:：]+|[(（]\s*(必填|必须|required|optional|选填)\s*[)）]", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:/|\||\n|[(（]|[)）])\s*")


@dataclass(frozen=True)
class ImportColumn:
    """One column an importer understands: `key` (English, used in files and code),
    Chinese `aliases` (the first is the template's Chinese header), a required flag
    and the English `label` (translated when shown; also accepted as a header)."""

    key: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    label: str = ""
    help: str = ""  # English: what the column holds (the template's help sheet)

    @property
    def zh(self) -> str:
        return self.aliases[0] if self.aliases else self.key

    def names(self) -> set[str]:
        out = {norm(self.key), norm(self.key.replace("_", " "))}
        if self.label:
            out.add(norm(self.label))
        out.update(norm(a) for a in self.aliases)
        out.discard("")
        return out


def norm(text: object) -> str:
    """A header as compared: NFKC, lower case, no spaces/underscores/dashes or required marks."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return _MARKS.sub("", s)


@dataclass
class HeaderMap:
    index: dict[str, int]  # column key -> position in the row
    headers: list[str]  # the header cells as written (for the error workbook)
    unknown: list[str] = field(default_factory=list)

    def header_of(self, key: str) -> str:
        i = self.index.get(key)
        return self.headers[i] if i is not None and self.headers[i] else key

    def values(self, row: Sequence[object]) -> dict[str, object]:
        n = len(row)
        return {k: (row[i] if i < n else None) for k, i in self.index.items()}


def _lookup(columns: Sequence[ImportColumn]) -> dict[str, str]:
    table: dict[str, str] = {}
    for col in columns:
        for name in col.names():
            table.setdefault(name, col.key)
    return table


def match_header(cell: object, table: dict[str, str]) -> str | None:
    whole = norm(cell)
    if not whole:
        return None
    if whole in table:
        return table[whole]
    found = {table[p] for p in (norm(x) for x in _SPLIT.split(str(cell))) if p in table}
    return found.pop() if len(found) == 1 else None


def score(row: Sequence[object], columns: Sequence[ImportColumn]) -> int:
    table = _lookup(columns)
    return sum(1 for cell in row if match_header(cell, table))


def map_headers(row: Sequence[object], columns: Sequence[ImportColumn],
                required: Sequence[str] | None = None) -> HeaderMap:
    """Map a header row; ImportFileError when a required column (`required`: these keys instead of the
    columns' own marks) is missing or a column repeats."""
    table = _lookup(columns)
    index: dict[str, int] = {}
    headers = ["" if c is None else str(c).strip() for c in row]
    unknown: list[str] = []
    for i, cell in enumerate(headers):
        if not cell:
            continue
        key = match_header(cell, table)
        if key is None:
            unknown.append(cell)
        elif key in index:
            raise ImportFileError(_("Column \"{header}\" appears twice (as \"{first}\" and \"{second}\").").format(
                header=key, first=headers[index[key]], second=cell))
        else:
            index[key] = i
    needed = set(required) if required is not None else {c.key for c in columns if c.required}
    missing = [c for c in columns if c.key in needed and c.key not in index]
    if missing:
        names = ", ".join(f"{c.zh} ({c.key})" for c in missing)
        raise ImportFileError(_("Required columns are missing: {names}.").format(names=names))
    if not index:
        raise ImportFileError(_("No known column headers found in the first row."))
    return HeaderMap(index=index, headers=headers, unknown=unknown)
