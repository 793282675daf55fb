"""`kill -9` of a real import process at random points, then proof that nothing is half-saved.

The work is bench/crash_import.py (see its docstring for what is checked after every kill). The full
run — 20 kills in a 10,000-row customer import — is long (every re-run reads and checks the whole file
before writing), so it is marked slow; CRM_CRASH_RUNS / CRM_CRASH_ROWS scale it. On PostgreSQL the same
test kills client processes mid-transaction (the server must roll their unit back); PRAGMA checks are
SQLite-only and skipped there by the bench itself.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL

BENCH = Path(__file__).resolve().parents[2] / "bench" / "crash_import.py"


def _bench():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("crash_import", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_import"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.slow
def test_kill_minus_9_during_import_never_leaves_half_a_unit(tmp_path, db_url):
    bench = _bench()
    runs = int(os.environ.get("CRM_CRASH_RUNS", "20" if not PG_URL else "5"))
    rows = int(os.environ.get("CRM_CRASH_ROWS", "10000"))
    lines: list[str] = []
    report = bench.run(runs=runs, rows=rows, url=db_url if PG_URL else None, seed=11, work=tmp_path,
                       log=lines.append)
    print("\n".join(lines))
    assert report.ok, report.problems
    assert report.kills + report.finished_before_kill == runs
    assert report.killed_while_writing >= runs // 3  # most kills land while units are being written
    assert report.completions >= 1  # the import was re-run to the end at least once


@pytest.mark.sqlite_only
def test_crash_check_detects_a_half_unit(tmp_path):
    """The checker itself: 999 rows of a 1,000-row unit is reported, so a pass means something."""
    import sqlite3

    bench = _bench()
    target = bench.Target(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path)
    target.create()
    from desktop_crm.core.app_setup import open_database
    from desktop_crm.core.services import customers, users
    from desktop_crm.core.services.context import Ctx

    db = open_database(target.url).db
    ctx = Ctx(db, users.actor_by_name(db, None))
    customers.create_customer(ctx, {"name": "半个单元", "mobile": "13900000001"}, allow_duplicates=True)
    db.dispose()
    con = sqlite3.connect(target.path)
    con.execute("DELETE FROM customer_status_history")
    con.commit()
    con.close()
    problems = target.check(10)
    assert any("whole number" in p for p in problems)
    assert any("status history" in p for p in problems)
