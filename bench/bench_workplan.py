"""Work plan speed at scale (issue 14): 1,000,000 customers, 200 users, 2,000,000 tasks.
Targets: My day ≤ 150 ms, a week view ≤ 200 ms, a reminder check ≤ 50 ms per tick, a pool-rule
run over all customers ≤ 30 s and ≤ 500 MB.

    python bench/bench_workplan.py [--db FILE] [--customers 1000000] [--tasks 2000000] [--users 200]
                                   [--repeat 5]

Customers and users come from bench_dashboard's generator (no interactions); the tasks (over two
years around today, a third appointments with a reminder, one in ten with a participant) are
bulk-inserted once and reused on the next run when the counts match. Measured with a fresh engine
(cold) and as the median of --repeat (warm), for a rep and for a supervisor looking at a rep.
The pool rule (no follow-up for 90 days, on a copy of the database) runs as `desktop-crm jobs run
--only pool` in its own process, twice: the first run returns the whole backlog, the second (the
next day) is the steady state; wall time and the process's peak memory are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import _load, generate  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from desktop_crm.core.app_setup import open_database  # noqa: E402
from desktop_crm.core.db import Database  # noqa: E402
from desktop_crm.core.models import Customer, Task, TaskParticipant, TaskReminder, User  # noqa: E402
from desktop_crm.core.services import users  # noqa: E402
from desktop_crm.core.services.context import Ctx  # noqa: E402
from desktop_crm.core.workplan import reminders, tasks  # noqa: E402

KINDS = ["call", "visit", "meeting", "email", "other"]


def add_tasks(db: Database, n: int) -> None:
    rnd = random.Random(14)
    now = datetime.now().replace(microsecond=0)
    with db.read() as s:
        owners = list(s.scalars(select(User.id).where(User.username.like("u%")).order_by(User.id)))
        first, last = s.execute(select(func.min(Customer.id), func.max(Customer.id))).one()
    start_id = (db.engine.connect().scalar(select(func.max(Task.id))) or 0) + 1

    def rows():  # noqa: ANN202
        for k in range(n):
            owner = owners[k % len(owners)]
            day = now.date() + timedelta(days=rnd.randrange(-365, 365))
            appointment = k % 3 == 0
            start = datetime.combine(day, dtime(9 + k % 9, 30 * (k % 2))) if appointment else \
                datetime.combine(day, dtime.min)
            past = day < now.date()
            yield {"id": start_id + k, "title": f"任务{k}", "kind": KINDS[k % 5], "is_appointment": appointment,
                   "start": start, "end": start + timedelta(hours=1) if appointment else None,
                   "all_day": not appointment, "owner_id": owner, "priority": "normal",
                   "status": "done" if past and k % 10 else "open", "customer_id": first + (k * 7919) % (last - first + 1),
                   "created_at": now, "version": 1}

    _load(db, Task.__table__, rows(), "tasks", n)

    def reminder_rows():  # noqa: ANN202
        for k in range(0, n, 3):
            day_offset = (k * 31) % 730 - 365
            due = datetime.combine(now.date() + timedelta(days=day_offset), dtime(9, 15))
            yield {"task_id": start_id + k, "minutes": 15, "due_at": due,
                   "fired_at": due if due < now else None}

    _load(db, TaskReminder.__table__, reminder_rows(), "reminders", (n + 2) // 3)

    def participant_rows():  # noqa: ANN202
        for k in range(0, n, 10):
            yield {"task_id": start_id + k, "user_id": owners[(k + 1) % len(owners)]}

    _load(db, TaskParticipant.__table__, participant_rows(), "participants", (n + 9) // 10)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _time(fn, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - t0)
    return cold * 1000, statistics.median(warm) * 1000


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", default="/tmp/crm_bench_workplan.sqlite3")
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--tasks", type=int, default=2_000_000)
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--no-pool", action="store_true", help="skip the pool-rule runs")
    args = p.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{args.db}"
    db = open_database(url).db
    with db.read() as s:
        have = (s.scalar(select(func.count(Customer.id))) or 0, s.scalar(select(func.count(Task.id))) or 0)
    if have[0] != args.customers:
        generate(db, args.customers, 0, 0, args.users)
    if have[1] != args.tasks:
        add_tasks(db, args.tasks)
    db.dispose()
    fresh = Database(url)
    rep = Ctx(fresh, users.actor_by_name(fresh, "u1"))
    sup = Ctx(fresh, users.actor_by_name(fresh, "u0"))
    now = tasks.now()
    monday = datetime.combine(now.date() - timedelta(days=now.weekday()), dtime.min)
    results = {
        "My day (rep)": _time(lambda: tasks.my_day(rep), args.repeat),
        "My day (supervisor, of a rep)": _time(lambda: tasks.my_day(sup, user_id=rep.actor.id), args.repeat),
        "week view (rep)": _time(lambda: tasks.between(rep, monday, monday + timedelta(days=7)), args.repeat),
        "month view (rep)": _time(lambda: tasks.between(rep, monday, monday + timedelta(days=42)), args.repeat),
    }

    def tick() -> None:
        with fresh.write() as s:
            reminders.fire_due(s, tasks.now())
        reminders.take_new(rep)

    results["reminder tick (fire due + take new)"] = _time(tick, args.repeat)
    targets = {"My day (rep)": 150, "My day (supervisor, of a rep)": 150, "week view (rep)": 200,
               "month view (rep)": 200, "reminder tick (fire due + take new)": 50}
    print(f"{args.customers:,} customers, {args.users} users, {args.tasks:,} tasks ({fresh.dialect})")
    for name, (cold, warm) in results.items():
        print(f"  {name:40s} cold {cold:7.1f} ms   warm {warm:7.1f} ms   (target ≤ {targets[name]} ms)")
    fresh.dispose()
    if url.startswith("sqlite:///") and not args.no_pool:
        pool_rule_runs(args.db)


def pool_rule_runs(path: str) -> None:
    from desktop_crm.core.workplan import pool_rules

    copy = path + ".pool-copy"
    shutil.copyfile(path, copy)
    os.sync()  # the copy on disk first: its write-back would otherwise be timed with the job
    db = Database(f"sqlite:///{copy}")
    admin = Ctx(db, users.actor_by_name(db, "admin"))
    pool_rules.save_rule(admin, pool_rules.RuleInput(name="90 天未跟进", days=90, warn_days=7))
    db.dispose()
    env = {**os.environ, "DESKTOP_CRM_USER": "admin", "DESKTOP_CRM_PASSWORD": "bench-pass-1"}
    for label, when in (("first run (the backlog)", datetime.now()),
                        ("next day (steady state)", datetime.now() + timedelta(days=1))):
        cmd = [sys.executable, "-m", "desktop_crm", "--db", f"sqlite:///{copy}", "--lang", "en", "jobs", "run",
               "--only", "pool", "--now", when.isoformat(timespec="seconds")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - t0
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        print(f"  pool rule, {label:28s} {wall:6.1f} s, peak {peak:.0f} MB (target ≤ 30 s, ≤ 500 MB): "
              f"{(out.stdout or out.stderr).strip()}")
    os.remove(copy)


if __name__ == "__main__":
    main()
