"""`visit plan|done`, `interaction add`, `reminders` over a real database."""

from __future__ import annotations

import json
from datetime import date

from desktop_crm.cli import main
from desktop_crm.core.services import customers


def test_visit_and_interaction_commands(team, db_url, capsys):
    rep = team["rep1"]
    c1 = customers.create_customer(rep, {"name": "命令行客户"}).code
    c2 = customers.create_customer(rep, {"name": "第二个客户"}).code
    today = date.today().isoformat()
    assert main(["--db", db_url, "visit", "plan", "--customers", c1, c2, "--due", today, "--assignee", "rep1",
                 "--purpose", "新客户回访"]) == 0
    out = capsys.readouterr().out
    assert out.count("planned") == 2
    vid = int(out.split()[2])
    assert main(["--db", db_url, "--user", "rep1", "interaction", "add", c1, "--channel", "电话",
                 "--summary", "问候", "--next", today]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "reminders", "--user", "rep1", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["kind"] for r in rows} == {"visit", "follow_up"}
    assert all({"kind", "due", "customer_code", "title"} <= set(r) for r in rows)
    assert main(["--db", db_url, "--user", "rep1", "visit", "done", str(vid), "--score", "5",
                 "--feedback", "need,意向", "--note", "满意"]) == 0
    assert "5/5" in capsys.readouterr().out
    assert main(["--db", db_url, "--user", "rep1", "reminders"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].startswith("kind") and len(table.splitlines()) == 2  # follow-up settled by the visit
    # errors are one clear line with a non-zero status
    assert main(["--db", db_url, "visit", "done", str(vid), "--score", "4"]) == 1
    assert "already" in capsys.readouterr().err
    assert main(["--db", db_url, "interaction", "add", c1, "--channel", "fax", "--summary", "x"]) == 2
    assert main(["--db", db_url, "--user", "rep2", "reminders", "--user", "rep1"]) == 1
    assert "team" in capsys.readouterr().err
