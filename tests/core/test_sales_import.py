"""Order import: Chinese or English headers, customer by code or unique name, exact decimals, idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from desktop_crm.core.importing import run_import
from desktop_crm.core.importing.orders_spec import after_import, total_cents
from desktop_crm.core.services import audit, customers, orders
from desktop_crm.core.services.orders import OrderFilter


@pytest.fixture
def custs(admin):  # noqa: ANN001, ANN201
    a = customers.create_customer(admin, {"name": "华东机电"}, owner=None, status="active")
    b = customers.create_customer(admin, {"name": "南方五金"}, owner=None, status="active")
    return a, b


def _csv(tmp_path, lines: list[str], name: str = "orders.csv"):  # noqa: ANN001, ANN202
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return p


def test_csv_chinese_headers_exact_and_idempotent(admin, custs, tmp_path):
    a, b = custs
    p = _csv(tmp_path, [
        "订单号,客户编号,客户名称,日期,商品,商品类别,数量,金额,成本,已付金额,付款期限",
        f"SO-1,{a.code},,2026-01-05,轴承,零件,2.5,\"¥1,234.56\",1000.10,234.56,2026-02-05",
        ",,,,,,,,,,",
        "SO-2,,南方五金,2026/1/6,螺丝,零件,10,0.10,,,",
    ])
    r = run_import(admin, "orders", p)
    assert (r.created, r.failed) == (2, 0), r.error_lines()
    o = orders.page(admin, OrderFilter(), sort="order_no", descending=False)
    assert [x[2] for x in o] == ["SO-1", "SO-2"]
    t = orders.customer_totals(admin, a.id)
    assert (t.amount, t.paid, t.receivable) == (Decimal("1234.56"), Decimal("234.56"), Decimal("1000.00"))
    assert orders.customer_totals(admin, b.id).amount == Decimal("0.10")
    again = run_import(admin, "orders", p)
    assert (again.created, again.skipped) == (0, 2)
    assert total_cents(admin) == 123456 + 10
    with admin.db.read() as s:
        assert audit.verify_chain(s).ok


def test_xlsx_floats_are_exact_and_upsert_updates(admin, custs, tmp_path):
    a, _b = custs
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["order_no", "customer_code", "date", "amount", "paid_amount"])
    ws.append(["X-1", a.code, date(2026, 3, 1), 0.1, 0.1])
    ws.append(["X-2", a.code, date(2026, 3, 2), 19.99, 0])
    p = tmp_path / "o.xlsx"
    wb.save(p)
    assert run_import(admin, "orders", p).created == 2
    assert orders.customer_totals(admin, a.id).amount == Decimal("20.09")
    ws["D3"] = 29.99
    wb.save(p)
    r = run_import(admin, "orders", p, mode="upsert")
    assert (r.created, r.updated, r.skipped) == (0, 1, 1)
    assert orders.customer_totals(admin, a.id).amount == Decimal("30.09")


def test_bad_rows_reject_the_file_and_name_the_column(admin, custs, tmp_path):
    a, _b = custs
    customers.create_customer(admin, {"name": "南方五金"}, owner=None, allow_duplicates=True)
    p = _csv(tmp_path, [
        "order_no,customer_code,customer_name,date,amount",
        f"A1,{a.code},,2026-01-01,10",
        "A2,C999999,,2026-01-01,10",
        "A3,,南方五金,2026-01-01,10",
        f"A4,{a.code},,not a date,abc",
        f"A1,{a.code},,2026-01-01,11",
    ])
    r = run_import(admin, "orders", p, errors_out=tmp_path / "err.xlsx")
    assert r.rejected and r.failed == 4
    errs = dict(r.errors)
    assert "customer_code" in errs[3] and "customer_name" in errs[4] and {"date", "amount"} <= set(errs[5])
    assert "order_no" in errs[6]
    assert orders.count(admin, OrderFilter()) == 0


def test_dry_run_saves_nothing_and_after_import_grades(admin, custs, tmp_path):
    a, _b = custs
    p = _csv(tmp_path, ["order_no,customer_code,date,amount", f"D1,{a.code},{date.today()},10"])
    r = run_import(admin, "orders", p, dry_run=True)
    assert r.created == 1 and orders.count(admin, OrderFilter()) == 0
    r = run_import(admin, "orders", p)
    after_import(admin, r)
    assert customers.get_customer(admin, a.id)["grade"] == "key_important"
