"""Customer list export: filter and columns as shown, labels, xlsx/csv read back,
formula-injection golden cases, permission and scope."""

from __future__ import annotations

import csv
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import update

from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.exporting.lists import export_customers
from desktop_crm.core.models import Customer
from desktop_crm.core.services import customers
from desktop_crm.core.services.customer_query import CustomerFilter

GOLDEN = [
    ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+cmd", "+cmd", "'+cmd"),
    ("-1+1", "-1+1", "'-1+1"),
    ("@SUM(A1)", "@SUM(A1)", "'@SUM(A1)"),
    ("\tTAB", "\tTAB", "'\tTAB"),
    ("\rCR", "\nCR", "'\rCR"),  # XML reads a raw CR back as LF; the cell is still text
    ("＝SUM(A1)", "＝SUM(A1)", "'＝SUM(A1)"),
    ("bell\x07and\x00nul", "bellandnul", "bellandnul"),
    ("plain 文本", "plain 文本", "plain 文本"),
]


@pytest.fixture
def golden(admin):
    """Customers whose notes hold the golden texts (written directly, as legacy data could be)."""
    ids = []
    for i, (text, _x, _c) in enumerate(GOLDEN):
        c = customers.create_customer(admin, {"name": f"客户{i}", "registered_capital": "1,234.5"}, status="active",
                                      allow_duplicates=True)
        ids.append(c.id)
        with admin.db.write() as s:
            stored = text.replace("\x00", "") if admin.db.dialect == "postgresql" else text  # PG text holds no NUL
            s.execute(update(Customer).where(Customer.id == c.id).values(notes=stored))
    return ids


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_formula_injection_golden_xlsx(admin, golden, tmp_path):
    out = tmp_path / "list.xlsx"
    n = export_customers(admin, CustomerFilter(), ["code", "notes", "status", "registered_capital", "created_at"], out)
    assert n == len(GOLDEN)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == ["Code", "Notes", "Status", "Registered capital", "Created"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    for row, (text, expected, _csv) in zip(ws.iter_rows(min_row=2), GOLDEN, strict=True):
        cell = row[1]
        assert cell.value == expected
        assert cell.data_type == "s"  # never a formula
        assert bool(cell.quotePrefix) == text.startswith(("=", "+", "-", "@", "\t", "\r", "＝"))
        assert row[2].value == "Active"  # the label, as on screen
        assert float(row[3].value) == 1234.5 and isinstance(row[4].value, datetime)


def test_formula_injection_golden_csv(admin, golden, tmp_path):
    out = tmp_path / "list.csv"
    export_customers(admin, CustomerFilter(), ["code", "notes", "status"], out)
    rows = read_csv(out)
    assert rows[0] == ["Code", "Notes", "Status"]
    assert [r[1] for r in rows[1:]] == [c for _t, _x, c in GOLDEN]
    assert {r[2] for r in rows[1:]} == {"Active"}


def test_filter_columns_and_order(admin, tmp_path):
    for name, status, tags in [("乙", "active", "vip,华南"), ("甲", "potential", None), ("丙", "active", None)]:
        customers.create_customer(admin, {"name": name, "tags": tags, "kind": "individual"}, status=status)
    out = tmp_path / "a.csv"
    n = export_customers(admin, CustomerFilter(fields={"status": ["active"]}), ["name", "kind", "tags"], out)
    assert n == 2
    assert read_csv(out) == [["Name", "Kind", "Tags"], ["乙", "Individual", "vip, 华南"], ["丙", "Individual", ""]]


def test_export_in_chinese_titles(admin, tmp_path):
    from desktop_crm.core import i18n

    customers.create_customer(admin, {"name": "甲"})
    i18n.set_language("zh_CN")
    out = tmp_path / "zh.xlsx"
    export_customers(admin, CustomerFilter(), None, out)
    values = list(openpyxl.load_workbook(out).active.values)
    assert len(values) == 2 and values[1][0] == "C000001"


def test_permission_and_scope(team, tmp_path):
    rep1, rep3 = team["rep1"], team["rep3"]
    customers.create_customer(rep1, {"name": "rep1 的客户"})
    customers.create_customer(rep3, {"name": "rep3 的客户"})
    customers.create_customer(team["admin"], {"name": "公海客户"})  # admin: pool
    out = tmp_path / "s.csv"
    assert export_customers(rep3, CustomerFilter(), ["name"], out) == 2
    assert sorted(r[0] for r in read_csv(out)[1:]) == sorted(["rep3 的客户", "公海客户"])
    with pytest.raises(PermissionDenied):
        export_customers(team["viewer"], CustomerFilter(), ["name"], tmp_path / "v.csv")
    assert not (tmp_path / "v.csv").exists()
    with pytest.raises(ValidationError):
        export_customers(rep1, CustomerFilter(), ["name"], tmp_path / "x.pdf")
    with pytest.raises(ValidationError):
        export_customers(rep1, CustomerFilter(), ["nope"], tmp_path / "x.csv")


def test_streams_more_rows_than_the_sample(admin, tmp_path):
    from desktop_crm.core.exporting import lists

    for i in range(lists.HEAD_ROWS + 30):
        customers.create_customer(admin, {"name": f"批量{i}"}, allow_duplicates=True)
    out = tmp_path / "big.xlsx"
    assert export_customers(admin, CustomerFilter(), ["code", "name"], out) == lists.HEAD_ROWS + 30
    assert openpyxl.load_workbook(out).active.max_row == lists.HEAD_ROWS + 31
    out = tmp_path / "big.csv"
    export_customers(admin, CustomerFilter(), ["code"], out)
    assert len(read_csv(out)) == lists.HEAD_ROWS + 31
