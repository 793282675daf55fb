"""Crash test: `kill -9` of a real `desktop-crm import customers FILE --mode upsert` process at
random points, RUNS times, then proof that nothing is half-saved and a re-run finishes the job.

    python bench/crash_import.py [--runs 20] [--rows 10000] [--db URL] [--seed N] [--work DIR]

Each run starts the importer as its own process and waits until its first unit of 1,000 rows
is committed (seen from outside), then sleeps a random time of up to two units more and sends
SIGKILL — so kills land anywhere in a unit: mid-transaction, mid-commit, between units.
Some runs are killed at a random point of the reading/checking phase instead. After every
kill: `PRAGMA integrity_check` and `foreign_key_check` (SQLite), the customers present are
exactly a whole number of committed units (a prefix of the file, every customer with its
status history, search document and audit entries), no duplicates, the audit chain intact.
When most of the file is in, the import is re-run to completion (exit 0, exactly ROWS
customers, no duplicates) and the database starts over empty.

Without --db a SQLite file in --work is used; a PostgreSQL URL works too (its schema is
emptied first — only point it at a throw-away database).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

UNIT = 1000  # the importer's committed unit (ImportSpec.batch_size)
PASSWORD = "crash-test-pass-1"


@dataclass
class Outcome:
    run: int
    phase: str  # check (killed before any commit of this run) | write (killed after commits) | finished
    delay_s: float
    rows_before: int
    rows_after: int
    checks: str = "ok"


@dataclass
class Report:
    runs: int
    rows: int
    backend: str
    kills: int = 0
    killed_while_checking: int = 0
    killed_while_writing: int = 0
    finished_before_kill: int = 0
    completions: int = 0
    problems: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def write_file(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["客户编号", "客户名称", "客户类型", "手机", "城市", "状态"])
        for i in range(1, rows + 1):
            w.writerow([f"K{i:06d}", f"崩溃测试贸易公司{i}", "企业", f"139{i:08d}", "上海", "潜在客户"])


def _cli(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "desktop_crm", "--db", url, "--lang", "en", *args]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["DESKTOP_CRM_USER"], env["DESKTOP_CRM_PASSWORD"] = "admin", PASSWORD  # the command line logs in
    return env


class Target:
    """The database under test: counting from outside, resetting, checking."""

    def __init__(self, url: str, work: Path):
        self.url = url
        self.sqlite = url.startswith("sqlite")
        self.path = Path(url.removeprefix("sqlite:///")) if self.sqlite else None
        self.snapshot = work / "empty.sqlite3"
        self.engine = None if self.sqlite else create_engine(url)

    def _query(self, sql: str) -> list[tuple]:
        if self.sqlite:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
            try:
                return con.execute(sql).fetchall()
            finally:
                con.close()
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]

    def count(self, default: int | None = None) -> int:
        """Customers now; while the importer recovers the WAL after a kill a read may fail briefly:
        retried, then `default` (callers waiting for a change pass the old count: keep waiting)."""
        for _ in range(50):
            try:
                return self._query("SELECT count(*) FROM customers")[0][0]
            except Exception:  # noqa: BLE001 - busy during recovery
                if default is not None:
                    return default
                time.sleep(0.1)
        raise RuntimeError("cannot count the customers")

    def create(self) -> None:
        if self.sqlite:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            if self.snapshot.exists():
                shutil.copyfile(self.snapshot, self.path)
                return
        else:
            eng = create_engine(self.url, isolation_level="AUTOCOMMIT")
            with eng.connect() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            eng.dispose()
        subprocess.run(_cli(self.url, "init", "--admin-user", "admin", "--admin-password", PASSWORD),
                       check=True, capture_output=True, env=_env())
        if self.sqlite:
            con = sqlite3.connect(self.path)
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode=DELETE")
            con.close()
            shutil.copyfile(self.path, self.snapshot)

    def check(self, rows: int) -> list[str]:
        """Everything that must hold after any kill; an empty list means all held."""
        problems: list[str] = []
        if self.sqlite:
            ic = [r[0] for r in self._query("PRAGMA integrity_check")]
            if ic != ["ok"]:
                problems.append(f"integrity_check: {ic[:3]}")
            if self._query("PRAGMA foreign_key_check"):
                problems.append("foreign_key_check not empty")
        n, distinct_codes, distinct_mobiles = self._query(
            "SELECT count(*), count(DISTINCT code), count(DISTINCT mobile) FROM customers")[0]
        if n % UNIT and n != rows:
            problems.append(f"{n} customers: not a whole number of {UNIT}-row units")
        if not (n == distinct_codes == distinct_mobiles):
            problems.append(f"duplicates: {n} rows, {distinct_codes} codes, {distinct_mobiles} mobiles")
        expected = {f"K{i:06d}" for i in range(1, n + 1)}
        codes = {r[0] for r in self._query("SELECT code FROM customers")}
        if codes != expected:
            problems.append("the customers present are not the first units of the file")
        for what, sql in [
            ("status history", "SELECT count(DISTINCT customer_id) FROM customer_status_history"),
            ("search documents", "SELECT count(*) FROM customer_search"),
            ("audit entries", "SELECT count(DISTINCT entity_id) FROM audit_log WHERE entity = 'customer'"),
        ]:
            got = self._query(sql)[0][0]
            if got != n:
                problems.append(f"{what}: {got} for {n} customers")
        done = subprocess.run(_cli(self.url, "check"), capture_output=True, text=True, env=_env())
        if done.returncode != 0:
            problems.append(f"desktop-crm check: {done.stdout.strip()} {done.stderr.strip()}")
        return problems

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def _import(url: str, file: Path) -> subprocess.Popen:
    return subprocess.Popen(_cli(url, "import", "customers", str(file), "--mode", "upsert"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())


def _complete(target: Target, file: Path, rows: int, report: Report) -> None:
    done = subprocess.run(_cli(target.url, "import", "customers", str(file), "--mode", "upsert"),
                          capture_output=True, text=True, env=_env())
    report.completions += 1
    if done.returncode != 0 or "rejected: 0" not in done.stdout:
        report.problems.append(f"re-run did not finish: {done.returncode} {done.stdout} {done.stderr}"[:500])
    if "locked" in done.stderr:
        report.problems.append("'database is locked' reached the user")
    n = target.count()
    if n != rows:
        report.problems.append(f"re-run left {n} customers, expected {rows}")
    report.problems.extend(target.check(rows))


def run(runs: int = 20, rows: int = 10_000, url: str | None = None, seed: int = 7, work: Path | None = None,
        log=print) -> Report:  # noqa: ANN001
    rng = random.Random(seed)
    work = Path(work or tempfile.mkdtemp(prefix="crm-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    file = work / "customers.csv"
    write_file(file, rows)
    url = url or f"sqlite:///{work / 'crash.sqlite3'}"
    target = Target(url, work)
    report = Report(runs=runs, rows=rows, backend="sqlite" if target.sqlite else "postgresql")
    started = time.perf_counter()
    target.create()
    unit_s = 3.0  # seconds per committed unit, learned as runs go
    try:
        for i in range(1, runs + 1):
            before = target.count()
            proc = _import(url, file)
            t0 = time.perf_counter()
            in_check = rng.random() < 0.2
            if in_check:
                delay = rng.uniform(0.2, 3.0)
                time.sleep(delay)
            else:
                while proc.poll() is None and target.count(default=before) == before:
                    time.sleep(0.02)
                seen = time.perf_counter()
                delay = rng.uniform(0, 2 * unit_s)
                while proc.poll() is None and time.perf_counter() - seen < delay:
                    time.sleep(0.01)
            finished = proc.poll() is not None
            if not finished:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            err = proc.stderr.read() if proc.stderr else ""
            proc.stdout and proc.stdout.close()
            proc.stderr and proc.stderr.close()
            after = target.count()
            if after - before >= 2 * UNIT and not in_check:
                unit_s = max(0.2, (time.perf_counter() - t0) / max(1, (after - before) / UNIT) / 2)
            problems = target.check(rows)
            if finished and proc.returncode != 0:
                problems.append(f"import exited {proc.returncode}: {err.strip()[:300]}")
            phase = "finished" if finished else ("write" if after > before else "check")
            report.kills += 0 if finished else 1
            report.finished_before_kill += finished
            report.killed_while_writing += phase == "write"
            report.killed_while_checking += phase == "check"
            report.outcomes.append(Outcome(i, phase, round(time.perf_counter() - t0, 2), before, after,
                                           "; ".join(problems) or "ok"))
            report.problems.extend(f"run {i}: {p}" for p in problems)
            log(f"run {i:2d}: {phase:8s} after {time.perf_counter() - t0:6.1f} s  customers {before:6d} -> "
                f"{after:6d}  {'; '.join(problems) or 'all checks ok'}")
            if after >= rows - 2 * UNIT or i == runs:
                _complete(target, file, rows, report)
                log(f"         re-run to completion: {target.count()} customers, "
                    f"{'ok' if not report.problems else report.problems[-1]}")
                if i < runs:
                    target.create()
    finally:
        target.close()
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--db", help="database URL (default: a SQLite file in --work)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--work", type=Path)
    p.add_argument("--json", type=Path, help="write the report here")
    a = p.parse_args()
    report = run(a.runs, a.rows, a.db, a.seed, a.work)
    summary = {k: v for k, v in asdict(report).items() if k != "outcomes"}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if a.json:
        a.json.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
