"""The complaint transition table of DOMAIN §5, without a database."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from desktop_crm.core.errors import PermissionDenied, ValidationError, WorkflowError
from desktop_crm.core.services import complaint_workflow as wf
from desktop_crm.core.services.context import Actor

STAFF = Actor(10, "rep", "staff", 1)
OTHER_STAFF = Actor(11, "rep2", "staff", 1)
SUP = Actor(20, "sup", "supervisor", 1)
MANAGER = Actor(30, "mgr", "manager", None)
ADMIN = Actor(1, "admin", "admin", None)
VIEWER = Actor(40, "viewer", "viewer", None)
NOW = datetime.now().replace(microsecond=0)

# (from, to) pairs of DOMAIN §5 — every other pair must be refused
TABLE = {
    ("registered", "accepted"), ("registered", "rejected"), ("accepted", "processing"),
    ("processing", "resolved"), ("resolved", "closed"), ("resolved", "processing"), ("closed", "processing"),
    ("rejected", "registered"),
}
STATES = ["registered", "accepted", "rejected", "processing", "resolved", "closed"]
INPUTS = {"reason": "r", "solution_plan": "p", "result": "done", "compensation": "0", "satisfaction": 4}


def test_table_is_exactly_domain_5():
    pairs = {(f, m.to_state) for m in wf.MOVES for f in m.from_states}
    assert pairs == TABLE


@pytest.mark.parametrize("src", STATES)
@pytest.mark.parametrize("dst", STATES)
def test_every_pair(src, dst):
    call = lambda: wf.check(ADMIN, src, dst, handler_id=None, severity="normal", inputs=INPUTS, at=NOW)  # noqa: E731
    if (src, dst) in TABLE:
        assert call()["move"].to_state == dst
    else:
        with pytest.raises(WorkflowError) as exc:
            call()
        assert "cannot move to" in str(exc.value)


def test_refusal_names_the_allowed_targets():
    with pytest.raises(WorkflowError, match="Accepted, Rejected"):
        wf.check(ADMIN, "registered", "closed", handler_id=None, severity="normal", inputs={}, at=NOW)


@pytest.mark.parametrize(("actor", "src", "dst", "ok"), [
    (STAFF, "registered", "accepted", True),
    (STAFF, "registered", "rejected", False),
    (SUP, "registered", "rejected", True),
    (STAFF, "resolved", "processing", False),
    (SUP, "closed", "processing", True),
    (SUP, "rejected", "registered", False),
    (MANAGER, "rejected", "registered", True),
    (ADMIN, "rejected", "registered", True),
    (VIEWER, "registered", "accepted", False),
])
def test_roles(actor, src, dst, ok):
    call = lambda: wf.check(actor, src, dst, handler_id=None, severity="normal", inputs=INPUTS, at=NOW)  # noqa: E731
    if ok:
        call()
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_only_the_handler_or_a_supervisor_moves_an_assigned_complaint():
    with pytest.raises(PermissionDenied, match="handler"):
        wf.check(OTHER_STAFF, "accepted", "processing", handler_id=STAFF.id, severity="normal", inputs=INPUTS,
                 at=NOW)
    wf.check(STAFF, "accepted", "processing", handler_id=STAFF.id, severity="normal", inputs=INPUTS, at=NOW)
    wf.check(SUP, "accepted", "processing", handler_id=STAFF.id, severity="normal", inputs=INPUTS, at=NOW)


@pytest.mark.parametrize("severity", ["major", "critical"])
def test_major_and_critical_need_a_supervisor_to_close(severity):
    with pytest.raises(PermissionDenied, match="supervisor"):
        wf.check(STAFF, "resolved", "closed", handler_id=STAFF.id, severity=severity, inputs=INPUTS, at=NOW)
    wf.check(SUP, "resolved", "closed", handler_id=STAFF.id, severity=severity, inputs=INPUTS, at=NOW)
    wf.check(STAFF, "resolved", "closed", handler_id=STAFF.id, severity="normal", inputs=INPUTS, at=NOW)


@pytest.mark.parametrize(("src", "dst", "field"), [
    ("registered", "rejected", "reason"),
    ("accepted", "processing", "solution_plan"),
    ("processing", "resolved", "result"),
    ("processing", "resolved", "compensation"),
    ("resolved", "closed", "satisfaction"),
    ("closed", "processing", "reason"),
    ("rejected", "registered", "reason"),
])
def test_required_inputs(src, dst, field):
    inputs = {k: v for k, v in INPUTS.items() if k != field}
    with pytest.raises(ValidationError) as exc:
        wf.check(ADMIN, src, dst, handler_id=None, severity="normal", inputs=inputs, at=NOW)
    assert field in exc.value.errors


def test_resolve_inputs_are_cleaned():
    got = wf.check(ADMIN, "processing", "resolved", handler_id=None, severity="normal",
                   inputs={"result": " refunded ", "compensation": "12.345"}, at=NOW)
    assert got["result"] == "refunded"
    assert got["compensation"] == Decimal("12.35")
    assert got["customer_informed_at"] == NOW  # default: the time of the move
    zero = wf.check(ADMIN, "processing", "resolved", handler_id=None, severity="normal",
                    inputs={"result": "x", "compensation": 0}, at=NOW)
    assert zero["compensation"] == Decimal("0.00")
    with pytest.raises(ValidationError, match="negative"):
        wf.check(ADMIN, "processing", "resolved", handler_id=None, severity="normal",
                 inputs={"result": "x", "compensation": "-1"}, at=NOW)


@pytest.mark.parametrize("score", [0, 6, "x", 2.5])
def test_satisfaction_1_to_5(score):
    with pytest.raises(ValidationError) as exc:
        wf.check(ADMIN, "resolved", "closed", handler_id=None, severity="normal", inputs={"satisfaction": score},
                 at=NOW)
    assert "satisfaction" in exc.value.errors


def test_move_time_checks():
    with pytest.raises(ValidationError) as exc:
        wf.check(ADMIN, "registered", "accepted", handler_id=None, severity="normal", inputs={},
                 at=NOW - timedelta(hours=2), last_at=NOW - timedelta(hours=1))
    assert "at" in exc.value.errors
    with pytest.raises(ValidationError):
        wf.check(ADMIN, "registered", "accepted", handler_id=None, severity="normal", inputs={},
                 at=NOW + timedelta(days=1))


def test_allowed_moves_per_role():
    keys = lambda actor, status, sev="normal", h=None: [m.key for m in wf.allowed(  # noqa: E731
        actor, status, handler_id=h, severity=sev)]
    assert keys(STAFF, "registered") == ["accept"]
    assert keys(SUP, "registered") == ["accept", "reject"]
    assert keys(STAFF, "resolved", "major", STAFF.id) == []
    assert keys(SUP, "resolved", "major", STAFF.id) == ["close", "reopen"]
    assert keys(SUP, "rejected") == []
    assert keys(MANAGER, "rejected") == ["restore"]
    assert keys(VIEWER, "registered") == []
    assert keys(OTHER_STAFF, "accepted", h=STAFF.id) == []
