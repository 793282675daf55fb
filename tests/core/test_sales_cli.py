"""`import orders`, `order list`, `contract add`, `opportunity add|move`, `recompute` from the command line."""

from __future__ import annotations

import json

from desktop_crm.cli import main
from desktop_crm.core.services import customers, opportunities


def test_sales_commands(admin, db_url, tmp_path, capsys):
    c = customers.create_customer(admin, {"name": "华东机电"}, owner=None, status="active")
    f = tmp_path / "o.csv"
    f.write_text(f"订单号,客户编号,日期,金额,已付金额\nSO-1,{c.code},2026-01-05,100.10,0\nSO-2,{c.code},2026-02-05,5,5\n",
                 encoding="utf-8")
    assert main(["--db", db_url, "import", "orders", str(f)]) == 0
    assert "created: 2" in capsys.readouterr().out
    assert main(["--db", db_url, "order", "list", "--customer", c.code, "--unpaid", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["order_no"] for r in rows] == ["SO-1"] and rows[0]["receivable"] == 100.1
    assert main(["--db", db_url, "contract", "add", c.code, "HT-1", "--end", "2026-12-31", "--amount", "1000"]) == 0
    assert main(["--db", db_url, "opportunity", "add", c.code, "二期", "--amount", "5000"]) == 0
    oid = opportunities.list_opportunities(admin)[0].id
    assert main(["--db", db_url, "opportunity", "move", str(oid), "lost"]) == 1
    assert main(["--db", db_url, "opportunity", "move", str(oid), "输单", "--reason", "价格"]) == 0
    assert opportunities.get_opportunity(admin, oid).stage == "lost"
    capsys.readouterr()
    assert main(["--db", db_url, "recompute", "--as-of", "2026-06-30", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["grades"]["key_important"] == 1 and out["population"] == 1
