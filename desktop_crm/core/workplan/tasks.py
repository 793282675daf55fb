"""Tasks (待办) and appointments (日程): create, change, move, complete, cancel, list.

Who sees what follows the customer (DOMAIN §1): one's own items and those one takes part in,
the team's for a supervisor, and the items of customers one may see — never an item through a
customer one may not see. A recurring item is stored as one row per occurrence (`series_id`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, delete, exists, func, or_, select, union_all
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from desktop_crm.core.enums import REPEAT, TASK_KIND, TASK_PRIORITY, TASK_STATUS
from desktop_crm.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Task, TaskParticipant, TaskReminder, User
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Actor, Ctx
from desktop_crm.core.services.permissions import customer_scope, owner_scope, require_write, user_in_scope

MAX_OCCURRENCES = 366
MAX_SPAN_DAYS = 31  # an item lasting longer shows from its start only (the owner-index range stays small)
DAY_START = time(9, 0)  # reminders of a task due on a day count back from the start of the working day
LINKS = ("customer_id", "contact_id", "complaint_id", "opportunity_id", "contract_id", "lead_id")


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


@dataclass(frozen=True)
class TaskView:
    id: int
    title: str
    kind: str
    is_appointment: bool
    start: datetime
    end: datetime | None
    all_day: bool
    owner_id: int
    owner: str
    priority: str
    status: str
    result: str
    note: str
    customer_id: int | None
    customer_code: str
    customer: str
    series_id: int | None
    repeat: str | None
    reminders: tuple[int, ...]
    participant_ids: tuple[int, ...]
    interaction_id: int | None
    visit_id: int | None
    complaint_id: int | None
    opportunity_id: int | None
    contract_id: int | None
    contact_id: int | None
    version: int
    lead_id: int | None = None

    @property
    def due(self) -> date:
        return self.start.date()

    def overdue(self, now: datetime) -> bool:
        if self.status != "open":
            return False
        return self.start.date() < now.date() if not self.is_appointment or self.all_day else \
            (self.end or self.start) < now

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "kind": self.kind,
                "type": "appointment" if self.is_appointment else "task",
                "start": self.start, "end": self.end, "all_day": self.all_day, "owner": self.owner,
                "priority": self.priority, "status": self.status, "result": self.result,
                "customer_code": self.customer_code, "customer": self.customer,
                "reminders": ",".join(str(m) for m in self.reminders), "repeat": self.repeat or ""}


@dataclass(frozen=True)
class TaskFilter:
    owner_ids: tuple[int, ...] = ()  # items owned by or shared with these users (empty: all visible)
    customer_id: int | None = None
    complaint_id: int | None = None
    opportunity_id: int | None = None
    lead_id: int | None = None
    start: datetime | None = None  # from (inclusive)
    end: datetime | None = None  # to (exclusive)
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    search: str = ""


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def reminder_base(t: Task) -> datetime:
    """The moment reminders count back from: the start, or the working day's start for an item
    without a time of day."""
    return datetime.combine(t.start.date(), DAY_START) if (t.all_day or not t.is_appointment) else t.start


def title_of(t: Task, customer_name: str) -> str:
    """A follow-up's or return visit's task is named in the reader's language when shown."""
    if t.title:
        return t.title
    if t.visit_id is not None:
        return _("Return visit: {customer}").format(customer=customer_name)
    return _("Follow up: {customer}").format(customer=customer_name)


# --- scope ---------------------------------------------------------------------------------

def _shared_with(user_ids):  # noqa: ANN001, ANN202 - SQL condition
    return exists().where(TaskParticipant.task_id == Task.id, TaskParticipant.user_id.in_(user_ids))


def visible(actor: Actor):  # noqa: ANN201 - SQL condition over Task outer-joined to Customer
    """Items the actor may see. Use with `.outerjoin(Customer, Customer.id == Task.customer_id)`."""
    if actor.sees_all:
        return or_(Task.customer_id.is_(None), Customer.id.is_not(None))
    through_customer = and_(Task.customer_id.is_not(None), customer_scope(actor))
    mine = or_(owner_scope(actor, Task.owner_id), _shared_with([actor.id]))
    return and_(or_(Task.customer_id.is_(None), customer_scope(actor)), or_(mine, through_customer))


def _base():  # noqa: ANN202
    return select(Task).outerjoin(Customer, Customer.id == Task.customer_id)


def load_visible(s: Session, ctx: Ctx, task_id: int) -> Task:
    t = s.scalars(_base().where(Task.id == task_id, visible(ctx.actor))).first()
    if t is None:
        raise NotFound(_("Task not found."))
    return t


def _may_change(s: Session, actor: Actor, t: Task) -> None:
    """Owner, participants, and supervisors over the owner change an item; others only see it."""
    require_write(actor)
    if t.owner_id == actor.id or user_in_scope(s, actor, t.owner_id) and actor.role != "staff":
        return
    if s.scalar(select(TaskParticipant.task_id).where(TaskParticipant.task_id == t.id,
                                                      TaskParticipant.user_id == actor.id)):
        return
    raise PermissionDenied(_("Only the owner, participants or their supervisor may change this item."))


# --- views ---------------------------------------------------------------------------------

def _views(s: Session, rows: list[Task]) -> list[TaskView]:
    if not rows:
        return []
    ids = [t.id for t in rows]
    names = {uid: (dn or un) for uid, dn, un in s.execute(select(User.id, User.display_name, User.username))}
    custs = {cid: (code, name) for cid, code, name in s.execute(
        select(Customer.id, Customer.code, Customer.name).where(
            Customer.id.in_({t.customer_id for t in rows if t.customer_id})))}
    rems: dict[int, list[int]] = {}
    parts: dict[int, list[int]] = {}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        for tid, minutes in s.execute(select(TaskReminder.task_id, TaskReminder.minutes)
                                      .where(TaskReminder.task_id.in_(part)).order_by(TaskReminder.minutes)):
            rems.setdefault(tid, []).append(minutes)
        for tid, uid in s.execute(select(TaskParticipant.task_id, TaskParticipant.user_id)
                                  .where(TaskParticipant.task_id.in_(part))):
            parts.setdefault(tid, []).append(uid)
    return [TaskView(
        t.id, title_of(t, custs.get(t.customer_id, ("", ""))[1]), t.kind, t.is_appointment, t.start, t.end, t.all_day, t.owner_id, names.get(t.owner_id, ""),
        t.priority, t.status, t.result or "", t.note or "", t.customer_id,
        custs.get(t.customer_id, ("", ""))[0], custs.get(t.customer_id, ("", ""))[1], t.series_id, t.repeat,
        tuple(rems.get(t.id, ())), tuple(sorted(parts.get(t.id, ()))), t.interaction_id, t.visit_id,
        t.complaint_id, t.opportunity_id, t.contract_id, t.contact_id, t.version, t.lead_id) for t in rows]


def get(ctx: Ctx, task_id: int) -> TaskView:
    with ctx.db.read() as s:
        return _views(s, [load_visible(s, ctx, task_id)])[0]


def _of_users(user_ids, *conds):  # noqa: ANN001, ANN202 - SQL condition on Task.id
    """Items owned by or shared with `user_ids` (and meeting `conds`), as an id set the database builds
    from the owner index and the participants — not an OR that would walk every task."""
    owned = select(Task.id).where(Task.owner_id.in_(user_ids), *conds)
    shared = select(TaskParticipant.task_id).where(TaskParticipant.user_id.in_(user_ids))
    return Task.id.in_(union_all(owned, shared))


def _filtered(ctx: Ctx, f: TaskFilter):  # noqa: ANN202
    q = _base().where(visible(ctx.actor))
    if f.owner_ids:
        times = [c for c in ((Task.start < f.end) if f.end is not None else None,
                             (Task.start >= f.start - timedelta(days=MAX_SPAN_DAYS)) if f.start is not None
                             else None) if c is not None]
        q = q.where(_of_users(list(f.owner_ids), *times))
    if f.customer_id is not None:
        q = q.where(Task.customer_id == f.customer_id)
    if f.complaint_id is not None:
        q = q.where(Task.complaint_id == f.complaint_id)
    if f.opportunity_id is not None:
        q = q.where(Task.opportunity_id == f.opportunity_id)
    if f.lead_id is not None:
        q = q.where(Task.lead_id == f.lead_id)
    if f.start is not None:
        q = q.where(or_(Task.start >= f.start, and_(Task.end.is_not(None), Task.end > f.start)))
    if f.end is not None:
        q = q.where(Task.start < f.end)
    if f.statuses:
        q = q.where(Task.status.in_(f.statuses))
    if f.kinds:
        q = q.where(Task.kind.in_(f.kinds))
    if f.search.strip():
        q = q.where(Task.title.contains(f.search.strip(), autoescape=True))
    return q


SORTS = {"start": Task.start, "title": Task.title, "kind": Task.kind, "priority": Task.priority,
         "status": Task.status, "owner": Task.owner_id, "customer": Task.customer_id}


def count(ctx: Ctx, f: TaskFilter) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(_filtered(ctx, f).subquery())) or 0


def page(ctx: Ctx, f: TaskFilter, *, sort: str = "start", descending: bool = False, offset: int = 0,
         limit: int = 200) -> list[TaskView]:
    col = SORTS.get(sort, Task.start)
    order = [col.desc() if descending else col.asc(), Task.id]
    with ctx.db.read() as s:
        return _views(s, list(s.scalars(_filtered(ctx, f).order_by(*order).offset(offset).limit(limit))))


def between(ctx: Ctx, start: datetime, end: datetime, owner_ids: tuple[int, ...] = (),
            statuses: tuple[str, ...] = ("open", "done")) -> list[TaskView]:
    """A calendar's items from `start` to `end` (exclusive): owned by or shared with `owner_ids`."""
    return page(ctx, TaskFilter(owner_ids=owner_ids or (ctx.actor.id,), start=start, end=end, statuses=statuses),
                limit=5000)


@dataclass(frozen=True)
class Day:
    overdue: list[TaskView]
    today: list[TaskView]


def my_day(ctx: Ctx, at: datetime | None = None, user_id: int | None = None) -> Day:
    """Today's items and the open ones left from earlier days, of one user (default: the actor)."""
    at = at or now()
    uid = user_id or ctx.actor.id
    start = datetime.combine(at.date(), time.min)
    end = start + timedelta(days=1)
    with ctx.db.read() as s:
        if uid != ctx.actor.id and not user_in_scope(s, ctx.actor, uid):
            raise PermissionDenied(_("You can only see your team's calendars."))
        late = list(s.scalars(_base().where(visible(ctx.actor), _of_users([uid], Task.status == "open",
                                                                         Task.start < start),
                                            Task.status == "open", Task.start < start)
                              .order_by(Task.start, Task.id).limit(500)))
        today = list(s.scalars(_base().where(visible(ctx.actor), _of_users([uid], Task.start >= start,
                                                                          Task.start < end),
                                             Task.status.in_(("open", "done")), Task.start >= start, Task.start < end)
                               .order_by(Task.all_day.desc(), Task.start, Task.id)))
        return Day(_views(s, late), _views(s, today))


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
                Customer.id == data.customer_id, customer_scope(_as_actor(user)))):
            errors["owner"] = _("may not see this customer")
    return errors


def _as_actor(u: User) -> Actor:
    return Actor(u.id, u.username, u.role, u.department_id, u.display_name or "")


def _shift_month(d: datetime, months: int) -> datetime:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return d.replace(year=year, month=month, day=min(d.day, calendar.monthrange(year, month)[1]))


def occurrences(start: datetime, repeat: str | None, count: int | None, until: date | None) -> list[datetime]:
    """The starts of a series: daily, weekly or monthly (the same day, or the month's last day)."""
    if not repeat:
        return [start]
    out: list[datetime] = []
    n = 0
    while len(out) < MAX_OCCURRENCES:
        at = (start + timedelta(days=n) if repeat == "daily" else start + timedelta(weeks=n) if repeat == "weekly"
              else _shift_month(start, n))
        if (count and len(out) >= count) or (until and at.date() > until):
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
        return _views(s, rows)


def _check_version(t: Task, version: int | None) -> None:
    if version is not None and t.version != version:
        raise ConflictError(_("Someone else changed this item; reopen it to see the changes."))


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
        before = {"title": t.title, "kind": t.kind, "start": t.start, "end": t.end, "owner_id": t.owner_id,
                  "priority": t.priority, "note": t.note, "customer_id": t.customer_id}
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
        after = {"title": t.title, "kind": t.kind, "start": t.start, "end": t.end, "owner_id": t.owner_id,
                 "priority": t.priority, "note": t.note, "customer_id": t.customer_id}
        changes = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        audit.record(s, ctx.actor, "task", t.id, "update", changes, label=t.title[:60])
        _fire_now(s, t)
        return _views(s, [t])[0]


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
        return _views(s, [t])[0]


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
            channel = {"call": "phone", "visit": "visit", "email": "email", "meeting": "visit"}.get(t.kind, "other")
            # settles the pending follow-up, which closes this task with the result
            interactions.log_in_session(s, ctx, t.customer_id, channel=channel, summary=result.strip(),
                                        contact_id=t.contact_id)
        if t.status == "open":
            _close(s, ctx, t, "done", result)
        return _views(s, [t])[0]


def cancel(ctx: Ctx, task_id: int, reason: str = "") -> TaskView:
    with ctx.db.write() as s:
        t = load_visible(s, ctx, task_id)
        _may_change(s, ctx.actor, t)
        if t.status != "open":
            raise ValidationError({"status": _("is already {status}").format(status=TASK_STATUS.label(t.status))})
        _close(s, ctx, t, "cancelled", reason)
        return _views(s, [t])[0]


def _close(s: Session, ctx: Ctx, t: Task, status: str, result: str) -> None:
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


# --- links from other areas ----------------------------------------------------------------

KIND_OF_CHANNEL = {"phone": "call", "visit": "visit", "email": "email", "meeting": "meeting"}


def add_linked(s: Session, ctx: Ctx, *, day: date, owner_id: int, customer_id: int,
               kind: str = "call", interaction_id: int | None = None, visit_id: int | None = None,
               contact_id: int | None = None) -> Task:
    """The task of a planned follow-up or return visit (the follow-up or visit itself is audited);
    its title is said when shown (`title_of`)."""
    t = Task(title="", kind=kind if kind in TASK_KIND.keys else "other", is_appointment=False,
             start=datetime.combine(day, time.min), all_day=True, owner_id=owner_id, priority="normal",
             status="open", customer_id=customer_id, contact_id=contact_id, interaction_id=interaction_id,
             visit_id=visit_id, created_at=now(), created_by_id=ctx.actor.id)
    s.add(t)
    return t


def follow_transfer(s: Session, ctx: Ctx, customer_ids: list[int], old_owner: int, new_owner: int | None) -> None:
    """Open items of moved customers follow them to the new owner; to the pool they are cancelled (in
    bulk: a pool rule may move thousands of customers at once)."""
    rows = s.execute(select(Task.id, Task.title, Task.status).where(
        Task.customer_id.in_(customer_ids), Task.owner_id == old_owner, Task.status == "open")).all()
    if not rows:
        return
    ids = [r.id for r in rows]
    at = now()
    if new_owner is None:
        reason = _("The customer went to the pool.")
        audit.record_many(s, ctx.actor, [("task", r.id, "cancelled", {"status": ("open", "cancelled"),
                                                                      "result": (None, reason)}, r.title[:60])
                                         for r in rows], at=at)
        s.execute(sql_update(Task).where(Task.id.in_(ids)).values(status="cancelled", result=reason, done_at=at,
                                                              version=Task.version + 1)
                  .execution_options(synchronize_session=False))
        s.execute(delete(TaskReminder).where(TaskReminder.task_id.in_(ids), TaskReminder.fired_at.is_(None)))
    else:
        audit.record_many(s, ctx.actor, [("task", r.id, "assign", {"owner_id": (old_owner, new_owner)},
                                          r.title[:60]) for r in rows], at=at)
        s.execute(sql_update(Task).where(Task.id.in_(ids)).values(owner_id=new_owner, version=Task.version + 1)
                  .execution_options(synchronize_session=False))
    s.expire_all()


def reassign_linked(s: Session, ctx: Ctx, visit_id: int, owner_id: int) -> None:
    for t in s.scalars(select(Task).where(Task.visit_id == visit_id, Task.status == "open")):
        t.owner_id, t.version = owner_id, t.version + 1


def close_linked(s: Session, ctx: Ctx, *, interaction_ids: list[int] | None = None, visit_id: int | None = None,
                 result: str = "", status: str = "done") -> None:
    """A follow-up settled or a visit recorded (or cancelled) elsewhere closes its task."""
    q = select(Task).where(Task.status == "open")
    if interaction_ids:
        q = q.where(Task.interaction_id.in_(interaction_ids))
    elif visit_id is not None:
        q = q.where(Task.visit_id == visit_id)
    else:
        return
    for t in s.scalars(q):
        _close(s, ctx, t, status, result)
