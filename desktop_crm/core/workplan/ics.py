"""Calendar files (RFC 5545 `.ics`) that Outlook, Apple Calendar and WPS open.

Stable UIDs (`task-<id>@desktop-crm`, the series' first item for a recurring one), an RRULE for a
series with its moved occurrences as RECURRENCE-ID overrides, a VALARM per reminder, local times
with the machine's time zone named (TZID) and described (VTIMEZONE with its current offset).
"""

from __future__ import annotations

import time as _time
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from desktop_crm.core.workplan.tasks import TaskView, occurrences

PRODID = "-//Desktop CRM//Work plan//EN"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    out, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += b
    out.append(current.decode("utf-8"))
    return [out[0], *(" " + part for part in out[1:])]


def _zone() -> tuple[str, str]:
    """(TZID, ±HHMM) of this machine now."""
    offset = -(_time.altzone if _time.daylight and _time.localtime().tm_isdst else _time.timezone)
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset) // 60, 60)
    name = _time.tzname[_time.localtime().tm_isdst > 0] or "Local"
    tzid = "Asia/Shanghai" if offset == 8 * 3600 and name in ("CST", "China Standard Time") else name
    return tzid, f"{sign}{hours:02d}{minutes:02d}"


def _dt(at: datetime, tzid: str) -> str:
    return f";TZID={tzid}:{at.strftime('%Y%m%dT%H%M%S')}"


def _event(t: TaskView, tzid: str, stamp: str, *, rule: str | None = None,
           recurrence_id: datetime | None = None, uid_id: int | None = None) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:task-{uid_id or t.id}@desktop-crm", f"DTSTAMP:{stamp}"]
    if t.all_day:
        end = t.end or t.start + timedelta(days=1)
        lines += [f"DTSTART;VALUE=DATE:{t.start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    else:
        lines += ["DTSTART" + _dt(t.start, tzid), "DTEND" + _dt(t.end or t.start + timedelta(hours=1), tzid)]
    if recurrence_id is not None:
        lines.append(("RECURRENCE-ID;VALUE=DATE:" + recurrence_id.strftime("%Y%m%d")) if t.all_day
                     else "RECURRENCE-ID" + _dt(recurrence_id, tzid))
    if rule:
        lines.append("RRULE:" + rule)
    summary = t.title + (f" — {t.customer}" if t.customer else "")
    lines += [f"SUMMARY:{_escape(summary)}", f"CATEGORIES:{t.kind.upper()}",
              f"PRIORITY:{ {'high': 1, 'normal': 5, 'low': 9}.get(t.priority, 5) }",
              f"STATUS:{ {'open': 'CONFIRMED', 'done': 'CONFIRMED', 'cancelled': 'CANCELLED'}[t.status] }"]
    if t.note or t.customer_code:
        lines.append("DESCRIPTION:" + _escape("\n".join(x for x in (t.customer_code, t.note) if x)))
    for minutes in t.reminders:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{_escape(t.title)}",
                  f"TRIGGER:-PT{minutes}M" if not t.all_day else f"TRIGGER;RELATED=START:-PT{minutes}M",
                  "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def calendar_text(items: Iterable[TaskView], *, name: str = "Desktop CRM") -> str:
    tzid, offset = _zone()
    stamp = datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(name)}", "BEGIN:VTIMEZONE", f"TZID:{tzid}", "BEGIN:STANDARD",
             "DTSTART:19700101T000000", f"TZOFFSETFROM:{offset}", f"TZOFFSETTO:{offset}", "END:STANDARD",
             "END:VTIMEZONE"]
    series: dict[int, list[TaskView]] = {}
    for t in items:
        if t.series_id:
            series.setdefault(t.series_id, []).append(t)
        else:
            lines += _event(t, tzid, stamp)
    for sid, group in series.items():
        group.sort(key=lambda t: t.id)
        first = group[0]
        if first.id != sid:  # the series' first item is outside the range: each item on its own
            for t in group:
                lines += _event(t, tzid, stamp)
            continue
        # the series' planned starts, from its position in the series (ids are given in order)
        planned = occurrences(first.start, first.repeat, len(group), None)
        rule = f"FREQ={(first.repeat or 'daily').upper()};COUNT={len(group)}"
        lines += _event(first, tzid, stamp, rule=rule, uid_id=sid)
        for t, at in zip(group[1:], planned[1:], strict=False):
            if t.start != at or t.title != first.title or t.status != first.status:
                lines += _event(t, tzid, stamp, recurrence_id=at, uid_id=sid)
    lines.append("END:VCALENDAR")
    return "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"


def write(path: str | Path, items: Iterable[TaskView], *, name: str = "Desktop CRM") -> Path:
    from desktop_crm.core.exporting.common import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(calendar_text(items, name=name), encoding="utf-8", newline="")
    return Path(path)
