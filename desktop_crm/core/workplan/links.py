"""How other areas' work becomes tasks: a follow-up's next date and a planned return visit get their
task (titled when shown, `tasks.title_of`); contacting the customer or recording the visit closes
it; a transfer carries open items to the new owner (cancelled when the customer goes to the pool)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from desktop_crm.core.db import among
from desktop_crm.core.enums import TASK_KIND
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Task, TaskReminder
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.workplan.task_query import now
from desktop_crm.core.workplan.tasks import close_in_session


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
    # the index (customer, status, owner) answers this alone; the owner is compared here, so SQLite
    # does not take the owner's index and read every open task of the old owner for each step
    ids = [tid for tid, owner in s.execute(select(Task.id, Task.owner_id).where(
        among(Task.customer_id, customer_ids), Task.status == "open")) if owner == old_owner]
    if not ids:
        return
    rows = s.execute(select(Task.id, Task.title).where(among(Task.id, ids))).all()
    at = now()
    if new_owner is None:
        reason = _("The customer went to the pool.")
        audit.record_many(s, ctx.actor, [("task", r.id, "cancelled", {"status": ("open", "cancelled"),
                                                                      "result": (None, reason)}, r.title[:60])
                                         for r in rows], at=at)
        s.execute(sql_update(Task).where(among(Task.id, ids)).values(status="cancelled", result=reason, done_at=at,
                                                              version=Task.version + 1)
                  .execution_options(synchronize_session=False))
        # by task first, then by id: "not fired yet" is most reminders, but an index statistic cannot say so
        pending = [rid for rid, fired in s.execute(select(TaskReminder.id, TaskReminder.fired_at)
                                                    .where(among(TaskReminder.task_id, ids))) if fired is None]
        if pending:
            s.execute(delete(TaskReminder).where(among(TaskReminder.id, pending))
                      .execution_options(synchronize_session=False))
    else:
        audit.record_many(s, ctx.actor, [("task", r.id, "assign", {"owner_id": (old_owner, new_owner)},
                                          r.title[:60]) for r in rows], at=at)
        s.execute(sql_update(Task).where(among(Task.id, ids)).values(owner_id=new_owner, version=Task.version + 1)
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
        close_in_session(s, ctx, t, status, result)
