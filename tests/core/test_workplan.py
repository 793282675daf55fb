"""Tasks and appointments: scope by customer, recurrence, reminders that fire once (also from two
desks), the follow-up and return-visit links, calendar files and the job runner."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest

from desktop_crm.core.db import Database
from desktop_crm.core.errors import NotFound, PermissionDenied, ValidationError
from desktop_crm.core.models import JobRun
from desktop_crm.core.services import customers, interactions, transfers, visits
from desktop_crm.core.workplan import ics, jobs, reminders, tasks
from desktop_crm.core.workplan.tasks import TaskFilter, TaskInput

TODAY = date.today()


def _at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(TODAY + timedelta(days=days), time(hour, minute))


@pytest.fixture
def office(team):  # noqa: ANN001, ANN201
    c1 = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司", "mobile": "13812345678"})
    c2 = customers.create_customer(team["rep2"], {"name": "华联商贸有限公司", "mobile": "13912345678"})
    return team, c1, c2


def test_a_task_and_an_appointment_with_bad_input_named_by_field(office):
    team, c1, _c2 = office
    with pytest.raises(ValidationError) as err:
        tasks.create(team["rep1"], TaskInput(title="", kind="fax", is_appointment=True))
    assert set(err.value.errors) == {"subject", "kind", "start"}
    assert str(err.value).startswith("Subject: is required")
    with pytest.raises(ValidationError) as err:
        tasks.create(team["rep1"], TaskInput(title="x", is_appointment=True, start=_at(1, 15), end=_at(1, 14)))
    assert "end" in err.value.errors
    [t] = tasks.create(team["rep1"], TaskInput(title="Call about the quote", due=TODAY, customer_id=c1.id))
    assert t.all_day and t.start == datetime.combine(TODAY, time.min) and t.customer_code == c1.code
    [a] = tasks.create(team["rep1"], TaskInput(title="Meeting", kind="meeting", is_appointment=True,
                                              start=_at(2, 15), reminders=[15, 60]))
    assert a.end == _at(2, 16) and a.reminders == (15, 60)


def test_scope_follows_the_customer(office):
    team, c1, c2 = office
    [t1] = tasks.create(team["rep1"], TaskInput(title="rep1 on c1", due=TODAY, customer_id=c1.id))
    [t2] = tasks.create(team["rep2"], TaskInput(title="rep2 on c2", due=TODAY, customer_id=c2.id,
                                                participant_ids=[team["rep1"].actor.id]))
    [t3] = tasks.create(team["rep2"], TaskInput(title="rep2 on c1?", due=TODAY))
    # rep1 sees own, c1's, and t2 only as a participant if c2 is visible — it is not: nothing through c2
    seen = {t.id for t in tasks.page(team["rep1"], TaskFilter())}
    assert t1.id in seen and t2.id not in seen and t3.id not in seen
    with pytest.raises(NotFound):
        tasks.get(team["rep1"], t2.id)
    # the supervisor sees the team's; rep3 (service) none of them
    assert {t1.id, t2.id, t3.id} <= {t.id for t in tasks.page(team["sup_sales"], TaskFilter())}
    assert tasks.page(team["rep3"], TaskFilter()) == []
    # a task on rep1's customer made by the supervisor for rep1: rep1 sees and completes it
    [t4] = tasks.create(team["sup_sales"], TaskInput(title="for rep1", due=TODAY, customer_id=c1.id,
                                                     owner_id=team["rep1"].actor.id))
    assert tasks.complete(team["rep1"], t4.id, "done it").status == "done"
    # the owner must be able to see the customer
    with pytest.raises(ValidationError) as err:
        tasks.create(team["sup_sales"], TaskInput(title="x", due=TODAY, customer_id=c1.id,
                                                  owner_id=team["rep2"].actor.id))
    assert "owner" in err.value.errors
    with pytest.raises(PermissionDenied):
        tasks.create(team["viewer"], TaskInput(title="x", due=TODAY))
    with pytest.raises(NotFound):
        tasks.cancel(team["rep2"], t1.id)
    with pytest.raises(PermissionDenied):
        tasks.cancel(team["viewer"], t1.id)


def test_recurrence_one_row_each_and_monthly_keeps_the_month_end(office):
    team, _c1, _c2 = office
    rows = tasks.create(team["rep1"], TaskInput(title="Weekly call", is_appointment=True,
                                                start=datetime(2027, 1, 31, 9), repeat="monthly", repeat_count=4))
    assert [r.start.date() for r in rows] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31),
                                              date(2027, 4, 30)]
    assert len({r.series_id for r in rows}) == 1 and rows[0].series_id == rows[0].id
    weekly = tasks.create(team["rep1"], TaskInput(title="Stand-up", is_appointment=True, start=datetime(2027, 1, 4, 9),
                                                  repeat="weekly", repeat_until=date(2027, 1, 31)))
    assert len(weekly) == 4
    with pytest.raises(ValidationError) as err:
        tasks.create(team["rep1"], TaskInput(title="x", due=TODAY, repeat="daily"))
    assert "repeat_count" in err.value.errors


def test_reminders_fire_once_move_recomputes_and_a_past_one_fires_at_once(office, db):
    team, c1, _c2 = office
    rep1 = team["rep1"]
    start = tasks.now() + timedelta(hours=3)
    [t] = tasks.create(rep1, TaskInput(title="Quote call", kind="call", is_appointment=True, start=start,
                                       reminders=[15, 60], customer_id=c1.id, participant_ids=[team["sup_sales"].actor.id]))
    with db.write() as s:
        assert reminders.fire_due(s, start - timedelta(minutes=61)) == 0
        assert reminders.fire_due(s, start - timedelta(minutes=59)) == 1
    with db.write() as s:
        assert reminders.fire_due(s, start - timedelta(minutes=59)) == 0  # never twice
    assert [i.title for i in reminders.inbox(rep1)] == ["Quote call · 迅捷物流速运有限公司"]
    assert reminders.unread_count(team["sup_sales"]) == 1  # the participant too
    # moving the item recomputes its reminders; one whose time has passed fires at once
    moved = tasks.move(rep1, t.id, tasks.now() + timedelta(minutes=10))
    assert moved.start > tasks.now()
    assert len(reminders.inbox(rep1)) == 3  # the 60- and the 15-minute one are past: both fired now
    notes = reminders.take_new(rep1)
    assert len(notes.now) == 3 and reminders.take_new(rep1).now == []  # shown once
    reminders.mark_read(rep1)
    assert reminders.unread_count(rep1) == 0
    # done: unfired reminders are dropped
    [t2] = tasks.create(rep1, TaskInput(title="Later", is_appointment=True, start=start + timedelta(days=2),
                                        reminders=[30]))
    tasks.cancel(rep1, t2.id, "not needed")
    with db.write() as s:
        assert reminders.fire_due(s, start + timedelta(days=3)) == 0


def test_missed_while_away_are_grouped(office, db):
    team, _c1, _c2 = office
    rep1 = team["rep1"]
    for hour in (8, 9, 10):
        tasks.create(rep1, TaskInput(title=f"Early {hour}", is_appointment=True, start=_at(-1, hour), reminders=[5]))
    # the app was closed: the runner fires them at start
    jobs.run_due(db, tasks.now())
    notes = reminders.take_new(rep1)
    assert notes.now == [] and len(notes.missed) == 3
    assert notes.messages() == ["3 reminders while you were away"]


def test_two_desks_fire_each_reminder_once(office, db_url):
    team, _c1, _c2 = office
    rep1 = team["rep1"]
    start = tasks.now() - timedelta(minutes=1)
    for i in range(30):
        tasks.create(rep1, TaskInput(title=f"Item {i}", is_appointment=True, start=start, reminders=[5, 10]))
    desks = [Database(db_url), Database(db_url)]
    fired = [0, 0]

    def run(n: int) -> None:
        with desks[n].write() as s:
            fired[n] = reminders.fire_due(s, tasks.now())

    threads = [threading.Thread(target=run, args=(n,)) for n in (0, 1)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for d in desks:
        d.dispose()
    assert sum(fired) == 60 and len(reminders.inbox(rep1)) == 60


def test_follow_up_and_return_visit_create_their_tasks_and_close_them(office):
    team, c1, _c2 = office
    rep1 = team["rep1"]
    due = TODAY + timedelta(days=3)
    interactions.log_interaction(rep1, c1.id, channel="phone", summary="asked for a quote", next_follow_up=due)
    [t] = tasks.page(rep1, TaskFilter(customer_id=c1.id))
    assert t.interaction_id and t.start.date() == due and t.kind == "call" and c1.values["name"] in t.title
    # completing the task from the calendar records the follow-up
    with pytest.raises(ValidationError) as err:
        tasks.complete(rep1, t.id, "")
    assert "result" in err.value.errors
    done = tasks.complete(rep1, t.id, "sent the quote")
    assert done.status == "done" and done.result == "sent the quote"
    timeline = interactions.list_for_customer(rep1, c1.id)
    assert timeline[0].summary == "sent the quote" and not any(i.follow_up_pending for i in timeline)
    # a return visit plans its task; recording the visit closes it
    [vid] = visits.plan_visits(rep1, [c1.id], due)
    [vt] = tasks.page(rep1, TaskFilter(customer_id=c1.id, statuses=("open",)))
    assert vt.visit_id == vid
    with pytest.raises(ValidationError):
        tasks.complete(rep1, vt.id, "x")
    visits.complete_visit(rep1, vid, score=5)
    assert tasks.get(rep1, vt.id).status == "done"


def test_open_items_follow_a_handover_and_are_cancelled_to_the_pool(office):
    team, c1, _c2 = office
    [t] = tasks.create(team["rep1"], TaskInput(title="call", due=TODAY, customer_id=c1.id))
    with team["admin"].db.write() as s:
        transfers.move_customers(s, team["admin"], [c1.id], team["rep2"].actor.id, "rep1 left")
    assert tasks.get(team["rep2"], t.id).owner_id == team["rep2"].actor.id
    with team["admin"].db.write() as s:
        transfers.move_customers(s, team["admin"], [c1.id], None, "to the pool")
    assert tasks.get(team["admin"], t.id).status == "cancelled"


def test_my_day_and_postpone(office):
    team, c1, _c2 = office
    rep1 = team["rep1"]
    [late] = tasks.create(rep1, TaskInput(title="late", due=TODAY - timedelta(days=2), customer_id=c1.id))
    [today] = tasks.create(rep1, TaskInput(title="today", is_appointment=True, start=_at(0, 15)))
    tasks.create(rep1, TaskInput(title="tomorrow", due=TODAY + timedelta(days=1)))
    day = tasks.my_day(rep1)
    assert [t.title for t in day.overdue] == ["late"] and [t.title for t in day.today] == ["today"]
    assert tasks.postpone(rep1, late.id).start.date() == TODAY
    assert tasks.postpone(rep1, today.id).start == _at(1, 15)
    with pytest.raises(PermissionDenied):
        tasks.my_day(team["rep1"], user_id=team["rep2"].actor.id)
    assert tasks.my_day(team["sup_sales"], user_id=rep1.actor.id).today[0].title == "late"


def test_calendar_file_has_uids_rrule_alarm_and_overrides(office, tmp_path):
    team, c1, _c2 = office
    rep1 = team["rep1"]
    rows = tasks.create(rep1, TaskInput(title="周会; weekly, team", kind="meeting", is_appointment=True,
                                        start=datetime(2027, 3, 1, 9, 30), repeat="weekly", repeat_count=3,
                                        reminders=[15], customer_id=c1.id))
    tasks.move(rep1, rows[1].id, datetime(2027, 3, 9, 14, 0))
    [single] = tasks.create(rep1, TaskInput(title="Deliver", due=date(2027, 3, 2)))
    items = tasks.between(rep1, datetime(2027, 3, 1), datetime(2027, 4, 1))
    path = ics.write(tmp_path / "week.ics", items)
    raw = path.read_bytes()
    assert b"\r\n" in raw
    text = raw.decode("utf-8").replace("\r\n ", "")
    assert text.startswith("BEGIN:VCALENDAR") and text.rstrip().endswith("END:VCALENDAR")
    assert f"UID:task-{rows[0].id}@desktop-crm" in text and f"UID:task-{single.id}@desktop-crm" in text
    assert "RRULE:FREQ=WEEKLY;COUNT=3" in text
    assert "RECURRENCE-ID;TZID=" in text and "DTSTART;TZID=" in text and "20270309T140000" in text
    assert "TRIGGER:-PT15M" in text and "BEGIN:VTIMEZONE" in text
    assert "SUMMARY:周会\\; weekly\\, team — 迅捷物流速运有限公司" in text
    assert "DTSTART;VALUE=DATE:20270302" in text
    assert all(len(line.encode()) <= 75 for line in raw.decode("utf-8").split("\r\n"))


def test_the_run_log_keeps_the_latest_runs_of_each_job(db, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(jobs, "KEEP_RUNS", 5)
    at = datetime(2027, 5, 1, 8, 0)
    jobs.run_due(db, at, only="pool")
    for n in range(8):  # a reminder tick every 30 seconds
        jobs.run_due(db, at + timedelta(seconds=30 * n), only="reminders")
    with db.read() as s:
        kept = [(r.job, r.started_at) for r in s.query(JobRun).order_by(JobRun.started_at)]
    assert kept == [("pool", at)] + [("reminders", at + timedelta(seconds=30 * n)) for n in range(3, 8)]


def test_the_runner_records_runs_retries_a_crash_and_leases_per_job(db, monkeypatch, team):
    at = datetime(2027, 5, 1, 8, 0)
    [out] = jobs.run_due(db, at, only="reminders")
    assert out.ran and out.ok
    [again] = jobs.run_due(db, at + timedelta(seconds=10), only="reminders")
    assert not again.ran  # its interval has not passed
    calls = []

    def boom(_db, _at):  # noqa: ANN001, ANN202
        calls.append(_at)
        raise RuntimeError("disk on fire")

    real = jobs.registry()
    monkeypatch.setattr(jobs, "registry", lambda: {"reminders": jobs.Job("reminders", "Reminders",
                                                                         real["reminders"].every, boom)})
    [bad] = jobs.run_due(db, at + timedelta(minutes=1))
    assert bad.ran and not bad.ok and "disk on fire" in bad.message
    [retry] = jobs.run_due(db, at + timedelta(minutes=1, seconds=5))
    assert retry.ran and len(calls) == 2  # a failed run does not count: retried at the next tick
    with db.read() as s:
        assert s.query(JobRun).filter(JobRun.ok.is_(False)).count() == 2
    # another desk holds the lease: this desk does not run the job
    assert jobs.acquire(db, "reminders", "desk-b", at + timedelta(minutes=2))
    [held] = jobs.run_due(db, at + timedelta(minutes=3), holder="desk-a")
    assert not held.ran and "another desk" in held.message
    # …until the lease expires
    [after] = jobs.run_due(db, at + timedelta(minutes=30), holder="desk-a")
    assert after.ran
    assert [r.job for r in jobs.recent_runs(team["admin"])][:1] == ["reminders"]
    with pytest.raises(PermissionDenied):
        jobs.recent_runs(team["manager"])
    with pytest.raises(ValidationError):
        jobs.run_due(db, at, only="nonsense")
