"""`lead …` on the command line: add, list (the pool), contact, qualify, convert, with the GUI's rules."""

import json

import pytest

from desktop_crm.cli import main
from tests.conftest import PASSWORD


@pytest.fixture
def cli(db_url, capsys, monkeypatch):  # noqa: ANN001, ANN201
    def run(*args: str, user: str = "admin") -> tuple[int, str, str]:
        monkeypatch.setenv("DESKTOP_CRM_USER", user)
        code = main(["--db", db_url, "--lang", "en", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("init", "--admin-user", "admin", "--admin-password", PASSWORD)[0] == 0
    assert run("user", "add", "rep", "--role", "staff", "--password", PASSWORD)[0] == 0
    assert run("user", "add", "look", "--role", "viewer", "--password", PASSWORD)[0] == 0
    return run


def test_lead_lifecycle_from_the_command_line(cli, tmp_path):
    rc, out, err = cli("lead", "add", "王经理", "--company", "华润物流有限公司", "--phone", "13911112222",
                       "--source", "展会", user="rep")
    assert rc == 0 and out.startswith("Lead 1 added"), err
    rc, out, err = cli("lead", "add", "陈女士", "--email", "chen@example.com", "--owner", "pool")
    assert rc == 0, err
    rc, out, err = cli("lead", "add", "无联系方式", user="rep")
    assert rc != 0 and "Phone: give a phone number or an e-mail address" in err
    rc, out, _ = cli("lead", "list", "--format", "json", user="rep")
    assert {r["name"] for r in json.loads(out)} == {"王经理", "陈女士"}
    rc, out, err = cli("lead", "list", "--format", "csv", user="look")
    assert rc != 0 and "not allowed to export" in err
    assert cli("lead", "contact", "1", "--channel", "phone", "--summary", "有兴趣", user="rep")[0] == 0
    assert cli("lead", "status", "1", "qualified", user="rep")[0] == 0
    rc, out, err = cli("lead", "status", "2", "disqualified", user="rep")
    assert rc != 0 and "Reason" in err
    rc, out, err = cli("lead", "convert", "1", "--opportunity", "50000", user="rep")
    assert rc == 0 and "is now customer C" in out, err
    rc, out, _ = cli("lead", "show", "1", user="rep")
    assert "status: converted" in out and "有兴趣" in out
    rc, out, _ = cli("opportunity", "list", "--format", "json", user="rep")
    assert json.loads(out)[0]["amount"] == 50000
    assert cli("lead", "claim", "2", user="rep")[0] == 0
    rc, out, _ = cli("lead", "list", "--pool", user="rep")
    assert "陈女士" not in out
    rc, out, err = cli("report", "leads", "--period", "this_year", "--out", str(tmp_path / "leads.json"))
    assert rc == 0, err
    data = json.loads((tmp_path / "leads.json").read_text(encoding="utf-8"))
    assert data["totals"]["leads"] == 2 and data["totals"]["converted"] == 1
