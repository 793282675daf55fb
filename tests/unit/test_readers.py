"""Import file readers and header mapping: encodings, delimiters, formats, bad files."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from desktop_crm.core.importing.headers import ImportColumn, map_headers, match_header, norm
from desktop_crm.core.importing.readers import ImportFileError, open_sheet, read_rows, sniff_delimiter

ROWS = [["客户编号", "客户名称", "备注"], ["C001", "北京某某有限公司", "含,逗号"], ["C002", "张三", "第二行"]]


def _csv_bytes(rows, delimiter=",") -> str:
    out = io.StringIO()
    import csv

    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    p = tmp_path / "c.csv"
    p.write_bytes(_csv_bytes(ROWS).encode(encoding))
    assert list(read_rows(p)) == ROWS


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiters(tmp_path, delimiter):
    p = tmp_path / "c.csv"
    p.write_text(_csv_bytes(ROWS, delimiter), encoding="utf-8")
    assert list(read_rows(p)) == ROWS


def test_sniff_ignores_quoted_delimiters():
    assert sniff_delimiter('"a;b;c",d') == ","
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter("only") == ","


def test_csv_empty_cells_are_none_and_long_cells_survive(tmp_path):
    long = "长" * 200_000
    p = tmp_path / "c.csv"
    p.write_text(f"a,b,c\r\n1,  ,{long}\r\n", encoding="utf-8")
    rows = list(read_rows(p))
    assert rows[1] == ["1", None, long]


def test_xlsx_values(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "mobile", "amount", "when", "day", "blank"])
    ws.append(["C1", 13800138000, 12.5, datetime(2024, 3, 5, 10, 30), date(2024, 1, 2), "   "])
    p = tmp_path / "a.xlsx"
    wb.save(p)
    rows = list(read_rows(p))
    assert rows[1][:5] == ["C1", 13800138000, 12.5, datetime(2024, 3, 5, 10, 30), date(2024, 1, 2)]
    assert isinstance(rows[1][1], int)
    assert rows[1][5] is None


def test_xlsx_named_xls_reads_by_content(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["code", "name"])
    wb.active.append(["C1", "甲"])
    p = tmp_path / "old.xls"
    wb.save(p)
    assert list(read_rows(p)) == [["code", "name"], ["C1", "甲"]]


def test_tab_text_named_xls_reads_as_text(tmp_path):
    p = tmp_path / "export.xls"
    p.write_bytes("客户编号\t客户名称\r\nC1\t甲\r\n".encode("gb18030"))
    assert list(read_rows(p)) == [["客户编号", "客户名称"], ["C1", "甲"]]


def test_blank_first_sheet_is_skipped(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "cover"
    ws = wb.create_sheet("data")
    ws.append(["code"])
    ws.append(["C1"])
    p = tmp_path / "a.xlsx"
    wb.save(p)
    assert open_sheet(p).name == "data"


def _bad(tmp_path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ImportFileError) as exc:
        list(read_rows(p))
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_empty_files(tmp_path):
    assert "empty" in _bad(tmp_path, "e.xlsx", b"")
    assert "empty" in _bad(tmp_path, "e.csv", b"")
    assert "empty" in _bad(tmp_path, "w.csv", b"  \r\n \r\n")


def test_zip_of_garbage_named_xlsx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("junk.bin", b"\x00\x01garbage" * 100)
    msg = _bad(tmp_path, "g.xlsx", buf.getvalue())
    assert "g.xlsx" in msg


def test_truncated_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["code", "name"])
    src = tmp_path / "full.xlsx"
    wb.save(src)
    data = src.read_bytes()
    for cut in (10, len(data) // 3, len(data) // 2, len(data) - 30):
        _bad(tmp_path, "t.xlsx", data[:cut])


def test_text_named_xlsx_and_binary_named_csv(tmp_path):
    _bad(tmp_path, "t.xlsx", b"code,name\nC1,x\n")
    _bad(tmp_path, "b.csv", bytes(range(256)) * 10)


def test_missing_and_unsupported(tmp_path):
    with pytest.raises(ImportFileError, match="does not exist"):
        open_sheet(tmp_path / "nope.csv")
    p = tmp_path / "a.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(ImportFileError, match="unsupported"):
        open_sheet(p)


# ---------------------------------------------------------------- headers

COLS = (ImportColumn("code", ("客户编号",), label="Code"), ImportColumn("name", ("客户名称", "名称"), required=True,
                                                                       label="Name"),
        ImportColumn("credit_code", ("统一社会信用代码",), label="Unified social credit code"))


@pytest.mark.parametrize("header,key", [
    ("code", "code"), ("CODE", "code"), (" Code ", "code"), ("客户编号", "code"), ("客户编号 / code", "code"),
    ("客户编号(code)", "code"), ("客户编号\ncode", "code"), ("客户名称*", "name"), ("客户名称（必填）", "name"),
    ("credit code", "credit_code"), ("Credit-Code", "credit_code"), ("Unified social credit code", "credit_code"),
    ("统一社会信用代码", "credit_code"), ("ＣＯＤＥ", "code"), ("备注", None), ("", None),
])
def test_match_header(header, key):
    table = {n: c.key for c in COLS for n in c.names()}
    assert match_header(header, table) == key


def test_map_headers_reports_unknown_and_missing():
    hmap = map_headers(["客户编号", "名称", "weird"], COLS)
    assert hmap.index == {"code": 0, "name": 1}
    assert hmap.unknown == ["weird"]
    assert hmap.values(["C1"]) == {"code": "C1", "name": None}
    with pytest.raises(ImportFileError, match="客户名称 \\(name\\)"):
        map_headers(["客户编号"], COLS)
    with pytest.raises(ImportFileError, match="twice"):
        map_headers(["name", "客户名称"], COLS)


def test_norm():
    assert norm(" 客户 名称 * ") == "客户名称"
    assert norm(None) == ""
