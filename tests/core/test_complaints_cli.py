"""`complaint add|move|list|show|assign` and `import complaints` on the command line."""

import json

import pytest

from desktop_crm.cli import main
from tests.conftest import PASSWORD


@pytest.fixture
def cli(db_url, capsys):  # noqa: ANN001, ANN201
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db_url, "--lang", "en", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("init", "--admin-user", "admin", "--admin-password", PASSWORD)[0] == 0
    return run


@pytest.fixture
def code(cli, db_url):  # noqa: ANN001, ANN201
    from desktop_crm.core.app_setup import open_database
    from desktop_crm.core.services import customers, users
    from desktop_crm.core.services.context import Ctx

    db = open_database(db_url).db
    admin = Ctx(db, users.actor_by_name(db, "admin"))
    c = customers.create_customer(admin, {"name": "迅捷物流速运有限公司"}, owner=None)
    db.dispose()
    return c.code


def test_complaint_lifecycle(cli, code):
    rc, out, err = cli("complaint", "add", "--customer", code, "--channel", "hotline", "--category", "delay",
                       "--severity", "major", "--description", "货到晚了", "--received-at", "2026-03-05T09:30",
                       "--order-no", "YD1")
    assert rc == 0 and out.strip() == "TS20260305-0001", err
    number = out.strip()
    rc, _out, err = cli("complaint", "move", number, "closed", "--satisfaction", "5")
    assert rc == 1 and "cannot move to Closed" in err and "Accepted" in err
    assert cli("complaint", "move", number, "accepted", "--at", "2026-03-05T10:00", "--note", "rang back")[0] == 0
    rc, _out, err = cli("complaint", "move", number, "processing")
    assert rc == 1 and "Solution plan: " in err
    assert cli("complaint", "move", number, "processing", "--plan", "redeliver")[0] == 0
    assert cli("complaint", "move", number, "resolved", "--result", "done", "--compensation", "0")[0] == 0
    assert cli("complaint", "move", number, "已结案", "--satisfaction", "4")[0] == 0
    rc, out, _err = cli("complaint", "list", "--format", "json")
    rows = json.loads(out)
    assert rc == 0 and len(rows) == 1
    r = rows[0]
    assert {"number", "customer_code", "status", "severity", "category", "received_at", "response_due",
            "resolution_due", "overdue"} <= set(r)
    assert (r["number"], r["customer_code"], r["status"], r["severity"], r["category"]) == (
        number, code, "closed", "major", "delay")
    assert r["received_at"] == "2026-03-05T09:30:00" and r["response_due"] == "2026-03-05T17:30:00"
    assert r["resolution_due"] == "2026-03-08T09:30:00" and r["overdue"] is False
    rc, out, _err = cli("complaint", "show", number)
    assert rc == 0 and "registered → accepted" in out and "rang back" in out
    assert cli("complaint", "list", "--status", "closed", "--format", "csv")[1].count("\n") == 2
    assert cli("complaint", "list", "--overdue", "--format", "json")[1].strip() == "[]"
    assert cli("complaint", "move", "TS19990101-0001", "accepted")[0] == 1


def test_import_complaints(cli, code, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("投诉编号,客户编号,投诉时间,渠道,类别,严重程度,投诉内容,状态,受理时间\n"
                    f",{code},2026-03-01 08:00,热线,延误,一般,慢,已受理,2026-03-01 09:00\n", encoding="utf-8")
    rc, out, _err = cli("import", "complaints", str(path), "--dry-run")
    assert rc == 0 and "created: 1" in out
    rc, out, _err = cli("import", "complaints", str(path))
    assert rc == 0 and "created: 1" in out
    rows = json.loads(cli("complaint", "list", "--format", "json")[1])
    assert [(r["number"], r["status"], r["first_response_at"]) for r in rows] == [
        ("TS20260301-0001", "accepted", "2026-03-01T09:00:00")]
    assert rows[0]["overdue"] is True  # resolution due 2026-03-08, still open
