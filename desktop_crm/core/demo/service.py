"""The demo's service desk: complaints about orders, taken by the service desk and handled by it or
by the customer's rep, through the four steps of the workflow with their timeline — quick ones,
slow ones past their SLA, rejected and reopened ones, claims — up to today."""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from desktop_crm.core.demo import words as W
from desktop_crm.core.demo.forms import RowForm
from desktop_crm.core.demo.people import Life
from desktop_crm.core.demo.staff import Staff
from desktop_crm.core.demo.trade import Counters
from desktop_crm.core.rules import sla

RATE = 0.025  # complaints per order
CATEGORIES = [("delay", 35), ("damage", 20), ("billing", 12), ("attitude", 12), ("quality", 10), ("misleading", 3),
              ("other", 8)]
CHANNELS = [("hotline", 40), ("phone", 20), ("wechat", 15), ("web", 10), ("email", 8), ("visit", 4), ("letter", 3)]
SEVERITIES = [("normal", 78), ("major", 17), ("critical", 5)]
SCORES_ON_TIME = [2, 5, 15, 43, 35]
SCORES_LATE = [10, 20, 30, 28, 12]


@dataclass(frozen=True)
class Handled:
    """What the care generator needs of a complaint: the after-complaint visit."""

    complaint_id: int
    life: Life
    handler: int
    status: str
    resolved_at: datetime | None
    satisfaction: int | None


def _weighted(pairs: list[tuple[str, int]]):  # noqa: ANN202
    keys, cum = [k for k, _w in pairs], list(accumulate(w for _k, w in pairs))
    return lambda r: keys[bisect(cum, r * cum[-1])]


class ServiceDesk:
    def __init__(self, rng, now: datetime, staff: Staff, counters: Counters, params: sla.SLAParams,  # noqa: ANN001
                 form: RowForm):
        self.rnd = rng.random
        self.now, self.staff, self.counters, self.form, self.params = now, staff, counters, form, params
        self.category, self.channel, self.severity = (_weighted(x) for x in (CATEGORIES, CHANNELS, SEVERITIES))
        self.handled: list[Handled] = []

    def complaints(self, life: Life, out: dict[str, list[tuple]]) -> None:
        rnd = self.rnd
        for d, number, amount in life.orders:
            if rnd() < RATE:
                received = datetime(d.year, d.month, d.day, 9) + timedelta(days=1 + int(rnd() * 10),
                                                                           seconds=int(rnd() * 36_000))
                if received < self.now:
                    self._one(life, received, number, amount, out)
        if "complaint_open" in life.plants and life.orders:
            d, number, amount = life.orders[-1]
            # just in (critical), under way and on time, past its resolution time, resolved and waiting for the visit
            # (one critical call just in for the whole desk; the other reps' new ones are normal, hours old)
            first = "critical_call" in life.plants
            for ago, severity, stop in ((timedelta(minutes=20) if first else timedelta(hours=2 + 18 * rnd()),
                                         "critical" if first else "normal", "registered"),
                                        (timedelta(hours=30 + 16 * rnd()), "major", "accepted"),
                                        (timedelta(days=8 + 4 * rnd()), "normal", "processing"),
                                        (timedelta(days=4 + 4 * rnd()), "normal", "resolved")):
                spread = timedelta(minutes=int(rnd() * 60))  # not all at once
                self._one(life, self.now - ago - spread, number, amount, out, severity=severity, stop=stop,
                          handler=life.owner)

    def _one(self, life: Life, received: datetime, order_no: str, amount: int,  # noqa: C901
             out: dict[str, list[tuple]], *, severity: str | None = None, stop: str | None = None,
             handler: int | None = None) -> None:
        rnd, f, now, staff = self.rnd, self.form, self.now, self.staff
        ts = f.timestamp
        received = received.replace(microsecond=0)
        category, channel = self.category(rnd()), self.channel(rnd())
        severity = severity or self.severity(rnd())
        desk = staff.desk
        taker = desk[int(rnd() * len(desk))]
        if handler is None:
            handler = life.owner if life.owner in staff.reps and rnd() < 0.25 else desk[int(rnd() * len(desk))]
        boss = staff.desk_supervisor if severity != "normal" else handler
        due = sla.due_times(received, severity, self.params)
        resp_h, reso_h = self.params.response_hours(severity), self.params.resolution_hours(severity)
        slow = rnd() < 0.12
        # the steps as they would happen; those after now have not happened yet
        t_resp = received + timedelta(hours=resp_h * (0.1 + 0.75 * rnd()) * (3 if slow else 1))
        steps: list[tuple[str, datetime, int, str | None]] = []
        if stop is None and rnd() < 0.06:
            steps.append(("rejected", t_resp, staff.desk_supervisor, W.REJECT_REASONS[int(rnd() * 2)]))
        else:
            t_proc = t_resp + timedelta(hours=1 + 10 * rnd())
            t_res = max(t_proc + timedelta(hours=2), received + timedelta(
                hours=reso_h * (0.3 + 0.6 * rnd()) * (2.5 if slow else 1)))
            t_close = t_res + timedelta(days=1 + 4 * rnd())
            steps += [("accepted", t_resp, handler, None),
                      ("processing", t_proc, handler, None),
                      ("resolved", t_res, handler, None),
                      ("closed", t_close, boss, None)]
            if stop is None and rnd() < 0.05:  # reopened after closing
                t_re = t_close + timedelta(days=2 + 8 * rnd())
                steps += [("processing", t_re, staff.desk_supervisor, W.REOPEN_REASONS[int(rnd() * 2)]),
                          ("resolved", t_re + timedelta(days=1 + 3 * rnd()), handler, None),
                          ("closed", t_re + timedelta(days=5 + 3 * rnd()), boss, None)]
        if stop is not None:
            steps = steps[:[s[0] for s in steps].index(stop) + 1] if stop != "registered" else []
            steps = [(s, min(at, now - timedelta(minutes=30 - k)), who, why) for k, (s, at, who, why) in enumerate(steps)]
        steps = [(s, at.replace(microsecond=0), who, why) for s, at, who, why in steps if at <= now]
        cid = self.counters.take("complaint")
        events = out["complaint_events"]
        events.append((cid, ts(received), taker, "register", None, "registered", None))
        state = "registered"
        first_response = accepted = resolved = closed = informed = None
        for k, (to, at, who, why) in enumerate(steps):
            if k == 1 and rnd() < 0.3:
                events.append((cid, ts(at - timedelta(minutes=20)), who, "note", None, None,
                               W.EVENT_NOTES[int(rnd() * len(W.EVENT_NOTES))]))
            events.append((cid, ts(at), who, "move", state, to, why))
            if state == "registered":
                first_response = at
            if to == "accepted":
                accepted = at
            elif to == "resolved":
                resolved = informed = at
            elif to == "closed":
                closed = at
            elif to == "processing" and state in ("resolved", "closed"):
                resolved = closed = None
            state = to
        reached = {s for s, *_ in steps}
        late = (resolved or now) > due.resolution_due
        score = None
        if state == "closed":
            weights = SCORES_LATE if late else SCORES_ON_TIME
            score = 1 + bisect(list(accumulate(weights)), rnd() * 100)
        compensation = claim = approved = paid_on = None
        if category == "damage":
            claim = min(amount, (200 + int(rnd() * 4800)) * 100)
        if resolved is not None:
            if claim is not None:
                approved = int(claim * (0.5 + rnd() * 0.5)) // 100 * 100
                paid = (resolved + timedelta(days=3 + int(rnd() * 8))).date()
                paid_on = paid if paid <= now.date() else None
            compensation = approved if approved is not None else (
                (50 + int(rnd() * 450)) * 100 if category == "delay" and rnd() < 0.3 else 0)
        contact = life.contacts[0] if life.contacts else None
        texts = W.COMPLAINT_TEXTS[category]
        processing = "processing" in reached
        out["complaints"].append((
            cid, None, life.id,  # numbered by the loader, per day
            contact[0] if contact else None, contact[1] if contact else None,
            channel, ts(received), taker, order_no, category, severity, texts[int(rnd() * len(texts))],
            W.DEMANDS[int(rnd() * len(W.DEMANDS))], handler, staff.department_of.get(handler), state,
            W.SOLUTIONS[int(rnd() * len(W.SOLUTIONS))] if processing else None,
            W.RESULTS[int(rnd() * len(W.RESULTS))] if resolved else None,
            ts(informed) if informed else None,
            None if compensation is None else f.cents(compensation),
            _cause(rnd, category) if processing else None,
            None if claim is None else f.cents(claim), None if approved is None else f.cents(approved),
            f.day(paid_on) if paid_on else None, score,
            ts(due.response_due), ts(due.resolution_due),
            ts(first_response) if first_response else None, ts(accepted) if accepted else None,
            ts(resolved) if resolved else None, ts(closed) if closed else None, "desk",
            ts(received), taker, 1))
        if state in ("resolved", "closed"):
            self.handled.append(Handled(cid, life, handler, state, resolved, score))


def _cause(rnd, category: str) -> str:  # noqa: ANN001
    causes = W.ROOT_CAUSES[category]
    return causes[int(rnd() * len(causes))]
