"""Complaint SLA clocks (DOMAIN §5)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop_crm.core.rules.sla import SLAParams, complaint_sla, due_times, is_overdue, sla_state

R = datetime(2024, 3, 5, 22, 0)


@pytest.mark.parametrize("severity, response, resolution", [
    ("normal", datetime(2024, 3, 6, 22), datetime(2024, 3, 12, 22)),
    ("major", datetime(2024, 3, 6, 6), datetime(2024, 3, 8, 22)),
    ("critical", datetime(2024, 3, 6, 0), datetime(2024, 3, 6, 22)),
])
def test_due_times_calendar_hours(severity, response, resolution):
    due = due_times(R, severity)
    assert (due.response_due, due.resolution_due) == (response, resolution)


def test_custom_params_and_unknown_severity():
    params = SLAParams(response_normal=4, resolution_normal=48)
    due = due_times(R, "normal", params)
    assert due.response_due == R + timedelta(hours=4)
    assert due.resolution_due == R + timedelta(hours=48)
    with pytest.raises(ValueError, match="Unknown complaint severity"):
        due_times(R, "urgent")


def test_sla_state_running():
    due = R + timedelta(hours=2)
    before = sla_state(R + timedelta(hours=1), due)
    assert (before.remaining, before.overdue, before.late, before.running) == (timedelta(hours=1), None, False, True)
    at = sla_state(due, due)
    assert (at.remaining, at.overdue, at.late) == (timedelta(0), None, False)
    after = sla_state(due + timedelta(minutes=30), due)
    assert (after.remaining, after.overdue, after.late) == (None, timedelta(minutes=30), True)


def test_sla_state_done():
    due = R + timedelta(hours=2)
    on_time = sla_state(R + timedelta(days=5), due, done_at=R + timedelta(hours=1))
    assert (on_time.remaining, on_time.overdue, on_time.late, on_time.running) == (None, None, False, False)
    late = sla_state(R + timedelta(days=5), due, done_at=due + timedelta(hours=3))
    assert (late.overdue, late.late) == (timedelta(hours=3), True)


def test_is_overdue_only_for_running_clocks():
    due = R + timedelta(hours=2)
    assert not is_overdue(due, due)
    assert is_overdue(due + timedelta(seconds=1), due)
    assert not is_overdue(due + timedelta(days=1), due, done_at=due + timedelta(hours=5))


def test_complaint_sla():
    s = complaint_sla(R, "critical", now=R + timedelta(hours=3), responded_at=R + timedelta(hours=1))
    assert not s.response.late and not s.response.running
    assert s.resolution.running and s.resolution.remaining == timedelta(hours=21)
