"""Two real processes on one database: optimistic concurrency on edits, concurrent imports."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import text

from desktop_crm.core.errors import ConflictError
from desktop_crm.core.services import customers
from tests.conftest import PASSWORD
from tests.core._procs import cli, python, wait_for

EDITOR = r"""
import json, sys, time
from pathlib import Path
from desktop_crm.core.app_setup import open_database
from desktop_crm.core.services import customers, users
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.errors import ConflictError
url, user, cid, value, opened, go = sys.argv[1:7]
db = open_database(url).db
ctx = Ctx(db, users.actor_by_name(db, user))
seen = customers.get_customer(ctx, int(cid))          # the edit window opens
Path(opened).write_text(str(seen.version))
while not Path(go).exists():
    time.sleep(0.02)
try:
    saved = customers.update_customer(ctx, int(cid), {"notes": value}, expected_version=seen.version)
    print(json.dumps({"ok": True, "version": saved.version}))
except ConflictError as exc:
    print(json.dumps({"ok": False, "message": str(exc)}))
db.dispose()
"""


def test_second_save_of_the_same_customer_is_refused(team, db_url, tmp_path):
    sup = team["sup_sales"]
    c = customers.create_customer(team["rep1"], {"name": "并发贸易"})
    procs = {}
    for who, value in (("rep1", "first edit"), ("sup_sales", "second edit")):
        procs[who] = python(EDITOR, db_url, who, str(c.id), value, str(tmp_path / f"{who}.opened"),
                            str(tmp_path / f"{who}.go"))
    for who in procs:
        wait_for(tmp_path / f"{who}.opened")
    (tmp_path / "rep1.go").touch()
    first = json.loads(procs["rep1"].communicate(timeout=120)[0])
    (tmp_path / "sup_sales.go").touch()
    out, err = procs["sup_sales"].communicate(timeout=120)
    second = json.loads(out)
    assert first["ok"] is True
    assert second["ok"] is False, second
    assert "Changed by rep1 at" in second["message"] and "since you opened it" in second["message"]
    assert "Reload" in second["message"]
    # never a silent overwrite: the first save stands
    now = customers.get_customer(sup, c.id)
    assert now.values["notes"] == "first edit"
    # the way out: reload (new version) and save again
    saved = customers.update_customer(sup, c.id, {"notes": "second edit"}, expected_version=now.version)
    assert saved.values["notes"] == "second edit"
    with pytest.raises(ConflictError):
        customers.update_customer(team["rep1"], c.id, {"notes": "stale"}, expected_version=now.version)


def _csv(path, first: int, last: int) -> str:  # noqa: ANN001
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["客户编号", "客户名称", "手机"])
        for i in range(first, last + 1):
            w.writerow([f"P{i:06d}", f"并发导入公司{i}", f"137{i:08d}"])
    return str(path)


@pytest.mark.slow
def test_two_imports_at_once_both_finish_without_locked_errors(admin, db_url, tmp_path):
    """Two processes import overlapping files at the same moment: both finish (one waits for the
    other's units), nothing is duplicated, and "database is locked" never reaches the user."""
    a = _csv(tmp_path / "a.csv", 1, 2500)
    b = _csv(tmp_path / "b.csv", 1501, 4000)
    procs = [cli(db_url, "import", "customers", a, "--mode", "upsert"),
             cli(db_url, "import", "customers", b, "--mode", "upsert")]
    results = [p.communicate(timeout=900) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert "locked" not in (out + err).lower(), err
        assert p.returncode == 0, (out, err)
        assert "rejected: 0" in out
    with admin.db.read() as s:
        n, codes, mobiles = s.execute(text(
            "SELECT count(*), count(DISTINCT code), count(DISTINCT mobile) FROM customers")).one()
    assert n == codes == mobiles == 4000
    created = sum(int(out.split("created: ")[1].split()[0]) for out, _ in results)
    assert created == 4000  # each overlapping row created once, skipped or updated by the other


def test_login_and_edit_while_another_process_imports(admin, db_url, tmp_path):
    """A desk keeps working (reads and a save) while another process writes units."""
    from desktop_crm.core.services import users

    path = _csv(tmp_path / "c.csv", 1, 1500)
    proc = cli(db_url, "import", "customers", path, "--mode", "upsert")
    c = customers.create_customer(admin, {"name": "另一张桌子"})
    for i in range(5):
        now = customers.get_customer(admin, c.id)
        customers.update_customer(admin, c.id, {"notes": f"edit {i}"}, expected_version=now.version)
        users.authenticate(admin.db, "admin", PASSWORD)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0 and "locked" not in err.lower(), err
