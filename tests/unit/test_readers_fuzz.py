"""Fuzzing the readers: any bytes under any supported name either read as rows or raise one
clear ImportFileError — never another exception."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_crm.core.importing.readers import ImportFileError, read_rows

NAMES = ["a.csv", "a.xlsx", "a.xls", "a.txt", "a.tsv"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(name: str, data: bytes) -> list | None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        try:
            rows = list(read_rows(p))
        except ImportFileError as exc:
            assert str(exc) and "\n" not in str(exc)
            return None
    for row in rows:
        assert isinstance(row, list)
    return rows


@FUZZ
@given(st.sampled_from(NAMES), st.binary(max_size=3000))
def test_random_bytes(name, data):
    _read(name, data)


@FUZZ
@given(st.sampled_from(NAMES), st.binary(max_size=200))
def test_random_bytes_behind_office_magic(name, tail):
    _read(name, b"PK\x03\x04" + tail)
    _read(name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + tail)


def _xlsx_bytes(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SAMPLE = _xlsx_bytes([["客户编号", "客户名称"], ["C1", "甲"], ["C2", "=SUM(A1)"]])


@FUZZ
@given(st.integers(min_value=0, max_value=len(SAMPLE)))
def test_truncated_xlsx(cut):
    rows = _read("a.xlsx", SAMPLE[:cut])
    if cut == len(SAMPLE):
        assert rows is not None and rows[1] == ["C1", "甲"]


@FUZZ
@given(st.integers(min_value=0, max_value=len(SAMPLE) - 1), st.integers(min_value=1, max_value=255))
def test_flipped_byte_xlsx(pos, xor):
    data = bytearray(SAMPLE)
    data[pos] ^= xor
    _read("a.xlsx", bytes(data))


@FUZZ
@given(st.dictionaries(st.text(min_size=1, max_size=20), st.binary(max_size=200), max_size=5))
def test_zip_of_garbage(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            try:
                z.writestr(name, data)
            except (ValueError, UnicodeEncodeError, IndexError):  # names zipfile itself cannot write
                pass
    _read("a.xlsx", buf.getvalue())


@FUZZ
@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=5), min_size=1, max_size=8),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_text_round_trip_or_clear_error(rows, encoding):
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    _read("a.csv", data)
