"""Tasks (待办) and appointments (日程): create, change, move, complete, cancel, postpone. Reading
them is `task_query` (its names are used from here too). A recurring item is stored as one row per
occurrence (`series_id`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_crm.core.enums import REPEAT, TASK_KIND, TASK_PRIORITY, TASK_STATUS
from desktop_crm.core.errors import ConflictError, PermissionDenied, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Task, TaskParticipant, TaskReminder, User
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Actor, Ctx
from desktop_crm.core.services.permissions import customer_scope, require_write, user_in_scope
from desktop_crm.core.services.users import actor_of
from desktop_crm.core.workplan.task_query import (  # noqa: F401 - the reading side, used as tasks.* too
    Day,
    TaskFilter,
    TaskView,
    between,
    count,
    get,
    load_visible,
    my_day,
    now,
    page,
    title_of,
    views_of,
    visible,
)

MAX_OCCURRENCES = 366
DAY_START = time(9, 0)  # reminders of a task due on a day count back from the start of the working day
LINKS = ("customer_id", "contact_id", "complaint_id", "opportunity_id", "contract_id", "lead_id")
# a follow-up's channel gives its task's kind, and completing the task logs the follow-up back
KIND_OF_CHANNEL = {"phone": "call", "visit": "visit", "email": "email", "meeting": "meeting"}
CHANNEL_OF_KIND = {kind: channel for channel, kind in KIND_OF_CHANNEL.items()}


@dataclass
class TaskInput:
    """What a person fills in. A task has `due` (and no times); an appointment `start`–`end`."""

    title: str = ""
    kind: str = "call"
    is_appointment: bool = False
    due: date | None = None
    start: datetime | None = None
    end: datetime | None = None
    all_day: bool = False
    owner_id: int | None = None
    participant_ids: list[int] = field(default_factory=list)
    priority: str = "normal"
    note: str = ""
    reminders: list[int] = field(default_factory=list)  # minutes before
    repeat: str | None = None
    repeat_count: int | None = None
    repeat_until: date | None = None
    customer_id: int | None = None
    contact_id: int | None = None
    complaint_id: int | None = None
    opportunity_id: int | None = None
    contract_id: int | None = None
    lead_id: int | None = None


def reminder_base(t: Task) -> datetime:
    """The moment reminders count back from: the start, or the working day's start for an item
    without a time of day."""
    return datetime.combine(t.start.date(), DAY_START) if (t.all_day or not t.is_appointment) else t.start


def _may_change(s: Session, actor: Actor, t: Task) -> None:
    """Owner, participants, and supervisors over the owner change an item; others only see it."""
    require_write(actor)
    if t.owner_id == actor.id or user_in_scope(s, actor, t.owner_id) and actor.role != "staff":
        return
    if s.scalar(select(TaskParticipant.task_id).where(TaskParticipant.task_id == t.id,
                                                      TaskParticipant.user_id == actor.id)):
        return
    raise PermissionDenied(_("Only the owner, participants or their supervisor may change this item."))


# --- writing -------------------------------------------------------------------------------

def _validate(s: Session, ctx: Ctx, data: TaskInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["subject"] = _("is required")
    elif len(data.title.strip()) > 200:
        errors["subject"] = _("is longer than {n} characters").format(n=200)
    for key, enum, value in (("kind", TASK_KIND, data.kind), ("priority", TASK_PRIORITY, data.priority)):
        if value not in enum.keys:
            errors[key] = _("must be one of: {keys}").format(keys=", ".join(enum.keys))
    if data.is_appointment:
        if data.start is None:
            errors["start"] = _("is required")
        elif data.end is not None and data.end < data.start:
            errors["end"] = _("cannot be before the start")
    elif data.due is None and data.start is None:
        errors["due"] = _("is required")
    if any(m < 0 or m > 60 * 24 * 30 for m in data.reminders):
        errors["reminders"] = _("must be between 0 minutes and 30 days before")
    if data.repeat:
        if data.repeat not in REPEAT.keys:
            errors["repeat"] = _("must be one of: {keys}").format(keys=", ".join(REPEAT.keys))
        elif not data.repeat_count and not data.repeat_until:
            errors["repeat_count"] = _("give a number of occurrences or an end date")
        elif data.repeat_count is not None and not 1 <= data.repeat_count <= MAX_OCCURRENCES:
            errors["repeat_count"] = _("must be between 1 and {n}").format(n=MAX_OCCURRENCES)
    owner = data.owner_id or ctx.actor.id
    user = s.get(User, owner)
    if user is None or not user.active:
        errors["owner"] = _("is not an active user")
    elif not user_in_scope(s, ctx.actor, owner):
        errors["owner"] = _("is outside your team")
    for uid in data.participant_ids:
        p = s.get(User, uid)
        if p is None or not p.active:
            errors["participants"] = _("include a user who is not active")
    if data.customer_id is not None:
        if not s.scalar(select(Customer.id).where(Customer.id == data.customer_id, customer_scope(ctx.actor))):
            errors["customer"] = _("not found")
        elif user is not None and not s.scalar(select(Customer.id).where(
                Customer.id == data.customer_id, customer_scope(actor_of(user)))):
            errors["owner"] = _("may not see this customer")
    return errors


def _shift_month(d: datetime, months: int) -> datetime:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def occurrences(start: datetime, repeat: str | None, times: int | None, until: date | None) -> list[datetime]:
    """The starts of a series: daily, weekly or monthly (the same day, or the month's last day)."""
    if not repeat:
        return [start]
    out: list[datetime] = []
    n = 0
    while len(out) < MAX_OCCURRENCES:
        at = (start + timedelta(days=n) if repeat == "daily" else start + timedelta(weeks=n) if repeat == "weekly"
              else _shift_month(start, n))
        if (times and len(out) >= times) or (until and at.date() > until):
            break
        out.append(at)
        n += 1
    return out


def _span(data: TaskInput) -> tuple[datetime, datetime | None, bool]:
    if data.is_appointment:
        if data.all_day:
            day = data.start.date()
            last = (data.end or data.start).date()
            return datetime.combine(day, time.min), datetime.combine(last, time.min) + timedelta(days=1), True
        return data.start, data.end or data.start + timedelta(hours=1), False
    return datetime.combine(data.due or data.start.date(), time.min), None, True


def _set_reminders(s: Session, t: Task, minutes: list[int]) -> None:
    s.execute(delete(TaskReminder).where(TaskReminder.task_id == t.id))
    base = reminder_base(t)
    for m in sorted(set(minutes)):
        s.add(TaskReminder(task_id=t.id, minutes=m, due_at=base - timedelta(minutes=m)))


def create_in_session(s: Session, ctx: Ctx, data: TaskInput, *, interaction_id: int | None = None,
                      visit_id: int | None = None) -> list[Task]:
    require_write(ctx.actor)
    errors = _validate(s, ctx, data)
    if errors:
        raise ValidationError(errors)
    start, end, all_day = _span(data)
    length = end - start if end else None
    rows: list[Task] = []
    series = occurrences(start, data.repeat, data.repeat_count, data.repeat_until)
    for at in series:
        t = Task(title=data.title.strip(), kind=data.kind, is_appointment=data.is_appointment, start=at,
                 end=at + length if length else None, all_day=all_day, owner_id=data.owner_id or ctx.actor.id,
                 priority=data.priority, status="open", note=data.note.strip() or None,
                 repeat=data.repeat if len(series) > 1 else None,
                 repeat_count=len(series) if len(series) > 1 else None,
                 customer_id=data.customer_id, contact_id=data.contact_id, complaint_id=data.complaint_id,
                 opportunity_id=data.opportunity_id, contract_id=data.contract_id, lead_id=data.lead_id,
                 interaction_id=interaction_id, visit_id=visit_id, created_at=now(), created_by_id=ctx.actor.id)
        s.add(t)
        s.flush()
        if rows:
            t.series_id = rows[0].id
        elif len(series) > 1:
            t.series_id = t.id
        for uid in dict.fromkeys(data.participant_ids):
            if uid != t.owner_id:
                s.add(TaskParticipant(task_id=t.id, user_id=uid))
        _set_reminders(s, t, data.reminders)
        rows.append(t)
    first = rows[0]
    audit.record(s, ctx.actor, "task", first.id, "create",
                 {"title": (None, first.title), "kind": (None, first.kind), "start": (None, first.start),
                  "owner_id": (None, first.owner_id), "customer_id": (None, first.customer_id),
                  "repeat": (None, data.repeat), "repeat_count": (None, len(rows) if len(rows) > 1 else None)},
                 label=first.title[:60])
    return rows


def create(ctx: Ctx, data: TaskInput) -> list[TaskView]:
    with ctx.db.write() as s:
        rows = create_in_session(s, ctx, data)
        return views_of(s, rows)


def _check_version(t: Task, version: int | None) -> None:
    if version is not None and t.version != version:
        raise ConflictError(_("Someone else changed this item; reopen it to see the changes."))


def _audited(t: Task) -> dict[str, object]:
    return {"title": t.title, "kind": t.kind, "start": t.start, "end": t.end, "owner_id": t.owner_id,
            "priority": t.priority, "note": t.note, "customer_id": t.customer_id}


def update(ctx: Ctx, task_id: int, data: TaskInput, version: int | None = None) -> TaskView:
    """Change one occurrence (title, times, owner, reminders…); repeating is set when creating."""
    with ctx.db.write() as s:
        t = load_visible(s, ctx, task_id)
        _may_change(s, ctx.actor, t)
        _check_version(t, version)
        errors = _validate(s, ctx, replace(data, repeat=None))
        if errors:
            raise ValidationError(errors)
        start, end, all_day = _span(data)
        before = _audited(t)
        t.title, t.kind, t.is_appointment = data.title.strip(), data.kind, data.is_appointment
        t.start, t.end, t.all_day = start, end, all_day
        t.owner_id, t.priority, t.note = data.owner_id or t.owner_id, data.priority, data.note.strip() or None
        for key in LINKS:
            setattr(t, key, getattr(data, key))
        t.version += 1
        s.execute(delete(TaskParticipant).where(TaskParticipant.task_id == t.id))
        for uid in dict.fromkeys(data.participant_ids):
            if uid != t.owner_id:
                s.add(TaskParticipant(task_id=t.id, user_id=uid))
        _set_reminders(s, t, data.reminders)
        audit.record(s, ctx.actor, "task", t.id, "update", audit.diff(before, _audited(t)), label=t.title[:60])
        _fire_now(s, t)
        return views_of(s, [t])[0]


def move(ctx: Ctx, task_id: int, start: datetime, end: datetime | None = None, version: int | None = None,
         *, all_day: bool | None = None) -> TaskView:
    """Drag on the calendar: new start (and end); the length stays when no end is given. Reminders
    are recomputed; one whose time has passed fires at once."""
    with ctx.db.write() as s:
        t = load_visible(s, ctx, task_id)
        _may_change(s, ctx.actor, t)
        _check_version(t, version)
        if t.status != "open":
            raise ValidationError({"status": _("only open items can be moved")})
        old = (t.start, t.end)
        if all_day is not None:
            t.all_day = all_day
        if t.all_day:
            start = datetime.combine(start.date(), time.min)
        if end is None and t.end is not None:
            end = start + (t.end - t.start)
        if end is not None and end <= start:
            raise ValidationError({"end": _("must be after the start")})
        t.start, t.end = start, end if t.is_appointment else None
        t.version += 1
        base = reminder_base(t)
        for r in s.scalars(select(TaskReminder).where(TaskReminder.task_id == t.id)):
            r.due_at, r.fired_at = base - timedelta(minutes=r.minutes), None
        audit.record(s, ctx.actor, "task", t.id, "move", {"start": (old[0], t.start), "end": (old[1], t.end)},
                     label=t.title[:60])
        s.flush()
        _fire_now(s, t)
        return views_of(s, [t])[0]


def _fire_now(s: Session, t: Task) -> None:
    from desktop_crm.core.workplan import reminders

    reminders.fire_due(s, now(), task_id=t.id)


def complete(ctx: Ctx, task_id: int, result: str = "", *, log_follow_up: bool = True) -> TaskView:
    """Done, with what came of it. A follow-up task records the follow-up (an interaction) on its
    customer; a return-visit task is done through the visit's result."""
    from desktop_crm.core.services import interactions

    with ctx.db.write() as s:
        t = load_visible(s, ctx, task_id)
        _may_change(s, ctx.actor, t)
        if t.status != "open":
            raise ValidationError({"status": _("is already {status}").format(status=TASK_STATUS.label(t.status))})
        if t.visit_id is not None:
            raise ValidationError({"result": _("record the return visit's result (satisfaction) to complete it")})
        if t.interaction_id is not None and log_follow_up and t.customer_id is not None:
            if not result.strip():
                raise ValidationError({"result": _("is required: it is written as the follow-up")})
            channel = CHANNEL_OF_KIND.get(t.kind, "other")
            # settles the pending follow-up, which closes this task with the result
            interactions.log_in_session(s, ctx, t.customer_id, channel=channel, summary=result.strip(),
                                        contact_id=t.contact_id)
        if t.status == "open":
            close_in_session(s, ctx, t, "done", result)
        return views_of(s, [t])[0]


def cancel(ctx: Ctx, task_id: int, reason: str = "") -> TaskView:
    with ctx.db.write() as s:
        t = load_visible(s, ctx, task_id)
        _may_change(s, ctx.actor, t)
        if t.status != "open":
            raise ValidationError({"status": _("is already {status}").format(status=TASK_STATUS.label(t.status))})
        close_in_session(s, ctx, t, "cancelled", reason)
        return views_of(s, [t])[0]


def close_in_session(s: Session, ctx: Ctx, t: Task, status: str, result: str) -> None:
    at = now()
    audit.record(s, ctx.actor, "task", t.id, status, {"status": (t.status, status),
                                                     "result": (None, result.strip() or None)}, label=t.title[:60])
    t.status, t.result, t.done_at, t.version = status, result.strip() or None, at, t.version + 1
    s.execute(delete(TaskReminder).where(TaskReminder.task_id == t.id, TaskReminder.fired_at.is_(None)))


def postpone(ctx: Ctx, task_id: int, days: int = 1) -> TaskView:
    """One click on My day: the item moves `days` later from today (an overdue one lands today + days - 1)."""
    t = get(ctx, task_id)
    today = now().date()
    target = max(t.start.date() + timedelta(days=days), today + timedelta(days=days - 1 if t.start.date() < today
                                                                                 else 0))
    return move(ctx, task_id, datetime.combine(target, t.start.time()), version=t.version)
