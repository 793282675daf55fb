"""Reading import files: `.xlsx`/`.xlsm`/`.xls`/`.ods` and `.csv`/`.tsv`/`.txt`.

Spreadsheets are read with python-calamine (measured here: ~2 s for 100k×10
cells, against ~20 s for openpyxl's read-only mode); openpyxl is kept as a
fallback for `.xlsx` files calamine refuses. The format is chosen by the file's
content (a zip is xlsx/ods, an OLE2 container is xls, anything else is text),
so an `.xls` that is really an `.xlsx` — or a tab-separated text that a
Chinese office system named `.xls` — still reads.

Text files: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
text"), else GB18030 (a superset of GBK, what Chinese Excel writes); the
delimiter (comma, tab or semicolon) is sniffed from the header line.

Every problem with the file itself is one `ImportFileError` with a clear,
translated message — never a traceback. Rows come out as lists of plain
values: `str`, `int`, `float`, `bool`, `date`, `datetime` or `None` (empty).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _

SPREADSHEET_EXT = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_EXT = (".csv", ".tsv", ".txt")
SUPPORTED_EXT = SPREADSHEET_EXT + TEXT_EXT
MAX_FIELD = 16 * 1024 * 1024  # csv module field limit (default 128 KiB is too small for long notes)
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(CrmError):
    """The file as a whole cannot be imported (unreadable, wrong format, missing columns)."""


@dataclass(frozen=True)
class FormulaCell:
    """A cell holding a formula whose value was never saved (a file written by a program, not by
    Excel): it has no value to import, and importing it as empty would lose data silently."""

    formula: str


@dataclass
class Sheet:
    """The rows of one file: `rows` yields every row (the header too) with its 1-based row number."""

    name: str
    total: int | None  # number of rows when known up front (progress), else None
    rows: Iterator[tuple[int, list[object]]]


def open_sheet(path: str | os.PathLike) -> Sheet:
    """Open an import file and return its first sheet's rows; ImportFileError on any problem."""
    p = Path(path)
    name = p.name
    try:
        if not p.is_file():
            raise ImportFileError(_("File {name} does not exist.").format(name=name))
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFileError(_("Cannot read {name}: {problem}").format(name=name, problem=exc.strerror or exc)) from None
    ext = p.suffix.lower()
    if ext not in SUPPORTED_EXT:
        raise ImportFileError(_("{name}: unsupported file type; use .xlsx, .xls or .csv.").format(name=name))
    if size == 0:
        raise ImportFileError(_("{name} is empty.").format(name=name))
    if head.startswith(_ZIP) or head.startswith(_OLE):
        return _open_workbook(p, head)
    # Old office systems write tab-separated text and call it .xls; an .xlsx is always a zip.
    if ext in SPREADSHEET_EXT and (ext != ".xls" or not _looks_like_text(p)):
        raise ImportFileError(_("{name} is not an Excel file (damaged, or not what its name says).").format(name=name))
    return _open_text(p)


def read_rows(path: str | os.PathLike) -> Iterator[list[object]]:
    """Every row of the first sheet as a list of values (the header row included)."""
    for _no, row in open_sheet(path).rows:
        yield row


# ---------------------------------------------------------------- spreadsheets

def _open_workbook(p: Path, head: bytes) -> Sheet:
    try:
        return _calamine_sheet(p)
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own hierarchy; any failure → fallback
        first = exc
    if head.startswith(_ZIP):
        try:
            return _openpyxl_sheet(p)
        except Exception:  # noqa: BLE001, S110 - the calamine message is the more useful one
            pass
    raise ImportFileError(_("{name} cannot be read as a spreadsheet (damaged or not an Excel file): {problem}").format(
        name=p.name, problem=_short(first)))


def _calamine_sheet(p: Path) -> Sheet:
    import python_calamine

    with open(p, "rb") as fh:
        wb = python_calamine.CalamineWorkbook.from_filelike(fh)
    names = wb.sheet_names
    if not names:
        raise ImportFileError(_("{name} has no sheets.").format(name=p.name))
    sheet = None
    for i in range(len(names)):  # first sheet with data (a blank cover sheet is skipped)
        sheet = wb.get_sheet_by_index(i)
        if sheet.height:
            break
    assert sheet is not None
    start = (sheet.start or (0, 0))[0] + 1
    first_col = (sheet.start or (0, 0))[1]
    gaps = _formula_gaps(p, i) if p.suffix.lower() in (".xlsx", ".xlsm") else {}

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for offset, raw in enumerate(sheet.iter_rows()):
                values = [_cell(v) for v in raw]
                for (r, c), formula in gaps.items():
                    if r == start + offset and 0 <= c - first_col < len(values) and values[c - first_col] is None:
                        values[c - first_col] = FormulaCell(formula)
                yield start + offset, values
        except Exception as exc:  # noqa: BLE001
            raise ImportFileError(_("{name} is damaged: {problem}").format(name=p.name, problem=_short(exc))) from None

    return Sheet(sheet.name, sheet.height, rows())


def _openpyxl_sheet(p: Path) -> Sheet:
    import openpyxl

    wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    ws = wb.worksheets[0]

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for no, raw in enumerate(ws.iter_rows(values_only=True), 1):
                yield no, [_cell(v) for v in raw]
        except Exception as exc:  # noqa: BLE001
            raise ImportFileError(_("{name} is damaged: {problem}").format(name=p.name, problem=_short(exc))) from None
        finally:
            wb.close()

    return Sheet(ws.title, ws.max_row, rows())


def _formula_gaps(p: Path, index: int) -> dict[tuple[int, int], str]:
    """(row, 0-based column) → formula, for the cells of sheet `index` that hold a formula and no saved
    value. Read from the sheet's XML (calamine gives such a cell as empty)."""
    import re
    import xml.etree.ElementTree as ET
    import zipfile

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        with zipfile.ZipFile(p) as z:
            book = ET.fromstring(z.read("xl/workbook.xml"))
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels}
            sheets = [s for s in book.iter(f"{ns}sheet")]
            target = targets.get(sheets[index].get(rel), "") if index < len(sheets) else ""
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            data = z.read(part)
    except (KeyError, OSError, ET.ParseError, zipfile.BadZipFile, IndexError):
        return {}
    if b"<f" not in data:
        return {}
    gaps: dict[tuple[int, int], str] = {}
    ref = re.compile(r"([A-Z]+)(\d+)")
    for _event, cell in ET.iterparse(io.BytesIO(data)):
        if cell.tag != f"{ns}c":
            continue
        f, v = cell.find(f"{ns}f"), cell.find(f"{ns}v")
        if f is not None and (v is None or v.text in (None, "")):
            m = ref.fullmatch(cell.get("r", ""))
            if m:
                col = 0
                for ch in m.group(1):
                    col = col * 26 + ord(ch) - 64
                gaps[(int(m.group(2)), col - 1)] = "=" + (f.text or "")
        cell.clear()
    return gaps


def _cell(v: object) -> object:
    """A spreadsheet value as a plain Python value; '' becomes None, whole floats become int."""
    if v is None:
        return None
    if isinstance(v, str):
        return v if v.strip() else None
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return None
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    if isinstance(v, (str, bool, int, datetime, date)):
        return v
    if isinstance(v, time):
        return v.isoformat()
    if isinstance(v, timedelta):
        return str(v)
    return str(v)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# ---------------------------------------------------------------- text (CSV)

def _looks_like_text(p: Path) -> bool:
    with open(p, "rb") as fh:
        sample = fh.read(8192)
    return _decode(sample, sample=True) is not None


def _decode(data: bytes, sample: bool = False) -> str | None:
    """Decode with the first encoding that fits; None when the bytes are not text.

    With `sample=True` the data may end inside a multi-byte character."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            if not (sample and exc.start >= len(data) - 4):
                continue
            text = data[:exc.start].decode(enc, errors="ignore")
        if "\x00" in text or _binary_share(text) > 0.05:
            return None
        return text
    return None


def _binary_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    return bad / len(sample)


def unguard(text: str) -> str:
    """Remove the apostrophe an export puts before text a spreadsheet would take for a formula
    (exporting.safe.csv_text), so an exported CSV imports back unchanged."""
    from desktop_crm.core.exporting.safe import FORMULA_TRIGGERS

    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def sniff_delimiter(first_line: str) -> str:
    """Comma, tab or semicolon: whichever occurs most in the header line (outside quotes)."""
    counts = {",": 0, "\t": 0, ";": 0}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: (counts[k], k == ","))
    return best if counts[best] else ","


def _open_text(p: Path) -> Sheet:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportFileError(_("Cannot read {name}: {problem}").format(name=p.name, problem=exc.strerror)) from None
    text = _decode(data)
    if text is None:
        raise ImportFileError(_("{name} is not a text file in UTF-8 or GB18030 (GBK); save it as CSV or .xlsx.").format(
            name=p.name))
    if not text.strip():
        raise ImportFileError(_("{name} is empty.").format(name=p.name))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = sniff_delimiter(first)
    total = text.count("\n") + (0 if text.endswith("\n") else 1)

    def rows() -> Iterator[tuple[int, list[object]]]:
        old = csv.field_size_limit()
        csv.field_size_limit(MAX_FIELD)
        no = 0
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for no, raw in enumerate(reader, 1):  # noqa: B007 - `no` is read in the error message
                yield no, [unguard(v) if v.strip() else None for v in raw]
        except csv.Error as exc:
            raise ImportFileError(_("{name}, record {n}: {problem}").format(
                name=p.name, n=no + 1, problem=exc)) from None
        finally:
            csv.field_size_limit(old)

    return Sheet(p.stem, total, rows())
