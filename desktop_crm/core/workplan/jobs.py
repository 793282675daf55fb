"""The one job runner: periodic work (firing reminders, pool rules…) run at start and on a timer,
off the GUI thread, or once from the command line (`jobs run`).

Each run is a row in `job_runs` (started, finished, result or error). A job runs when its interval
has passed since its last successful run, so a run that crashed is retried at the next tick. A
lease row (`job_leases`) lets one desk at a time run a given job when several desks share a
PostgreSQL database. The clock is passed in, so tests and `--now` move time.
"""

from __future__ import annotations

import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_crm.core.db import Database
from desktop_crm.core.i18n import N_, _, gettext
from desktop_crm.core.models import JobLease, JobRun

LEASE = timedelta(minutes=10)
KEEP_RUNS = 500  # per job: the log shows the recent past, not every 30-second tick since installation


@dataclass(frozen=True)
class Job:
    name: str
    title: str  # N_() text
    every: timedelta
    run: Callable[[Database, datetime], str]  # returns what it did, in a line

    @property
    def label(self) -> str:
        return gettext(self.title)


def _reminders(db: Database, at: datetime) -> str:
    from desktop_crm.core.workplan import reminders

    with db.write() as s:
        n = reminders.fire_due(s, at)
    return _("{n} reminders fired").format(n=n)


def _pool(db: Database, at: datetime) -> str:
    from desktop_crm.core.workplan import pool_rules

    return pool_rules.run_job(db, at)


def registry() -> dict[str, Job]:
    """Every job; an area adds its own here."""
    jobs = [Job("reminders", N_("Reminders"), timedelta(seconds=30), _reminders),
            Job("pool", N_("Pool rules"), timedelta(hours=1), _pool)]
    return {j.name: j for j in jobs}


def desk() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def acquire(db: Database, job: str, holder: str, at: datetime) -> bool:
    """Take the job's lease (free, expired, or already ours) in its own short transaction."""
    with db.write() as s:
        got = s.execute(update(JobLease).where(JobLease.job == job, (JobLease.expires_at < at)
                                               | (JobLease.holder == holder))
                        .values(holder=holder, expires_at=at + LEASE)
                        .execution_options(synchronize_session=False)).rowcount
        if got == 1:
            return True
        if s.get(JobLease, job) is not None:
            return False
        try:
            with s.begin_nested():
                s.add(JobLease(job=job, holder=holder, expires_at=at + LEASE))
        except IntegrityError:
            return False
        return True


def release(db: Database, job: str, holder: str) -> None:
    with db.write() as s:
        s.execute(update(JobLease).where(JobLease.job == job, JobLease.holder == holder)
                  .values(expires_at=datetime(2000, 1, 1)).execution_options(synchronize_session=False))


def _last_success(db: Database, job: str) -> datetime | None:
    with db.read() as s:
        return s.scalar(select(JobRun.started_at).where(JobRun.job == job, JobRun.ok.is_(True))
                        .order_by(JobRun.started_at.desc()).limit(1))


@dataclass(frozen=True)
class Outcome:
    job: str
    ran: bool
    ok: bool
    message: str


def run_one(db: Database, job: Job, at: datetime, *, holder: str | None = None, force: bool = False) -> Outcome:
    holder = holder or desk()
    if not force:
        last = _last_success(db, job.name)
        if last is not None and at - last < job.every and last <= at:
            return Outcome(job.name, False, True, "")
    if not acquire(db, job.name, holder, at):
        return Outcome(job.name, False, True, _("running on another desk"))
    try:
        with db.write() as s:
            run = JobRun(job=job.name, desk=holder, started_at=at)
            s.add(run)
            s.flush()
            run_id = run.id
        try:
            message = job.run(db, at)
        except Exception as exc:  # noqa: BLE001 - recorded; retried at the next tick
            with db.write() as s:
                s.execute(update(JobRun).where(JobRun.id == run_id).values(
                    finished_at=datetime.now().replace(microsecond=0), ok=False, error=traceback.format_exc()[-4000:],
                    result=str(exc)[:500]))
            return Outcome(job.name, True, False, str(exc))
        with db.write() as s:
            s.execute(update(JobRun).where(JobRun.id == run_id).values(
                finished_at=datetime.now().replace(microsecond=0), ok=True, result=message))
            _prune(s, job.name)
        return Outcome(job.name, True, True, message)
    finally:
        release(db, job.name, holder)


def _prune(s: Session, job: str) -> None:
    """Drop the job's runs older than its KEEP_RUNS latest."""
    oldest_kept = s.scalar(select(JobRun.started_at).where(JobRun.job == job)
                           .order_by(JobRun.started_at.desc()).offset(KEEP_RUNS - 1).limit(1))
    if oldest_kept is not None:
        s.execute(delete(JobRun).where(JobRun.job == job, JobRun.started_at < oldest_kept))


def run_due(db: Database, at: datetime | None = None, *, only: str | None = None, force: bool = False,
            holder: str | None = None) -> list[Outcome]:
    """One tick: each job whose time has come (all of them with `force`)."""
    at = at or datetime.now().replace(microsecond=0)
    jobs = registry()
    if only is not None:
        if only not in jobs:
            from desktop_crm.core.errors import ValidationError

            raise ValidationError({"job": _("must be one of: {keys}").format(keys=", ".join(jobs))})
        jobs = {only: jobs[only]}
    return [run_one(db, j, at, holder=holder, force=force) for j in jobs.values()]


@dataclass(frozen=True)
class RunView:
    id: int
    job: str
    desk: str
    started_at: datetime
    finished_at: datetime | None
    ok: bool | None
    result: str
    error: str


def recent_runs(ctx, limit: int = 200) -> list[RunView]:  # noqa: ANN001
    """The run log, for administrators."""
    from desktop_crm.core.services.permissions import require_role

    require_role(ctx.actor, "admin", _("Only administrators see the job runs."))
    with ctx.db.read() as s:
        return [RunView(r.id, r.job, r.desk, r.started_at, r.finished_at, r.ok, r.result or "", r.error or "")
                for r in s.scalars(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit))]
