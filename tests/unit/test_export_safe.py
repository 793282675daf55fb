"""Formula injection and control characters: golden cases read back from xlsx and csv."""

from __future__ import annotations

import csv
from decimal import Decimal

import openpyxl
import pytest
from export_samples import INJECTIONS

from desktop_crm.core.exporting.csvjson import write_csv
from desktop_crm.core.exporting.excel import write_table_xlsx
from desktop_crm.core.exporting.safe import csv_text, is_formula_like, safe_text
from desktop_crm.core.reporting.model import Column, Table

COLUMNS = [Column("text", "Text"), Column("amount", "Amount", "money"), Column("n", "N", "int")]


def _rows():
    return [{"text": t, "amount": Decimal("-1.50"), "n": -3} for t in INJECTIONS]


def test_safe_text_strips_control_characters_and_keeps_numbers():
    assert safe_text("a\x00b\x07c\x1fd\x7f") == "abcd"
    assert safe_text("line1\nline2\tx") == "line1\nline2\tx"
    assert safe_text(5) == 5 and safe_text(Decimal("1.5")) == Decimal("1.5") and safe_text(None) is None


@pytest.mark.parametrize("text", INJECTIONS + ["＝1+1"])
def test_formula_like(text):
    assert is_formula_like(text)
    assert csv_text(text) == "'" + text


def test_plain_text_untouched():
    assert not is_formula_like("客户 A")
    assert csv_text("a=b") == "a=b"


def test_xlsx_injection_is_plain_text(tmp_path):
    path = tmp_path / "list.xlsx"
    write_table_xlsx(COLUMNS, _rows() + [{"text": "bad\x01char\x0b", "amount": 1, "n": 1}], path)
    ws = openpyxl.load_workbook(path).active
    for i, text in enumerate(INJECTIONS, start=2):
        cell = ws.cell(row=i, column=1)
        assert cell.data_type == "s", text
        # XML parsers turn a raw CR into LF; it is still plain text
        assert cell.value in (text, text.replace("\r", "\n"))
        assert cell.quotePrefix
        amount, n = ws.cell(row=i, column=2), ws.cell(row=i, column=3)
        assert amount.data_type == "n" and amount.value == -1.5
        assert n.data_type == "n" and n.value == -3
    assert ws.cell(row=len(INJECTIONS) + 2, column=1).value == "badchar"
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    # and nothing in the file is a formula element
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_csv_injection_prefixed(tmp_path):
    path = tmp_path / "list.csv"
    write_csv(Table(COLUMNS, _rows()), path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Text", "Amount", "N"]
    assert [r[0] for r in rows[1:]] == ["'" + t for t in INJECTIONS]
    assert {r[1] for r in rows[1:]} == {"-¥1.50"}  # numbers stay numbers (with their currency), not guarded
    assert {r[2] for r in rows[1:]} == {"-3"}
