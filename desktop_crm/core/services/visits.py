"""Return-visit plans (回访计划, DOMAIN §3): plan one or many, complete with a questionnaire,
satisfaction 1–5 and feedback tags; "open a complaint from this feedback"."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_crm.core import i18n
from desktop_crm.core.enums import VISIT_FEEDBACK, VISIT_PURPOSE
from desktop_crm.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, User, VisitAnswer, VisitPlan, VisitQuestion
from desktop_crm.core.paths import resources_dir
from desktop_crm.core.services import audit, interactions
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customers import load_visible
from desktop_crm.core.services.permissions import customer_scope, owner_scope, require_write, user_in_scope
from desktop_crm.core.workplan import links


@dataclass(frozen=True)
class QuestionView:
    key: str
    text: str
    kind: str  # text | score | yesno


@dataclass(frozen=True)
class VisitView:
    id: int
    customer_id: int
    customer_code: str
    customer_name: str
    assignee_id: int | None
    assignee: str
    due: date
    purpose: str
    status: str
    note: str
    score: int | None = None
    tags: tuple[str, ...] = ()
    feedback: str = ""
    done_at: datetime | None = None
    answers: tuple[tuple[str, str], ...] = field(default=())
    complaint_id: int | None = None


def tags_of(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split(",") if t)


def _view(s: Session, v: VisitPlan, *, answers: bool = False) -> VisitView:
    code, name = s.execute(select(Customer.code, Customer.name).where(Customer.id == v.customer_id)).one()
    who = s.execute(select(User.display_name, User.username).where(User.id == v.assignee_id)).first()
    got: tuple[tuple[str, str], ...] = ()
    if answers:
        got = tuple((a.question, a.answer) for a in s.scalars(
            select(VisitAnswer).where(VisitAnswer.visit_id == v.id).order_by(VisitAnswer.id)))
    return VisitView(v.id, v.customer_id, code, name, v.assignee_id, (who[0] or who[1]) if who else "", v.due,
                     v.purpose, v.status, v.note or "", v.score, tags_of(v.feedback_tags), v.feedback or "",
                     v.done_at, got, v.complaint_id)


# ---- questionnaire -----------------------------------------------------------

def default_questions() -> list[dict]:
    return json.loads((resources_dir() / "questionnaire" / "default.json").read_text(encoding="utf-8"))


def ensure_questions(s: Session) -> None:
    if s.scalar(select(func.count(VisitQuestion.id))):
        return
    for pos, q in enumerate(default_questions()):
        s.add(VisitQuestion(key=q["key"], text_en=q["en"], text_zh=q["zh"], kind=q["kind"], position=pos, active=True))
    s.flush()


def questions(ctx: Ctx) -> list[QuestionView]:
    """The active questionnaire in the current language (the default set until an admin edits it)."""
    zh = i18n.current_language() == "zh_CN"
    with ctx.db.read() as s:
        rows = [QuestionView(q.key, q.text_zh if zh else q.text_en, q.kind)
                for q in s.scalars(select(VisitQuestion).where(VisitQuestion.active.is_(True))
                                   .order_by(VisitQuestion.position))]
    return rows or [QuestionView(q["key"], q["zh"] if zh else q["en"], q["kind"]) for q in default_questions()]


def questionnaire(ctx: Ctx) -> list[dict]:
    """The active questions in both languages, for editing: {key, en, zh, kind}."""
    with ctx.db.read() as s:
        rows = [{"key": q.key, "en": q.text_en, "zh": q.text_zh, "kind": q.kind}
                for q in s.scalars(select(VisitQuestion).where(VisitQuestion.active.is_(True))
                                   .order_by(VisitQuestion.position))]
    return rows or [dict(q) for q in default_questions()]


def save_questions(ctx: Ctx, items: list[dict]) -> None:
    """Replace the questionnaire: items of {key, en, zh, kind}; keys not listed become inactive."""
    from desktop_crm.core.services.permissions import require_role

    require_role(ctx.actor, "manager", _("Only managers edit the questionnaire."))
    with ctx.db.write() as s:
        ensure_questions(s)
        existing = {q.key: q for q in s.scalars(select(VisitQuestion))}
        for q in existing.values():
            q.active = False
        for pos, item in enumerate(items):
            key = (item.get("key") or "").strip()
            if not key or not (item.get("en") or "").strip():
                raise ValidationError({"question": _("every question needs a key and an English text")})
            if item.get("kind", "text") not in ("text", "score", "yesno"):
                raise ValidationError({"kind": _("must be one of: {keys}").format(keys="text, score, yesno")})
            q = existing.get(key) or VisitQuestion(key=key)
            q.text_en, q.text_zh = item["en"].strip(), (item.get("zh") or item["en"]).strip()
            q.kind, q.position, q.active = item.get("kind", "text"), pos, True
            s.add(q)
        audit.record(s, ctx.actor, "visit_questions", None, "update", {"questions": (None, len(items))})


# ---- planning ----------------------------------------------------------------

def _check_assignee(s: Session, ctx: Ctx, assignee_id: int | None) -> int:
    assignee_id = assignee_id or ctx.actor.id
    u = s.get(User, assignee_id)
    if u is None or not u.active:
        raise ValidationError({"assignee": _("is not an active user")})
    if assignee_id != ctx.actor.id and (ctx.actor.role == "staff" or not user_in_scope(s, ctx.actor, assignee_id)):
        raise PermissionDenied(_("You can only assign return visits within your team."))
    return assignee_id


def plan_visits(ctx: Ctx, customer_ids: list[int], due: date, *, assignee_id: int | None = None,
                purpose: str = "old_customer", note: str = "") -> list[int]:
    """Plan a return visit for each customer (one transaction). Returns the new visit ids."""
    require_write(ctx.actor)
    if purpose not in VISIT_PURPOSE.keys:
        raise ValidationError({"purpose": _("must be one of: {keys}").format(keys=", ".join(VISIT_PURPOSE.keys))})
    if due is None:
        raise ValidationError({"due": _("is required")})
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        raise ValidationError({"customers": _("choose at least one customer")})
    with ctx.db.write() as s:
        assignee_id = _check_assignee(s, ctx, assignee_id)
        at = interactions.now()
        out: list[int] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found = dict(s.execute(select(Customer.id, Customer.code)
                                   .where(Customer.id.in_(chunk), customer_scope(ctx.actor))).all())
            if len(found) != len(chunk):
                raise NotFound(_("Some customers were not found or are outside your scope."))
            blind = _unseen_by(s, assignee_id, chunk)
            if blind:
                raise ValidationError({"assignee": _(
                    "{user} may not see {codes}: assign the visit to someone who looks after the customer").format(
                    user=_label(s, assignee_id), codes=", ".join(found[c] for c in blind[:5]))})
            for cid in chunk:
                v = VisitPlan(customer_id=cid, assignee_id=assignee_id, due=due, purpose=purpose, status="planned",
                              note=(note or "").strip() or None, created_at=at, created_by_id=ctx.actor.id)
                s.add(v)
                s.flush()
                links.add_linked(s, ctx, day=due, owner_id=assignee_id, customer_id=cid, visit_id=v.id)
                audit.record(s, ctx.actor, "visit", v.id, "plan",
                             {"customer_id": (None, cid), "due": (None, due), "assignee_id": (None, assignee_id),
                              "purpose": (None, purpose)}, label=found[cid], at=at)
                out.append(v.id)
        return out


def _assignee_actor(s: Session, user_id: int):  # noqa: ANN202 - an Actor
    from desktop_crm.core.services.users import actor_of

    return actor_of(s.get(User, user_id))


def _unseen_by(s: Session, user_id: int, customer_ids: list[int]) -> list[int]:
    """The customers among `customer_ids` that this user may not see."""
    seen = set(s.scalars(select(Customer.id).where(Customer.id.in_(customer_ids),
                                                  customer_scope(_assignee_actor(s, user_id)))))
    return [c for c in customer_ids if c not in seen]


def _label(s: Session, user_id: int) -> str:
    who = s.execute(select(User.display_name, User.username).where(User.id == user_id)).first()
    return (who[0] or who[1]) if who else "?"


def mismatched(ctx: Ctx, limit: int = 500) -> list[VisitView]:
    """Planned visits whose assignee may not see the customer (assigned before the customer moved,
    or by an older version): for supervisors and above to reassign."""
    if not ctx.actor.at_least("supervisor") or ctx.actor.role == "viewer":
        raise PermissionDenied(_("Supervisors and above reassign return visits."))
    with ctx.db.read() as s:
        planned = s.execute(_scope_query(ctx, "planned", None, None).with_only_columns(
            VisitPlan.id, VisitPlan.assignee_id, VisitPlan.customer_id)).all()
        by_user: dict[int, list[tuple[int, int]]] = {}
        for vid, uid, cid in planned:
            if uid is not None:
                by_user.setdefault(uid, []).append((vid, cid))
        wrong: list[int] = []
        for uid, pairs in by_user.items():
            for start in range(0, len(pairs), 500):
                part = pairs[start:start + 500]
                blind = set(_unseen_by(s, uid, [c for _v, c in part]))
                wrong += [v for v, c in part if c in blind]
        rows = s.scalars(select(VisitPlan).where(VisitPlan.id.in_(sorted(wrong)[:limit])).order_by(VisitPlan.due))
        return [_view(s, v) for v in rows]


def reassign(ctx: Ctx, visit_ids: list[int], assignee_id: int) -> int:
    """Give planned visits to another member of the team who may see their customers (supervisors and
    above); one transaction. Returns how many moved."""
    if not ctx.actor.at_least("supervisor") or ctx.actor.role == "viewer":
        raise PermissionDenied(_("Supervisors and above reassign return visits."))
    with ctx.db.write() as s:
        _check_assignee(s, ctx, assignee_id)
        moved = 0
        for vid in dict.fromkeys(visit_ids):
            v = _load(s, ctx, vid)
            if v.status != "planned" or v.assignee_id == assignee_id:
                continue
            if _unseen_by(s, assignee_id, [v.customer_id]):
                raise ValidationError({"assignee": _("{user} may not see this customer").format(
                    user=_label(s, assignee_id))})
            audit.record(s, ctx.actor, "visit", v.id, "assign", {"assignee_id": (v.assignee_id, assignee_id)})
            v.assignee_id = assignee_id
            links.reassign_linked(s, ctx, v.id, assignee_id)
            moved += 1
        s.flush()
        return moved


def plan_for_filter(ctx: Ctx, flt, due: date, **kwargs) -> list[int]:  # noqa: ANN001, ANN003
    """Plan visits for every customer matching a customer-list filter (e.g. new customers of last month)."""
    from desktop_crm.core.services import customer_query

    return plan_visits(ctx, customer_query.ids(ctx, flt), due, **kwargs)


def _load(s: Session, ctx: Ctx, visit_id: int) -> VisitPlan:
    v = s.get(VisitPlan, visit_id)
    if v is None:
        raise NotFound(_("Return visit not found."))
    load_visible(s, ctx, v.customer_id)
    return v


def get_visit(ctx: Ctx, visit_id: int) -> VisitView:
    with ctx.db.read() as s:
        return _view(s, _load(s, ctx, visit_id), answers=True)


def complete_visit(ctx: Ctx, visit_id: int, *, score: int, tags: list[str] | tuple[str, ...] = (),
                   feedback: str = "", answers: dict[str, str] | None = None, note: str = "",
                   channel: str = "phone", next_follow_up: date | None = None) -> VisitView:
    """Record the visit's result; logs a return-visit interaction (which updates last contact)."""
    require_write(ctx.actor)
    errors: dict[str, str] = {}
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = _("must be a whole number from 1 to 5")
    bad = [t for t in tags if t not in VISIT_FEEDBACK.keys]
    if bad:
        errors["feedback"] = _("unknown tag {tag}; use: {keys}").format(tag=bad[0], keys=", ".join(VISIT_FEEDBACK.keys))
    if errors:
        raise ValidationError(errors)
    with ctx.db.write() as s:
        v = _load(s, ctx, visit_id)
        if v.status != "planned":
            raise WorkflowError(_("This return visit is already {status}.").format(status=_status_label(v.status)))
        if v.assignee_id != ctx.actor.id and not s.scalar(
                select(User.id).where(User.id == v.assignee_id, owner_scope(ctx.actor, User.id))):
            raise PermissionDenied(_("This return visit is assigned to someone else."))
        ensure_questions(s)
        texts = {q.key: (q.text_zh if i18n.current_language() == "zh_CN" else q.text_en)
                 for q in s.scalars(select(VisitQuestion))}
        for key, answer in (answers or {}).items():
            if str(answer or "").strip():
                s.add(VisitAnswer(visit_id=v.id, question_key=key, question=texts.get(key, key), answer=str(answer)))
        at = interactions.now()
        summary = _("Return visit ({purpose}), satisfaction {score}/5").format(
            purpose=VISIT_PURPOSE.label(v.purpose), score=score)
        interactions.log_in_session(s, ctx, v.customer_id, channel=channel, kind="return_visit", summary=summary,
                                    outcome=(feedback or note or "").strip() or None, next_follow_up=next_follow_up,
                                    at=at, visit_id=v.id)
        audit.record(s, ctx.actor, "visit", v.id, "done",
                     {"status": ("planned", "done"), "score": (None, score),
                      "feedback_tags": (None, ",".join(tags) or None)}, at=at)
        v.status, v.score, v.done_at, v.done_by_id = "done", score, at, ctx.actor.id
        links.close_linked(s, ctx, visit_id=v.id, result=summary)
        v.feedback_tags = ("," + ",".join(dict.fromkeys(tags)) + ",") if tags else None
        v.feedback, v.result_note = (feedback or "").strip() or None, (note or "").strip() or None
        s.flush()
        return _view(s, v, answers=True)


def cancel_visit(ctx: Ctx, visit_id: int, reason: str = "") -> None:
    require_write(ctx.actor)
    with ctx.db.write() as s:
        v = _load(s, ctx, visit_id)
        if v.status != "planned":
            raise WorkflowError(_("This return visit is already {status}.").format(status=_status_label(v.status)))
        if v.assignee_id != ctx.actor.id and ctx.actor.role == "staff":
            raise PermissionDenied(_("This return visit is assigned to someone else."))
        audit.record(s, ctx.actor, "visit", v.id, "cancel", {"status": ("planned", "cancelled"), "reason": (None, reason)})
        v.status, v.result_note = "cancelled", reason or None
        links.close_linked(s, ctx, visit_id=v.id, result=reason, status="cancelled")


def _status_label(status: str) -> str:
    return {"planned": _("planned"), "done": _("done"), "cancelled": _("cancelled")}.get(status, status)


def list_visits(ctx: Ctx, *, status: str | None = "planned", assignee_id: int | None = None,
                customer_id: int | None = None, offset: int = 0, limit: int = 200) -> list[VisitView]:
    """Visits in the actor's scope (assignee within scope, or own customers), due date order."""
    with ctx.db.read() as s:
        q = _scope_query(ctx, status, assignee_id, customer_id)
        q = q.order_by(VisitPlan.due, VisitPlan.id).offset(offset).limit(limit)
        return [_view(s, v) for v in s.scalars(q)]


def count_visits(ctx: Ctx, *, status: str | None = "planned", assignee_id: int | None = None,
                 customer_id: int | None = None) -> int:
    with ctx.db.read() as s:
        sub = _scope_query(ctx, status, assignee_id, customer_id).subquery()
        return s.scalar(select(func.count()).select_from(sub)) or 0


def _scope_query(ctx: Ctx, status: str | None, assignee_id: int | None, customer_id: int | None):  # noqa: ANN202
    q = select(VisitPlan).join(Customer, Customer.id == VisitPlan.customer_id).where(customer_scope(ctx.actor))
    if not ctx.actor.sees_all:
        q = q.where(owner_scope(ctx.actor, VisitPlan.assignee_id) | owner_scope(ctx.actor, Customer.owner_id))
    if status:
        q = q.where(VisitPlan.status == status)
    if assignee_id is not None:
        q = q.where(VisitPlan.assignee_id == assignee_id)
    if customer_id is not None:
        q = q.where(VisitPlan.customer_id == customer_id)
    return q


# ---- complaint from feedback ------------------------------------------------------

def complaint_intake(ctx: Ctx, visit_id: int):  # noqa: ANN201 - complaints.Intake
    """The complaint intake prefilled from this visit's feedback (complaints.open_from_feedback);
    nothing is saved until the user registers the complaint."""
    from desktop_crm.core.services import complaints

    v = get_visit(ctx, visit_id)
    text = v.feedback or v.note or _("Feedback from return visit {id}").format(id=v.id)
    return complaints.open_from_feedback(ctx, v.customer_id, text, source="visit")
