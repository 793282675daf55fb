"""`task`, `calendar export`, `inbox list` and `jobs run` on the command line."""

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


def test_plan_list_move_done_and_export(cli, tmp_path):
    rc, out, err = cli("task", "add", "Weekly call", "--start", "2027-03-01T09:30", "--end", "2027-03-01T10:00",
                       "--kind", "call", "--remind", "15", "--repeat", "weekly", "--count", "3", user="rep")
    assert rc == 0, err
    ids = [int(line.split()[1]) for line in out.splitlines()]
    assert len(ids) == 3 and "2027-03-15 09:30–10:00" in out
    rc, out, err = cli("task", "add", "Quote", "--due", "2027-03-02", "--kind", "email", user="rep")
    assert rc == 0, err
    rc, out, _ = cli("task", "list", "--from", "2027-03-01", "--to", "2027-03-07", "--format", "json", user="rep")
    rows = json.loads(out)
    assert [r["title"] for r in rows] == ["Weekly call", "Quote"] and rows[0]["reminders"] == "15"
    rc, out, err = cli("task", "move", str(ids[1]), "--start", "2027-03-09T14:00", user="rep")
    assert rc == 0 and "2027-03-09 14:00–14:30" in out, err
    rc, out, err = cli("task", "done", str(ids[0]), "--result", "talked", user="rep")
    assert rc == 0 and f"Task {ids[0]} done" in out
    rc, out, err = cli("task", "add", "x", "--start", "tomorrow at noon", user="rep")
    assert rc == 2 and "--start" in err
    rc, out, err = cli("task", "add", "", "--due", "2027-03-02", user="rep")
    assert rc != 0 and "Subject" in err
    out_file = tmp_path / "week.ics"
    rc, out, err = cli("calendar", "export", "--from", "2027-03-01", "--to", "2027-03-31", "--out", str(out_file),
                       user="rep")
    assert rc == 0, err
    text = out_file.read_text(encoding="utf-8")
    assert "RRULE:FREQ=WEEKLY;COUNT=3" in text and "TRIGGER:-PT15M" in text and "SUMMARY:Quote" in text
    # the administrator sees the rep's items; the viewer may not export them
    rc, out, _ = cli("task", "list", "--owner", "rep", user="admin")
    assert "Weekly call" in out
    rc, out, err = cli("task", "list", "--format", "csv", user="look")
    assert rc != 0 and "not allowed to export" in err
    rc, out, err = cli("calendar", "export", "--from", "2027-03-01", "--to", "2027-03-31", "--out",
                       str(tmp_path / "v.ics"), user="look")
    assert rc != 0 and not (tmp_path / "v.ics").exists()


def test_jobs_fire_reminders_into_the_inbox_and_as_of_another_time(cli):
    assert cli("task", "add", "Visit", "--start", "2027-03-01T09:00", "--remind", "60", user="rep")[0] == 0
    rc, out, err = cli("jobs", "run", "--now", "2027-03-01T08:30", user="rep")
    assert rc != 0 and "administrators" in err
    rc, out, err = cli("jobs", "run", "--only", "reminders", "--now", "2027-03-01T08:30", user="admin")
    assert rc == 0 and "reminders: 1 reminders fired" in out, err
    rc, out, err = cli("jobs", "run", "--only", "reminders", "--now", "2027-03-01T08:31", user="admin")
    assert "0 reminders fired" in out
    rc, out, err = cli("jobs", "run", "--only", "nonsense", user="admin")
    assert rc != 0 and "reminders" in err
    rc, out, _ = cli("inbox", "list", "--format", "json", user="rep")
    rows = json.loads(out)
    assert rows[0]["kind"] == "reminder" and rows[0]["title"] == "Visit"
    rc, out, _ = cli("jobs", "list", "--format", "json", user="admin")
    assert {r["job"] for r in json.loads(out)} == {"reminders"}
    rc, out, err = cli("jobs", "list", user="rep")
    assert rc != 0


def test_pool_rules_limits_claims_and_the_job_from_the_command_line(cli, db_url):
    from datetime import datetime, timedelta

    from sqlalchemy import update

    from desktop_crm.core.app_setup import open_database
    from desktop_crm.core.models import Customer
    from desktop_crm.core.services import customers, users
    from desktop_crm.core.services.context import Ctx

    db = open_database(db_url).db
    rep = Ctx(db, users.actor_by_name(db, "rep"))
    old = customers.create_customer(rep, {"name": "老客户有限公司"})
    with db.write() as s:
        s.execute(update(Customer).where(Customer.id == old.id).values(
            created_at=datetime.now() - timedelta(days=100), last_contact_at=datetime.now() - timedelta(days=100)))
    db.dispose()
    rc, out, err = cli("pool", "rule", "add", "90 天未跟进", "--condition", "no_follow_up", "--days", "90",
                       "--warn-days", "3", "--exempt-open-contract", user="rep")
    assert rc != 0 and "administrators" in err
    rc, out, err = cli("pool", "rule", "add", "90 天未跟进", "--condition", "no_follow_up", "--days", "90",
                       "--warn-days", "3", "--exempt-open-contract")
    assert rc == 0 and "no follow-up for 90 days" in out, err
    rc, out, err = cli("pool", "rule", "add", "bad", "--condition", "nothing", "--days", "9")
    assert rc == 2 and "--condition" in err
    rc, out, _ = cli("pool", "rule", "list", "--format", "json", user="rep")
    assert json.loads(out)[0]["name"] == "90 天未跟进"
    rc, out, err = cli("pool", "limit", "set", "staff", "300", "--reclaim-days", "30")
    assert rc == 0, err
    rc, out, err = cli("jobs", "run", "--only", "pool")
    assert rc == 0 and "90 天未跟进: 1 to the pool" in out, err
    rc, out, err = cli("jobs", "run", "--only", "pool")
    assert "0 to the pool" in out
    rc, out, err = cli("pool", "claim", old.code, user="rep")
    assert rc != 0 and "claim it again from" in err
    rc, out, err = cli("pool", "claim", old.code, user="admin")
    assert rc == 0 and "1 customers claimed" in out, err
