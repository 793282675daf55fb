"""Reminders that fire, and the inbox (the bell) where they land.

A reminder fires once: the desk that sets `fired_at` (a conditional UPDATE, so two desks on one
PostgreSQL database cannot both win) writes one inbox entry for the owner and each participant.
Desktop notifications are taken from the inbox by the user's own desk (`take_new`), which also
groups the ones that fell due while the app was closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop_crm.core.db import among
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, InboxEntry, Task, TaskParticipant, TaskReminder
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.workplan.task_query import title_of

AWAY = timedelta(minutes=2)  # older than this when taken: it fell due while nobody was looking


def fire_due(s: Session, at: datetime, *, task_id: int | None = None, limit: int = 5000) -> int:
    """Fire the reminders due by `at` (of one task, or all); returns how many fired here. Fired for
    one task (it was just moved or changed), they count as due now, not as missed."""
    q = (select(TaskReminder.id, TaskReminder.task_id, TaskReminder.due_at)
         .join(Task, Task.id == TaskReminder.task_id)
         .where(TaskReminder.fired_at.is_(None), TaskReminder.due_at <= at, Task.status == "open")
         .order_by(TaskReminder.due_at).limit(limit))
    if task_id is not None:
        q = q.where(TaskReminder.task_id == task_id)
    won = [(tid, due_at) for rid, tid, due_at in list(s.execute(q))
           if s.execute(update(TaskReminder).where(TaskReminder.id == rid, TaskReminder.fired_at.is_(None))
                        .values(fired_at=at).execution_options(synchronize_session=False)).rowcount == 1]
    if not won:
        return 0
    # the fired reminders' tasks, customers and participants in two queries, not three per reminder
    tids = list({tid for tid, _due in won})
    tasks = {t.id: (t, name or "") for t, name in s.execute(
        select(Task, Customer.name).outerjoin(Customer, Customer.id == Task.customer_id).where(among(Task.id, tids)))}
    participants: dict[int, list[int]] = {}
    for tid, uid in s.execute(select(TaskParticipant.task_id, TaskParticipant.user_id)
                              .where(among(TaskParticipant.task_id, tids))):
        participants.setdefault(tid, []).append(uid)
    for tid, due_at in won:
        task, name = tasks[tid]
        title = said(task, name)[:300]
        for uid in dict.fromkeys([task.owner_id, *participants.get(tid, [])]):
            s.add(InboxEntry(user_id=uid, task_id=tid, title=title, due_at=at if task_id else due_at, created_at=at))
    s.flush()
    return len(won)


@dataclass(frozen=True)
class InboxItem:
    id: int
    task_id: int | None
    title: str
    starts: datetime | None
    due_at: datetime
    read: bool

    def as_json(self) -> dict:
        return {"id": self.id, "kind": "reminder", "task_id": self.task_id, "title": self.title,
                "starts": self.starts, "due": self.due_at, "read": self.read}


def said(task: Task, customer_name: str) -> str:
    """What a reminder is called, in the reader's language (a follow-up's task has no typed title)."""
    title = title_of(task, customer_name)
    return f"{title} · {customer_name}" if customer_name and task.title else title


def _items(s: Session, q) -> list[InboxItem]:  # noqa: ANN001
    rows = s.execute(q.add_columns(Task, Customer.name).outerjoin(Task, Task.id == InboxEntry.task_id)
                     .outerjoin(Customer, Customer.id == Task.customer_id)).all()
    return [InboxItem(e.id, e.task_id, said(t, name or "") if t is not None else e.title, t.start if t else None,
                      e.due_at, e.read_at is not None) for e, t, name in rows]


def inbox(ctx: Ctx, *, unread_only: bool = False, limit: int = 200) -> list[InboxItem]:
    """The acting user's fired reminders, newest first."""
    q = select(InboxEntry).where(InboxEntry.user_id == ctx.actor.id)
    if unread_only:
        q = q.where(InboxEntry.read_at.is_(None))
    with ctx.db.read() as s:
        return _items(s, q.order_by(InboxEntry.due_at.desc(), InboxEntry.id.desc()).limit(limit))


def unread_count(ctx: Ctx) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).where(InboxEntry.user_id == ctx.actor.id,
                                                   InboxEntry.read_at.is_(None))) or 0


def mark_read(ctx: Ctx, entry_ids: list[int] | None = None) -> None:
    """Read (all the acting user's entries when no ids are given). Only one's own entries."""
    q = update(InboxEntry).where(InboxEntry.user_id == ctx.actor.id, InboxEntry.read_at.is_(None))
    if entry_ids is not None:
        q = q.where(InboxEntry.id.in_(entry_ids))
    with ctx.db.write() as s:
        s.execute(q.values(read_at=datetime.now().replace(microsecond=0)).execution_options(
            synchronize_session=False))


@dataclass(frozen=True)
class Notices:
    """What a desk shows as desktop notifications: the ones due now one by one, the ones missed
    while the app was closed as one group."""

    now: list[InboxItem]
    missed: list[InboxItem]

    def messages(self) -> list[str]:
        out = [_("Reminder: {title} ({when})").format(title=i.title, when=when(i.starts)) for i in self.now]
        if len(self.missed) == 1:
            out.append(_("While you were away: {title}").format(title=self.missed[0].title))
        elif self.missed:
            out.append(_("{n} reminders while you were away").format(n=len(self.missed)))
        return out


def take_new(ctx: Ctx, at: datetime | None = None) -> Notices:
    """The acting user's entries not yet shown as notifications, marked shown (never twice)."""
    at = at or datetime.now().replace(microsecond=0)
    with ctx.db.write() as s:
        q = select(InboxEntry).where(InboxEntry.user_id == ctx.actor.id, InboxEntry.notified_at.is_(None))
        items = _items(s, q.order_by(InboxEntry.due_at))
        if not items:
            return Notices([], [])
        s.execute(update(InboxEntry).where(InboxEntry.id.in_([i.id for i in items]),
                                           InboxEntry.notified_at.is_(None))
                  .values(notified_at=at).execution_options(synchronize_session=False))
        return Notices([i for i in items if at - i.due_at <= AWAY], [i for i in items if at - i.due_at > AWAY])


def when(at: datetime | None) -> str:
    if at is None:
        return ""
    today = date.today()
    if at.date() == today:
        return at.strftime("%H:%M") if at.time() != datetime.min.time() else _("today")
    return at.strftime("%Y-%m-%d %H:%M") if at.time() != datetime.min.time() else at.date().isoformat()
