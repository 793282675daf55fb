"""The command line: same services, same permissions, one-line errors, never a traceback."""

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


def test_users_and_customers_end_to_end(cli, db_url):
    from desktop_crm.core.app_setup import open_database
    from desktop_crm.core.services import customers, users
    from desktop_crm.core.services.context import Ctx

    assert cli("user", "add", "rep1", "--role", "staff", "--department", "销售部", "--password", PASSWORD)[0] == 0
    assert cli("user", "add", "rep2", "--role", "staff", "--department", "销售部", "--password", PASSWORD)[0] == 0
    db = open_database(db_url).db
    rep1 = Ctx(db, users.actor_by_name(db, "rep1"))
    a = customers.create_customer(rep1, {"name": "张三", "kind": "individual", "mobile": "13800138000"})
    b = customers.create_customer(rep1, {"name": "李四贸易", "email": "li@example.cn"})
    db.dispose()

    code, out, _ = cli("customer", "list", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["code"] for r in rows} == {a.code, b.code}
    assert {"code", "name", "kind", "status", "owner", "grade", "mobile", "email"} <= set(rows[0])
    assert rows[0]["kind"] in ("individual", "enterprise") and rows[0]["status"] == "potential"

    code, out, _ = cli("--user", "rep2", "customer", "list", "--format", "json")
    assert json.loads(out) == []  # rep2 sees neither (owned by rep1)
    code, out, _ = cli("customer", "list", "--search", "zs", "--format", "json")
    assert [r["code"] for r in json.loads(out)] == [a.code]
    assert cli("customer", "list", "--limit", "1", "--format", "csv")[1].count("\n") == 2

    assert cli("customer", "set-status", a.code, "active", "--at", "2024-03-01T09:00:00")[0] == 0
    code, _, err = cli("customer", "set-status", a.code, "lost")
    assert code == 1 and "reason" in err and "Traceback" not in err
    assert cli("customer", "set-status", a.code, "lost", "--reason", "价格")[0] == 0
    code, out, _ = cli("customer", "list", "--status", "流失客户", "--format", "json")
    assert [r["status"] for r in json.loads(out)] == ["lost"]

    assert cli("customer", "transfer", a.code, b.code, "--to", "rep2", "--reason", "调岗")[0] == 0
    code, out, _ = cli("customer", "list", "--owner", "rep2", "--format", "json")
    assert len(json.loads(out)) == 2
    assert cli("customer", "merge", a.code, b.code)[0] == 0
    code, _, err = cli("customer", "merge", a.code, b.code)
    assert code == 1 and "not found" in err

    assert cli("user", "deactivate", "rep2", "--handover-to", "pool")[0] == 0
    code, out, _ = cli("user", "list", "--format", "json")
    assert {u["username"]: u["active"] for u in json.loads(out)}["rep2"] is False


def test_bad_arguments_give_one_line_errors(cli):
    code, _, err = cli("customer", "set-status", "C999999", "active")
    assert code == 1 and err.strip().count("\n") == 0 and "C999999" in err
    code, _, err = cli("customer", "list", "--owner", "nobody")
    assert code == 2 and "nobody" in err
    code, _, err = cli("--user", "ghost", "customer", "list")
    assert code == 1 and "ghost" in err


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert "desktop-crm" in capsys.readouterr().out
