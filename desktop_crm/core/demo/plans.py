"""The demo's work plan: a task for every pending follow-up and planned return visit (as the desk
makes them), and each rep's own week — calls, visits and meetings around today, some done, one
overdue, reminders before the appointments, and each department's weekly meeting."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import DateTime, Integer, cast, false, func, insert, literal, select, true
from sqlalchemy.orm import Session

from desktop_crm.core.models import (
    Customer,
    Interaction,
    PoolRule,
    Task,
    TaskParticipant,
    TaskReminder,
    User,
    VisitPlan,
)
from desktop_crm.core.workplan.tasks import reminder_base

CALLS = ["确认报价单", "回访上周发货情况", "催收第三季度货款", "约拜访时间", "核对合同条款", "介绍新线路运价"]
VISITS = ["上门拜访，送样品", "陪同客户验收", "年度合作洽谈"]
MEETINGS = ["部门周会", "季度客户复盘会"]
PER_REP_DAYS = range(-4, 12)


def _day_start(col, sqlite: bool):  # noqa: ANN001, ANN202 - a date column as a timestamp at midnight
    # SQLite compares timestamps as text: written exactly as SQLAlchemy writes them
    return func.strftime("%Y-%m-%d 00:00:00.000000", col) if sqlite else cast(col, DateTime)


def linked_tasks(s: Session, now: datetime, sqlite: bool) -> int:
    """One open task per pending follow-up and planned visit (set-based: fast at any size)."""
    cols = ("title", "kind", "is_appointment", "start", "all_day", "owner_id", "priority", "status", "customer_id",
            "contact_id", "interaction_id", "visit_id", "created_at", "version")
    follow = select(literal(""), literal("call"), false(), _day_start(Interaction.follow_up_due, sqlite), true(),
                    Interaction.follow_up_user_id, literal("normal"), literal("open"), Interaction.customer_id,
                    Interaction.contact_id, Interaction.id, cast(literal(None), Integer), literal(now),
                    literal(1)).where(Interaction.follow_up_due.is_not(None),
                                      Interaction.follow_up_user_id.is_not(None))
    visits = select(literal(""), literal("call"), false(), _day_start(VisitPlan.due, sqlite), true(),
                    VisitPlan.assignee_id, literal("normal"), literal("open"), VisitPlan.customer_id,
                    cast(literal(None), Integer), cast(literal(None), Integer), VisitPlan.id, literal(now),
                    literal(1)).where(VisitPlan.status == "planned", VisitPlan.assignee_id.is_not(None))
    n = s.execute(insert(Task).from_select(cols, follow)).rowcount or 0
    n += s.execute(insert(Task).from_select(cols, visits)).rowcount or 0
    return n


def own_weeks(s: Session, now: datetime, seed: int) -> int:
    """Each rep's own items around today, and each department's weekly meeting."""
    rng = random.Random(seed * 7 + 3)
    today = now.date()
    reps = s.execute(select(User.id, User.department_id).where(User.active.is_(True),
                                                              User.role.in_(("staff", "supervisor")))
                     .order_by(User.id)).all()
    made = 0
    for uid, _dept in reps:
        mine = list(s.scalars(select(Customer.id).where(Customer.owner_id == uid).order_by(Customer.id).limit(40)))
        if not mine:
            continue
        for offset in PER_REP_DAYS:
            day = today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for _n in range(1 + int(rng.random() * 2)):
                customer = mine[int(rng.random() * len(mine))]
                if rng.random() < 0.6:
                    t = _task(uid, customer, day, rng.choice(CALLS), "call", now)
                else:
                    hour = 9 + int(rng.random() * 8)
                    start = datetime.combine(day, time(hour, 30 if rng.random() < 0.5 else 0))
                    t = _task(uid, customer, day, rng.choice(VISITS), "visit", now, start=start,
                              end=start + timedelta(minutes=60 + 30 * int(rng.random() * 3)))
                    t.priority = "high" if rng.random() < 0.2 else "normal"
                if day < today and rng.random() < 0.85:
                    t.status, t.result, t.done_at = "done", "已完成，客户满意", datetime.combine(day, time(17, 0))
                s.add(t)
                made += 1
                s.flush()
                _remind(s, t, [15] if t.is_appointment else [])
    made += _meetings(s, now, rng, reps)
    s.flush()
    return made


def _task(uid: int, customer: int | None, day: date, title: str, kind: str, now: datetime, *,
          start: datetime | None = None, end: datetime | None = None) -> Task:
    return Task(title=title, kind=kind, is_appointment=start is not None,
                start=start or datetime.combine(day, time.min), end=end, all_day=start is None, owner_id=uid,
                priority="normal", status="open", customer_id=customer, created_at=now, created_by_id=uid, version=1)


def _remind(s: Session, t: Task, minutes: list[int]) -> None:
    for m in minutes:
        s.add(TaskReminder(task_id=t.id, minutes=m, due_at=reminder_base(t) - timedelta(minutes=m)))


def _meetings(s: Session, now: datetime, rng: random.Random, reps: list) -> int:  # noqa: ANN001
    by_dept: dict[int, list[int]] = {}
    for uid, dept in reps:
        if dept is not None:
            by_dept.setdefault(dept, []).append(uid)
    made = 0
    monday = now.date() - timedelta(days=now.date().weekday())
    for dept, members in by_dept.items():
        chair = s.scalar(select(User.id).where(User.department_id == dept, User.role == "supervisor",
                                                User.active.is_(True))) or members[0]
        first = None
        for week in range(-2, 6):
            start = datetime.combine(monday + timedelta(weeks=week), time(9, 0))
            t = Task(title=MEETINGS[0], kind="meeting", is_appointment=True, start=start,
                     end=start + timedelta(minutes=45), all_day=False, owner_id=chair, priority="normal",
                     status="done" if start < now - timedelta(hours=1) else "open", repeat="weekly", repeat_count=8,
                     created_at=now, created_by_id=chair, version=1)
            s.add(t)
            s.flush()
            first = first or t.id
            t.series_id = first
            for uid in members:
                if uid != chair:
                    s.add(TaskParticipant(task_id=t.id, user_id=uid))
            if t.status == "open":
                _remind(s, t, [15])
            made += 1
    return made


RULE_NAME = "半年未跟进的潜在客户退回公海"


def pool_rule(s: Session, now: datetime) -> None:
    """One rule, as an office would start: potential customers nobody followed up for half a year."""
    if s.scalar(select(PoolRule.id).where(PoolRule.name == RULE_NAME)) is None:
        s.add(PoolRule(name=RULE_NAME, condition="no_follow_up", days=180, statuses=",potential,", warn_days=14,
                       exempt_open_contract=True, active=True, created_at=now))


LEAD_NAMES = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗".split()
LEAD_TITLES = ["经理", "先生", "女士", "总", "主任"]
LEAD_COMPANIES = ["华润物流", "顺达商贸", "恒信电子", "远景家具", "金桥建材", "新科机械", "汇丰食品", "鼎盛纺织"]
LEAD_CITIES = ["上海", "杭州", "苏州", "南京", "广州", "深圳", "成都", "武汉"]
LEAD_SOURCES = ["exhibition", "web", "referral", "phone", "directory", "web", "exhibition", "other"]
CAMPAIGNS = ["2026 春季物流展", "官网咨询", "老客户转介绍", "冷链专线推广"]
LEAD_STATUSES = ["new"] * 3 + ["contacted"] * 3 + ["qualified"] * 2 + ["disqualified"] + ["converted"] * 2


def leads(s: Session, now: datetime, seed: int, customers: int) -> int:
    """Leads of the last year in every status, a fifth in the lead pool, with their contacts; the converted
    ones point at a customer of their owner."""
    from desktop_crm.core.models import Lead, LeadEvent

    rng = random.Random(seed * 11 + 5)
    reps = list(s.scalars(select(User.id).where(User.active.is_(True), User.role == "staff").order_by(User.id)))
    if not reps:
        return 0
    owned = {uid: list(s.scalars(select(Customer.id).where(Customer.owner_id == uid).order_by(Customer.id).limit(20)))
             for uid in reps}
    start_id = (s.scalar(select(func.max(Lead.id))) or 0) + 1
    n = max(40, customers // 25)
    lead_rows, event_rows = [], []
    for k in range(n):
        lid = start_id + k
        status = LEAD_STATUSES[int(rng.random() * len(LEAD_STATUSES))]
        owner = None if rng.random() < 0.2 and status in ("new", "contacted") else reps[int(rng.random() * len(reps))]
        created = datetime.combine(now.date() - timedelta(days=1 + int(rng.random() * 360)),
                                   time(9 + int(rng.random() * 8), int(rng.random() * 60)))
        surname = LEAD_NAMES[int(rng.random() * len(LEAD_NAMES))]
        company = (LEAD_CITIES[int(rng.random() * len(LEAD_CITIES))] + LEAD_COMPANIES[int(rng.random() * 8)]
                   + "有限公司") if rng.random() < 0.7 else None
        converted = None
        customer = None
        if status == "converted" and owner is not None and owned.get(owner):
            converted = min(now, created + timedelta(days=3 + int(rng.random() * 40)))
            customer = owned[owner][int(rng.random() * len(owned[owner]))]
        elif status == "converted":
            status = "qualified"
        lead_rows.append({
            "id": lid, "name": surname + LEAD_TITLES[int(rng.random() * 5)], "company": company,
            "phone": f"1{3 + int(rng.random() * 6)}{int(rng.random() * 1e9):09d}",
            "email": None, "source": LEAD_SOURCES[int(rng.random() * 8)],
            "campaign": CAMPAIGNS[int(rng.random() * 4)], "notes": None, "owner_id": owner, "status": status,
            "customer_id": customer, "converted_at": converted, "created_at": created, "created_by_id": owner,
            "updated_at": converted or created, "version": 1})
        if status != "new":
            event_rows.append({"lead_id": lid, "at": created + timedelta(days=1), "user_id": owner, "kind": "contact",
                               "channel": "phone", "text": "电话介绍公司服务，对方愿意了解报价"})
        if status == "disqualified":
            event_rows.append({"lead_id": lid, "at": created + timedelta(days=5), "user_id": owner, "kind": "status",
                               "channel": None, "text": "contacted → disqualified: 暂无需求"})
        if converted is not None:
            event_rows.append({"lead_id": lid, "at": converted, "user_id": owner, "kind": "convert",
                               "channel": None, "text": None})
    for start in range(0, len(lead_rows), 5000):
        s.execute(insert(Lead), lead_rows[start:start + 5000])
    for start in range(0, len(event_rows), 5000):
        s.execute(insert(LeadEvent), event_rows[start:start + 5000])
    return n
