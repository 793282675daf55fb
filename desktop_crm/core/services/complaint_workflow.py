"""The complaint state machine of DOMAIN §5, enforced here and nowhere else.

| from                 | to         | who                                   | needs                                   |
|----------------------|------------|---------------------------------------|-----------------------------------------|
| registered           | accepted   | any handler                           | —                                       |
| registered           | rejected   | supervisor+                           | reason                                  |
| accepted             | processing | handler                               | solution plan                           |
| processing           | resolved   | handler                               | result, compensation (0 ok), informed at|
| resolved             | closed     | handler; supervisor+ if major/critical| satisfaction 1–5                        |
| resolved or closed   | processing | supervisor+ (reopen)                  | reason                                  |
| rejected             | registered | manager+                              | reason                                  |

"handler" means the assigned handler, or a supervisor and above acting for their team; when no
handler is assigned yet, a staff member who may see the complaint takes it by making the move.
The pure part (`MOVES`, `check`, `allowed`) has no database; `move()` is the service call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from desktop_crm.core.enums import COMPLAINT_STATE
from desktop_crm.core.errors import PermissionDenied, ValidationError, WorkflowError
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.models.types import to_money
from desktop_crm.core.rules.parsing import clean_text, parse_datetime, parse_decimal
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Actor, Ctx

OPEN_STATES = ("registered", "accepted", "processing")
FINAL_STATES = ("rejected", "closed")
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class Move:
    key: str
    from_states: tuple[str, ...]
    to_state: str
    who: str  # handler | supervisor | manager
    needs: tuple[str, ...]
    label: str  # English source of the button text


MOVES: tuple[Move, ...] = (
    Move("accept", ("registered",), "accepted", "handler", (), N_("Accept")),
    Move("reject", ("registered",), "rejected", "supervisor", ("reason",), N_("Reject")),
    Move("process", ("accepted",), "processing", "handler", ("solution_plan",), N_("Start processing")),
    Move("resolve", ("processing",), "resolved", "handler", ("result", "compensation", "customer_informed_at"),
         N_("Resolve")),
    Move("close", ("resolved",), "closed", "handler", ("satisfaction",), N_("Close")),
    Move("reopen", ("resolved", "closed"), "processing", "supervisor", ("reason",), N_("Reopen")),
    Move("restore", ("rejected",), "registered", "manager", ("reason",), N_("Re-register")),
)


def find_move(from_state: str, to_state: str) -> Move | None:
    for m in MOVES:
        if from_state in m.from_states and m.to_state == to_state:
            return m
    return None


def _state(key: str) -> str:
    return COMPLAINT_STATE.label(key)


def who_may(actor: Actor, move: Move, *, handler_id: int | None, severity: str) -> str | None:
    """None if the actor may make `move`, else the reason why not (translated)."""
    if actor.role == "viewer":
        return _("Read-only users cannot change complaints.")
    if move.who == "manager" and not actor.at_least("manager"):
        return _("Only a manager can return a rejected complaint to registered.")
    if move.who == "supervisor" and not actor.at_least("supervisor"):
        if move.key == "reject":
            return _("Only a supervisor or above can reject a complaint.")
        return _("Only a supervisor or above can reopen a complaint.")
    if move.who == "handler":
        if move.key == "close" and severity in ("major", "critical") and not actor.at_least("supervisor"):
            return _("A {severity} complaint is closed by a supervisor or above.").format(
                severity=_("major") if severity == "major" else _("critical"))
        if not actor.at_least("supervisor") and handler_id is not None and handler_id != actor.id:
            return _("Only the complaint's handler or a supervisor can do this.")
    return None


def allowed(actor: Actor, status: str, *, handler_id: int | None, severity: str) -> list[Move]:
    """The moves the actor may make now (the complaint page shows them as buttons)."""
    return [m for m in MOVES if status in m.from_states
            and who_may(actor, m, handler_id=handler_id, severity=severity) is None]


def check(actor: Actor, status: str, to_state: str, *, handler_id: int | None, severity: str,
          inputs: dict[str, object], at: datetime, last_at: datetime | None = None) -> dict[str, object]:
    """Validate one move. Returns the cleaned inputs; raises WorkflowError, PermissionDenied or
    ValidationError (field → why) when the move is not allowed or lacks what it needs."""
    if to_state not in COMPLAINT_STATE.labels:
        raise WorkflowError(_("\"{state}\" is not a complaint state.").format(state=to_state))
    move = find_move(status, to_state)
    if move is None:
        nexts = sorted({m.to_state for m in MOVES if status in m.from_states})
        raise WorkflowError(_("A complaint that is {current} cannot move to {target}; from {current} it can go to: "
                              "{allowed}.").format(current=_state(status), target=_state(to_state),
                                                   allowed=", ".join(_state(s) for s in nexts) or "—"))
    why = who_may(actor, move, handler_id=handler_id, severity=severity)
    if why:
        raise PermissionDenied(why)
    out: dict[str, object] = {"note": clean_text(inputs.get("note") or "") or None}
    # a time typed to the minute, in the same minute as the last step, is taken as just after it
    out["at"] = max(at, last_at) if last_at is not None else at
    errors: dict[str, str] = {}
    if last_at is not None and at < last_at.replace(second=0, microsecond=0):
        errors["at"] = _("is before the complaint's last step ({when})").format(
            when=last_at.strftime("%Y-%m-%d %H:%M"))
    if at > datetime.now() + FUTURE_SLACK:
        errors["at"] = _("is in the future")
    for need in move.needs:
        value = inputs.get(need)
        if need in ("reason", "solution_plan", "result"):
            text = clean_text(value or "")
            if not text:
                errors[need] = {
                    "reason": _("a reason is required to {action}").format(action=_(move.label).lower()),
                    "solution_plan": _("a solution plan is required before processing starts"),
                    "result": _("the result is required to resolve the complaint"),
                }[need]
            out[need] = text
        elif need == "compensation":
            if value in (None, ""):
                errors[need] = _("the compensation amount is required (0 when none)")
                continue
            try:
                amount = value if isinstance(value, Decimal) else parse_decimal(value)
            except ValueError as exc:
                errors[need] = str(exc)
                continue
            if amount < 0:
                errors[need] = _("cannot be negative")
            out[need] = to_money(amount)
        elif need == "customer_informed_at":
            if value in (None, ""):
                out[need] = at
                continue
            try:
                when = parse_datetime(value)
            except ValueError as exc:
                errors[need] = str(exc)
                continue
            if when > datetime.now() + FUTURE_SLACK:
                errors[need] = _("is in the future")
            out[need] = when
        elif need == "satisfaction":
            try:
                score = int(str(value).strip()) if value not in (None, "") else None
            except ValueError:
                score = -1
            if score is None:
                errors[need] = _("the follow-up satisfaction (1–5) is required to close")
            elif not 1 <= score <= 5:
                errors[need] = _("must be a whole number from 1 to 5")
            out[need] = score
    if errors:
        raise ValidationError(errors)
    out["move"] = move
    return out


# ---------------------------------------------------------------- the service call

def move(ctx: Ctx, complaint_id: int, to_state: str, *, note: str | None = None, at: datetime | None = None,
         version: int | None = None, **inputs: object) -> None:
    """Make one move of the state machine; lands on the timeline and in the audit log.

    `inputs` carries what the move needs: reason, solution_plan, result, compensation,
    customer_informed_at, satisfaction (see MOVES)."""
    from desktop_crm.core.models import ComplaintEvent
    from desktop_crm.core.services.complaints import last_event_at, load_visible, snapshot

    at = (at or datetime.now()).replace(microsecond=0)
    with ctx.db.write() as s:
        c = load_visible(s, ctx, complaint_id, for_update=True, version=version)
        got = check(ctx.actor, c.status, to_state, handler_id=c.handler_id, severity=c.severity,
                    inputs={**inputs, "note": note}, at=at, last_at=last_event_at(s, c.id))
        mv: Move = got["move"]  # type: ignore[assignment]
        at = got["at"]  # type: ignore[assignment]
        before = snapshot(c)
        previous = c.status
        if mv.who == "handler" and c.handler_id is None and ctx.actor.role in ("staff", "supervisor"):
            c.handler_id = ctx.actor.id
            if c.department_id is None:
                c.department_id = ctx.actor.department_id
        c.status = mv.to_state
        if previous == "registered" and c.first_response_at is None:
            c.first_response_at = at
        if mv.key == "accept":
            c.accepted_at = at
        elif mv.key == "process":
            c.solution_plan = got["solution_plan"]  # type: ignore[assignment]
        elif mv.key == "resolve":
            c.result = got["result"]  # type: ignore[assignment]
            c.compensation = got["compensation"]  # type: ignore[assignment]
            c.customer_informed_at = got["customer_informed_at"]  # type: ignore[assignment]
            c.resolved_at = at
        elif mv.key == "close":
            c.satisfaction = got["satisfaction"]  # type: ignore[assignment]
            c.closed_at = at
        elif mv.key == "reopen":
            c.resolved_at, c.closed_at = None, None
        c.updated_at, c.updated_by_id = datetime.now().replace(microsecond=0), ctx.actor.id
        text = "\n".join(t for t in (got.get("reason"), got.get("note")) if t) or None
        s.add(ComplaintEvent(complaint_id=c.id, at=at, user_id=ctx.actor.id, kind="move", from_state=previous,
                             to_state=mv.to_state, note=text))  # type: ignore[arg-type]
        s.flush()
        audit.record(s, ctx.actor, "complaint", c.id, mv.key, audit.diff(before, snapshot(c)), label=c.number)
