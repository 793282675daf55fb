"""Imports people can live with: skip the bad rows if you choose, update by code alone, an exported
CSV imports back unchanged."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import openpyxl

from desktop_crm.cli import main
from desktop_crm.core.exporting.lists import export_customers
from desktop_crm.core.importing import run_import
from desktop_crm.core.services import customer_query, customers, orders
from desktop_crm.core.services.customer_query import CustomerFilter


def _csv(path, header, *rows):  # noqa: ANN001, ANN002, ANN202
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_skip_invalid_saves_the_good_rows_and_keeps_the_bad_ones_in_the_workbook(admin, tmp_path):
    path = _csv(tmp_path / "c.csv", ["客户名称", "手机"], ["好客户甲", "13800138000"], ["", "13900139000"],
                ["好客户乙", "12345"], ["好客户丙", ""])
    strict = run_import(admin, "customers", path)
    assert strict.rejected and strict.created == 0 and strict.skipped == 0 and strict.not_saved == 2
    assert "Nothing was saved" in strict.summary() and "skipped" not in strict.summary()
    out = tmp_path / "errors.xlsx"
    r = run_import(admin, "customers", path, skip_invalid=True, errors_out=out)
    assert (r.created, r.failed, r.rows, r.rejected) == (2, 2, 4, False)
    assert r.created + r.updated + r.skipped + r.failed + r.not_saved == r.rows
    assert "rejected 2" in r.summary()
    names = {row[0] for row in list(openpyxl.load_workbook(out).active.values)[1:]}
    assert names == {None, "好客户乙"}  # the rejected rows, as they were, for correcting
    assert customer_query.count(admin, CustomerFilter()) == 2


def test_skip_invalid_from_the_command_line(admin, db_url, tmp_path, capsys):
    path = _csv(tmp_path / "c.csv", ["客户名称", "手机"], ["命令行客户", "13800138000"], ["坏手机客户", "12345"])
    code = main(["--db", db_url, "--lang", "en", "import", "customers", str(path), "--skip-invalid", "--errors",
                 str(tmp_path / "e.xlsx")])
    out = capsys.readouterr()
    assert code == 0 and "created: 1" in out.out and "rejected: 1" in out.out
    assert (tmp_path / "e.xlsx").exists()


def test_update_matches_by_code_and_needs_no_other_column(admin, tmp_path):
    c = customers.create_customer(admin, {"name": "要更新的客户"})
    r = run_import(admin, "customers", _csv(tmp_path / "u.csv", ["客户编号", "备注"], [c.code, "只改备注"]),
                   mode="update")
    assert (r.updated, r.failed) == (1, 0), r.error_lines()
    assert customers.get_customer(admin, c.id)["notes"] == "只改备注"
    orders.create_order(admin, c.id, {"order_no": "U-1", "date": date(2026, 3, 1), "amount": Decimal("10")})
    r = run_import(admin, "orders", _csv(tmp_path / "o.csv", ["订单号", "已付金额"], ["U-1", "10"]), mode="update")
    assert (r.updated, r.failed) == (1, 0), r.error_lines()


def test_an_exported_csv_imports_back_unchanged(admin, tmp_path):
    customers.create_customer(admin, {"name": "-减号开头的客户", "mobile": "13800138000", "email": "a@b.cn",
                                      "notes": "=SUM(A1) 像公式的备注", "registered_capital": "1234567.5",
                                      "phone": "+86 10 7306 0062"})
    customers.create_customer(admin, {"name": "普通客户", "kind": "individual", "mobile": "+8613900139000"})
    out = tmp_path / "all.csv"
    columns = ["code", "name", "kind", "status", "mobile", "phone", "email", "notes", "registered_capital"]
    export_customers(admin, CustomerFilter(), columns, out)
    text = out.read_text(encoding="utf-8-sig")
    assert "'-减号开头的客户" in text and "'=SUM(A1)" in text  # guarded only where a spreadsheet would compute
    assert "138 0013 8000" in text and "010 7306 0062" in text and "'+" not in text  # phones as on screen
    r = run_import(admin, "customers", out, mode="update")
    assert r.failed == 0 and r.updated == 0 and r.skipped == 2, (r.error_lines(), r.warning_lines())
    c = customers.get_customer(admin, customers.id_by_code(admin, "C000001"))
    assert c["name"] == "-减号开头的客户" and c["notes"] == "=SUM(A1) 像公式的备注"
