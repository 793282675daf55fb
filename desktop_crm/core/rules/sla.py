"""Complaint SLA clocks (DOMAIN §5).

Both clocks start at the received time and run in calendar hours (no working
hours, no holidays). First response (leaving `registered`) is due after
24 h normal / 8 h major / 2 h critical; resolution (reaching `resolved`) after
168 h / 72 h / 24 h.

A clock that has stopped (`done_at` set) is late when done_at > due. A running
clock is overdue when now > due; exactly at the due time it is not yet
overdue. `is_overdue` is about running clocks only (the dashboard's "open
complaints past a due time"); reports of handled complaints use `SLAState.late`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop_crm.core.i18n import _

SEVERITIES = ("normal", "major", "critical")


@dataclass(frozen=True)
class SLAParams:
    """Hours allowed per severity for first response and for resolution."""

    response_normal: float = 24
    response_major: float = 8
    response_critical: float = 2
    resolution_normal: float = 168
    resolution_major: float = 72
    resolution_critical: float = 24

    def response_hours(self, severity: str) -> float:
        """Hours allowed for the first response at this severity."""
        return getattr(self, f"response_{_check(severity)}")

    def resolution_hours(self, severity: str) -> float:
        """Hours allowed for the resolution at this severity."""
        return getattr(self, f"resolution_{_check(severity)}")


@dataclass(frozen=True)
class DueTimes:
    """When the first response and the resolution are due."""

    response_due: datetime
    resolution_due: datetime


@dataclass(frozen=True)
class SLAState:
    """One clock at `now`: remaining time while running and on time, or how late it is / was."""

    due: datetime
    done_at: datetime | None
    remaining: timedelta | None  # running and not past due: due − now (may be 0)
    overdue: timedelta | None  # past due: now − due while running, done_at − due when done late
    late: bool  # done after due, or running past due

    @property
    def running(self) -> bool:
        """True while the clock has not stopped."""
        return self.done_at is None


@dataclass(frozen=True)
class ComplaintSLA:
    """Both clocks of one complaint."""

    response: SLAState
    resolution: SLAState


def due_times(received_at: datetime, severity: str, params: SLAParams | None = None) -> DueTimes:
    """Response and resolution due times of a complaint received at `received_at`."""
    p = params or SLAParams()
    return DueTimes(
        received_at + timedelta(hours=p.response_hours(severity)),
        received_at + timedelta(hours=p.resolution_hours(severity)),
    )


def sla_state(now: datetime, due: datetime, done_at: datetime | None = None) -> SLAState:
    """State of one clock at `now`; `done_at` is when it stopped (None while running)."""
    if done_at is not None:
        late = done_at > due
        return SLAState(due, done_at, None, done_at - due if late else None, late)
    if now > due:
        return SLAState(due, None, None, now - due, True)
    return SLAState(due, None, due - now, None, False)


def is_overdue(now: datetime, due: datetime, done_at: datetime | None = None) -> bool:
    """True when the clock is still running and now is past the due time."""
    return done_at is None and now > due


def complaint_sla(
    received_at: datetime,
    severity: str,
    now: datetime,
    responded_at: datetime | None = None,
    resolved_at: datetime | None = None,
    params: SLAParams | None = None,
) -> ComplaintSLA:
    """Both clocks of a complaint at `now`, from when it was received, first responded to and resolved."""
    due = due_times(received_at, severity, params)
    return ComplaintSLA(sla_state(now, due.response_due, responded_at), sla_state(now, due.resolution_due, resolved_at))


def _check(severity: str) -> str:
    if severity not in SEVERITIES:
        raise ValueError(_("Unknown complaint severity \"{severity}\".").format(severity=severity))
    return severity
