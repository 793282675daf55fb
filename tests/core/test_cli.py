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
    assert code == 1 and "Reason: " in err and "Traceback" not in err
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
    assert code == 1 and "Wrong user name or password" in err  # no hint which users exist


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert "desktop-crm" in capsys.readouterr().out


def test_the_command_line_logs_in_like_the_app(cli, db_url, monkeypatch):
    """No default user, the password asked for or taken from the environment, failures audited
    and counted towards the lockout."""
    from sqlalchemy import func, select

    from desktop_crm.core.app_setup import open_database
    from desktop_crm.core.models import AuditEntry

    assert cli("user", "add", "rep1", "--role", "staff", "--password", PASSWORD)[0] == 0
    monkeypatch.delenv("DESKTOP_CRM_USER")
    code, _, err = cli("customer", "list")
    assert code == 2 and "--user" in err  # nobody is assumed
    monkeypatch.delenv("DESKTOP_CRM_PASSWORD")
    code, _, err = cli("--user", "admin", "backup")  # no terminal, no variable: no password
    assert code == 2 and "DESKTOP_CRM_PASSWORD" in err
    monkeypatch.setenv("DESKTOP_CRM_PASSWORD", "wrong-password")
    for _k in range(5):
        code, _, err = cli("--user", "rep1", "customer", "list")
        assert code == 1 and "Wrong user name or password" in err
    monkeypatch.setenv("DESKTOP_CRM_PASSWORD", PASSWORD)
    code, _, err = cli("--user", "rep1", "customer", "list")
    assert code == 1 and "Too many failed logins" in err  # locked, as in the app
    code, _, err = cli("--user", "rep1", "backup")
    assert code == 1
    db = open_database(db_url).db
    with db.read() as s:
        failed = s.scalar(select(func.count()).where(AuditEntry.action == "login failed"))
        lockouts = s.scalar(select(func.count()).where(AuditEntry.action == "lockout"))
    db.dispose()
    assert failed >= 7 and lockouts == 1


def test_a_rep_cannot_back_up_or_create_an_administrator(cli, monkeypatch):
    assert cli("user", "add", "rep1", "--role", "staff", "--password", PASSWORD)[0] == 0
    code, _, err = cli("--user", "rep1", "backup")
    assert code == 1 and "administrators" in err
    code, _, err = cli("--user", "rep1", "user", "add", "evil", "--role", "admin", "--password", PASSWORD)
    assert code == 1


def test_init_never_shows_the_password_of_the_url(cli, db_url):
    from sqlalchemy.engine import make_url

    from desktop_crm.core.db import Database

    code, out, _err = cli("init")
    password = make_url(db_url).password
    assert code == 0 and "ready" in out and (not password or f":{password}@" not in out)
    shown = Database.display_url("postgresql+psycopg://crm:s3cret-pw@127.0.0.1:5432/crm")
    assert "s3cret-pw" not in shown and "crm:***@127.0.0.1" in shown
