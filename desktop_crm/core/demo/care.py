"""The demo's care of customers: follow-ups (some due today, some overdue), return visits planned
the way the desk plans them (a new buyer a week after the first deal, key customers every quarter,
after-sales, after a complaint) with their scores, feedback and answers, birthday greetings, and
the customers' owners over time: handovers from the rep who left, returns to the pool, claims."""

from __future__ import annotations

from bisect import bisect
from datetime import date, datetime, timedelta
from itertools import accumulate

from desktop_crm.core.demo import words as W
from desktop_crm.core.demo.forms import RowForm
from desktop_crm.core.demo.people import Life, office_time
from desktop_crm.core.demo.service import Handled
from desktop_crm.core.demo.staff import Staff
from desktop_crm.core.demo.trade import Counters, poisson

FOLLOW_UP_RATE = {"potential": 0.05, "target": 0.4, "active": 0.15, "lost": 0.15, "invalid": 0.02}
CHANNELS = ["phone"] * 6 + ["wechat"] * 3 + ["visit"] * 2 + ["email", "meeting", "sms"]
SCORES = list(accumulate([3, 7, 20, 40, 30]))
PURPOSE_LABEL = {"new_customer": "新客户回访", "old_customer": "老客户回访", "after_sales": "售后回访",
                 "after_complaint": "投诉回访"}
POOL_REASON = "超过 90 天未跟进，退回公海"


class Care:
    def __init__(self, rng, now: datetime, staff: Staff, counters: Counters, questions: dict[str, str],  # noqa: ANN001
                 form: RowForm):
        self.rnd = rng.random
        self.now, self.today = now, now.date()
        self.month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        self.staff, self.counters, self.form, self.questions = staff, counters, form, questions

    def _pick(self, seq):  # noqa: ANN001, ANN202
        return seq[int(self.rnd() * len(seq))]

    def _user_at(self, life: Life, at: datetime) -> int:
        former = self.staff.former
        if life.former_owner is not None and former is not None and at < former[1]:
            return life.former_owner
        return life.owner or self.staff.admin_id

    # ------------------------------------------------------------------ follow-ups

    def _interaction(self, life: Life, out: dict[str, list[tuple]], at: datetime, *, kind: str = "follow_up",
                     channel: str | None = None, summary: str | None = None, outcome: str | None = None,
                     next_day: date | None = None, done: bool = True, visit_id: int | None = None,
                     user: int | None = None) -> None:
        f, ts = self.form, self.form.timestamp
        user = user or self._user_at(life, at)
        contact = life.contacts[0][0] if life.contacts else None
        due = None if done or next_day is None else next_day
        done_at = office_time(next_day, self.rnd) if done and next_day is not None else None
        if done_at is not None and done_at > self.now:
            done_at = self.now
        out["interactions"].append((
            life.id, contact, user, ts(at), channel or self._pick(CHANNELS), kind,
            summary or self._pick(W.FOLLOW_UPS[life.status]), outcome,
            f.day(next_day) if next_day else None, f.day(due) if due else None,
            user if next_day else None, ts(done_at) if done_at else None, visit_id, ts(at)))
        life.touch(at)

    def follow_ups(self, life: Life, out: dict[str, list[tuple]]) -> None:
        if life.owner is None and life.former_owner is None:
            return
        rnd, now = self.rnd, self.now
        lost = life.since("lost")
        end = lost or now
        if "key_silent" in life.plants:  # a key customer nobody has called for weeks
            end = now - timedelta(days=40 + int(rnd() * 30))
        span = (end - life.created).total_seconds()
        n = poisson(rnd, FOLLOW_UP_RATE[life.status] * max(span, 0) / 86400 / 365 + 0.1) if span > 0 else 0
        times = sorted(office_time((life.created + timedelta(seconds=span * rnd() ** 0.6)).date(), rnd)
                       for _ in range(n))
        times = [t for t in times if t <= end]
        for k, at in enumerate(times):
            last = k == len(times) - 1
            next_day = None
            done = True
            if last and life.status in ("target", "active") and rnd() < 0.3:
                next_day = at.date() + timedelta(days=3 + int(rnd() * 18))
                # a follow-up due a month ago or more was done (or the rep would have been chased long ago)
                done = next_day < self.today - timedelta(days=30) or (next_day <= self.today and rnd() < 0.5)
            elif rnd() < 0.2:
                next_day = at.date() + timedelta(days=3 + int(rnd() * 18))
                done = next_day < self.today
            self._interaction(life, out, at, outcome=self._pick(W.OUTCOMES) if rnd() < 0.6 else None,
                              next_day=next_day, done=done)
        if life.individual and life.owner and rnd() < 0.3:
            at = office_time((now - timedelta(days=int(rnd() * 300))).date(), rnd)
            if life.created < at <= now:
                self._interaction(life, out, at, kind="care", channel="wechat", summary=self._pick(W.CARE_TEXTS))
        if "follow_up_today" in life.plants:
            self._interaction(life, out, office_time(self.today - timedelta(days=5), rnd),
                              summary="约好今天回电确认补货数量", next_day=self.today, done=False)
        if "follow_up_overdue" in life.plants:
            self._interaction(life, out, office_time(self.today - timedelta(days=15), rnd),
                              summary="客户说月底前给答复", next_day=self.today - timedelta(days=4), done=False)

    # ------------------------------------------------------------------ return visits

    def _visit(self, life: Life, out: dict[str, list[tuple]], due: date, purpose: str, *,
               assignee: int | None = None, complaint_id: int | None = None, done_on: datetime | None = None,
               score: int | None = None) -> None:
        rnd, f, ts, today = self.rnd, self.form, self.form.timestamp, self.today
        assignee = assignee or life.owner or self._pick(self.staff.desk)
        vid = self.counters.take("visit")
        status, tags, feedback, done_at = "planned", None, None, None
        if done_on is None and due <= today - timedelta(days=4):
            r = rnd()
            late = due >= today - timedelta(days=30)  # a visit left undone lately; older ones were dealt with
            if r < 0.03:
                status = "cancelled"
            elif r < (0.85 if late else 1.0):
                done_on = office_time(due + timedelta(days=int(rnd() * 4)), rnd)
        if done_on is not None:
            status, done_at = "done", min(done_on, self.now)
            score = score or 1 + bisect(SCORES, rnd() * 100)
            picked = [k for k, p in (("need", 0.15), ("intent", 0.12), ("complaint", 0.05 if score > 2 else 0.5),
                                     ("grievance", 0.08 if score > 2 else 0.4)) if rnd() < p]
            tags = "," + ",".join(picked) + "," if picked else None
            feedback = "；".join(W.VISIT_FEEDBACK[t] for t in picked) or None
        created = office_time(min(due, today) - timedelta(days=7), rnd)
        out["visit_plans"].append((vid, life.id, assignee, f.day(due), purpose, status, None, score if done_at else None,
                                   tags, feedback, ts(done_at) if done_at else None, assignee if done_at else None,
                                   complaint_id, ts(min(created, self.now)), self.staff.admin_id))
        if done_at is None:
            return
        if (self.now - done_at).days < 120:
            answers = out["visit_answers"]
            answers.append((vid, "overall", self.questions.get("overall", "overall"), str(score)))
            answers.append((vid, "on_time", self.questions.get("on_time", "on_time"), "是" if rnd() < 0.85 else "否"))
            key = self._pick(list(W.VISIT_ANSWERS))
            answers.append((vid, key, self.questions.get(key, key), self._pick(W.VISIT_ANSWERS[key])))
        self._interaction(life, out, done_at, kind="return_visit", channel="phone", user=assignee,
                          summary=f"回访（{PURPOSE_LABEL[purpose]}），满意度 {score}/5", outcome=feedback, visit_id=vid)

    def visits(self, life: Life, out: dict[str, list[tuple]]) -> None:
        rnd, today = self.rnd, self.today
        active = life.since("active")
        if active is not None and (self.now - active).days < 365:
            self._visit(life, out, active.date() + timedelta(days=7), "new_customer")
        if "key_silent" in life.plants:
            return
        if active is not None and life.tier >= 8 and life.status == "active":  # key accounts: every quarter
            day = max(active.date(), today - timedelta(days=365)) + timedelta(days=int(rnd() * 30))
            while day <= today + timedelta(days=60):
                self._visit(life, out, day, "old_customer")
                day += timedelta(days=85 + int(rnd() * 15))
        recent = [d for d, *_rest in life.orders if (today - d).days < 120]
        if recent and rnd() < 0.03:
            self._visit(life, out, recent[-1] + timedelta(days=14), "after_sales")
        if "visit_due" in life.plants:
            self._visit(life, out, today - timedelta(days=1), "after_sales")
        if "visit_done_recent" in life.plants:
            done = max(self.month_start, self.now - timedelta(hours=20 + int(rnd() * 20)))
            self._visit(life, out, done.date(), "old_customer", done_on=done)

    def _looks_after(self, h: Handled) -> int:
        """Who calls back after a complaint: the customer's rep, who may see the customer (the handler may
        not); for a customer of the pool, the handler (everyone sees the pool)."""
        return h.life.owner if h.life.owner is not None else h.handler

    def after_complaints(self, handled: list[Handled], out: dict[str, list[tuple]]) -> None:
        for h in handled:
            if "key_silent" in h.life.plants:
                continue
            if h.status == "resolved":
                self._visit(h.life, out, h.resolved_at.date() + timedelta(days=3), "after_complaint",  # type: ignore[union-attr]
                            assignee=self._looks_after(h), complaint_id=h.complaint_id)
            elif (self.now - h.resolved_at).days < 365 and self.rnd() < 0.5:  # type: ignore[operator]
                done = min(self.now, h.resolved_at + timedelta(days=3))  # type: ignore[operator]
                self._visit(h.life, out, done.date(), "after_complaint", assignee=self._looks_after(h),
                            complaint_id=h.complaint_id, done_on=done, score=h.satisfaction)

    # ------------------------------------------------------------------ owners over time

    def owners(self, life: Life, out: dict[str, list[tuple]]) -> None:
        rnd, ts, staff = self.rnd, self.form.timestamp, self.staff
        transfers = out["customer_transfers"]
        if life.former_owner is not None and staff.former is not None:
            transfers.append((life.id, life.former_owner, life.owner, ts(staff.former[1]), staff.manager_id,
                              f"员工离职交接（{W.FORMER_REP[1]}）"))
        elif life.owner is None and rnd() < 0.4:
            at = office_time((self.now - timedelta(days=1 + int(rnd() * 365))).date(), rnd)
            if life.created < at <= self.now:
                reps = sorted(staff.reps)
                transfers.append((life.id, reps[int(rnd() * len(reps))], None, ts(at), staff.manager_id, POOL_REASON))
        elif life.owner is not None and not life.plants and rnd() < 0.04:
            at = office_time((self.now - timedelta(days=1 + int(rnd() * 365))).date(), rnd)
            if life.created < at <= self.now:
                transfers.append((life.id, None, life.owner, ts(at), life.owner, "从公海领取"))
                out["pool_claims"].append((life.owner, life.id, ts(at)))
