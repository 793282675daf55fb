"""Reading tasks and appointments: who sees what, the views handed to screens, lists, the calendar
and My day.

Who sees what follows the customer (DOMAIN §1): one's own items and those one takes part in,
the team's for a supervisor, and the items of customers one may see — never an item through a
customer one may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, or_, select, union_all
from sqlalchemy.orm import Session

from desktop_crm.core.errors import NotFound, PermissionDenied
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Task, TaskParticipant, TaskReminder
from desktop_crm.core.services import users
from desktop_crm.core.services.context import Actor, Ctx
from desktop_crm.core.services.permissions import customer_scope, owner_scope, user_in_scope

MAX_SPAN_DAYS = 31  # an item lasting longer shows from its start only (the owner-index range stays small)


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


# --- views ---------------------------------------------------------------------------------

def views_of(s: Session, rows: list[Task]) -> list[TaskView]:
    if not rows:
        return []
    ids = [t.id for t in rows]
    names = users.names(s)
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
        return views_of(s, [load_visible(s, ctx, task_id)])[0]


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
        return views_of(s, list(s.scalars(_filtered(ctx, f).order_by(*order).offset(offset).limit(limit))))


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
        return Day(views_of(s, late), views_of(s, today))
