"""Interactions, return visits, reminders, pool and handover on a real database."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from desktop_crm.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from desktop_crm.core.models import Customer, Interaction, User, VisitPlan
from desktop_crm.core.services import (
    audit,
    contacts,
    customers,
    dashboard,
    handover,
    interactions,
    pool,
    reminders,
    settings,
    transfers,
    visits,
)


def new_customer(ctx, name, owner="self", **data):  # noqa: ANN001, ANN201
    return customers.create_customer(ctx, {"name": name, **data}, owner=owner, allow_duplicates=True).id


def set_cols(db, cid, **values):  # noqa: ANN001
    with db.write() as s:
        s.execute(update(Customer).where(Customer.id == cid).values(**values))


def test_log_interaction_updates_last_contact_and_follow_up(team):
    rep = team["rep1"]
    cid = new_customer(rep, "甲公司")
    before = customers.get_customer(rep, cid).version
    i = interactions.log_interaction(rep, cid, channel="phone", summary="called", next_follow_up=date.today())
    assert i.follow_up_pending
    with rep.db.read() as s:
        c = s.get(Customer, cid)
        assert c.last_contact_at is not None and c.version == before  # no version bump
    groups = {g.kind: g for g in reminders.for_user(rep)}
    assert groups["follow_up"].count == 1 and groups["follow_up"].items[0].customer_id == cid
    # a newer interaction settles the pending follow-up
    interactions.log_interaction(rep, cid, channel="visit", summary="visited", kind="sales_visit")
    assert {g.kind: g for g in reminders.for_user(rep)}["follow_up"].count == 0
    tl = interactions.timeline(rep, cid)
    assert [e.kind for e in tl][:2] == ["interaction", "interaction"] and tl[0].at >= tl[1].at
    assert any(e.kind == "status" for e in tl)


def test_log_interaction_validation_and_scope(team):
    rep1, rep2 = team["rep1"], team["rep2"]
    cid = new_customer(rep1, "乙公司")
    with pytest.raises(ValidationError) as exc:
        interactions.log_interaction(rep1, cid, channel="fax", summary=" ", next_follow_up=date(2000, 1, 1))
    assert {"channel", "summary", "next_follow_up"} <= set(exc.value.errors)
    with pytest.raises(NotFound):
        interactions.log_interaction(rep2, cid, channel="phone", summary="x")
    with pytest.raises(PermissionDenied):
        interactions.log_interaction(team["viewer"], cid, channel="phone", summary="x")
    assert interactions.list_for_customer(rep1, cid) == []


def test_visit_plan_complete_and_complaint_intake(team):
    sup, rep = team["sup_sales"], team["rep1"]
    a, b = new_customer(rep, "丙"), new_customer(rep, "丁")
    ids = visits.plan_visits(sup, [a, b], date.today(), assignee_id=rep.actor.id, purpose="new_customer")
    assert len(ids) == 2
    with pytest.raises(PermissionDenied):
        visits.plan_visits(rep, [a], date.today(), assignee_id=team["rep2"].actor.id)
    with pytest.raises(PermissionDenied):
        visits.plan_visits(sup, [a], date.today(), assignee_id=team["rep3"].actor.id)  # other department
    g = {g.kind: g for g in reminders.for_user(rep)}["visit"]
    assert g.count == 2
    qs = visits.questions(rep)
    assert qs and qs[0].key == "overall"
    with pytest.raises(ValidationError):
        visits.complete_visit(rep, ids[0], score=6)
    v = visits.complete_visit(rep, ids[0], score=2, tags=["complaint", "need"], feedback="送货太慢",
                              answers={"overall": "2", "problems": "late"})
    assert v.status == "done" and v.tags == ("complaint", "need") and len(v.answers) == 2
    with pytest.raises(WorkflowError):
        visits.complete_visit(rep, ids[0], score=4)
    assert {g.kind: g for g in reminders.for_user(rep)}["visit"].count == 1
    kinds = [i.kind for i in interactions.list_for_customer(rep, a)]
    assert kinds == ["return_visit"]
    intake = visits.complaint_intake(rep, ids[0])
    assert intake.customer_id == a and intake.description == "送货太慢" and intake.source == "visit"
    assert visits.count_visits(rep, status="done") == 1
    assert visits.count_visits(team["rep3"], status=None) == 0


def test_questionnaire_in_chinese(team):
    from desktop_crm.core import i18n

    i18n.set_language("zh_CN")
    assert "满意" in visits.questions(team["rep1"])[0].text


def test_birthdays_key_customers_and_dismissal(team, db):
    rep = team["rep1"]
    today = date(2025, 2, 25)
    born = new_customer(rep, "张三", kind="individual", birthday="1990-02-27")
    leap = new_customer(rep, "李四", kind="individual", birthday="2000-02-29")
    far = new_customer(rep, "王五", kind="individual", birthday="1990-03-10")
    firm = new_customer(rep, "戊公司")
    contacts.save_contact(rep, firm, {"name": "赵六", "birthday": "1985-03-01"})
    key = new_customer(rep, "己公司")
    set_cols(db, key, grade="key_important", last_contact_at=datetime(2025, 1, 10))
    fresh = new_customer(rep, "庚公司")
    set_cols(db, fresh, grade="key_secondary", last_contact_at=datetime(2025, 2, 1))
    groups = {g.kind: g for g in reminders.for_user(rep, today=today)}
    bd = {(r.kind, r.customer_id): r for r in groups["birthday"].items}
    assert bd[("birthday", born)].due == date(2025, 2, 27)
    assert bd[("birthday", leap)].due == date(2025, 2, 28)  # Feb 29 → Feb 28 in 2025
    assert ("birthday", far) not in bd
    assert bd[("contact_birthday", firm)].due == date(2025, 3, 1)
    assert [r.customer_id for r in groups["key_no_contact"].items] == [key]
    reminders.mark_done(rep, bd[("birthday", born)], today=today)
    groups = {g.kind: g for g in reminders.for_user(rep, today=today)}
    assert ("birthday", born) not in {(r.kind, r.customer_id) for r in groups["birthday"].items}
    # rep2 sees none of rep1's reminders, and cannot ask for them
    assert all(g.count == 0 for g in reminders.for_user(team["rep2"], today=today))
    with pytest.raises(PermissionDenied):
        reminders.for_user(team["rep2"], user_id=rep.actor.id)
    assert reminders.for_user(team["sup_sales"], user_id=rep.actor.id, today=today)[0].kind == "follow_up"


def test_window_month_days():
    assert reminders.window_month_days(date(2024, 12, 29), 3) == [101, 1229, 1230, 1231]
    assert 229 in reminders.window_month_days(date(2025, 2, 27), 1)
    assert 229 not in reminders.window_month_days(date(2024, 2, 27), 1)
    assert 229 in reminders.window_month_days(date(2024, 2, 27), 2)


def test_transfer_moves_open_visits_and_follow_ups(team):
    sup, rep1, rep2 = team["sup_sales"], team["rep1"], team["rep2"]
    cid = new_customer(rep1, "辛公司")
    vid = visits.plan_visits(rep1, [cid], date.today())[0]
    interactions.log_interaction(rep1, cid, channel="phone", summary="x", next_follow_up=date.today())
    transfers.transfer(sup, [cid], rep2.actor.id, "rebalance")
    assert visits.get_visit(rep2, vid).assignee_id == rep2.actor.id
    assert {g.kind: g for g in reminders.for_user(rep2)}["follow_up"].count == 1
    assert {g.kind: g for g in reminders.for_user(rep1)}["follow_up"].count == 0


def test_pool_claim_limit_and_return(team, admin):
    rep = team["rep1"]
    settings.set_many(admin, {"pool_claim_daily_limit": 2})
    ids = [new_customer(admin, f"公海{i}", owner=None) for i in range(3)]
    assert pool.count(rep) == 3
    assert pool.claims_left(rep) == 2
    assert pool.claim(rep, ids[:2]).left_today == 0
    with pytest.raises(ValidationError):
        pool.claim(rep, ids[2:])
    with pytest.raises(ValidationError):
        pool.claim(team["rep2"], ids[:1])  # already owned
    assert pool.count(rep) == 1
    with pytest.raises(PermissionDenied):
        pool.return_stale(rep, 30)
    with pytest.raises(ValidationError):
        pool.return_stale(team["manager"])  # setting is off by default
    set_cols(rep.db, ids[0], last_contact_at=datetime.now() - timedelta(days=40))
    interactions.log_interaction(rep, ids[1], channel="phone", summary="hi")
    set_cols(rep.db, ids[1], created_at=datetime.now() - timedelta(days=100))
    assert pool.stale_count(team["manager"], 30) == 1
    assert pool.return_stale(team["manager"], 30) == 1
    assert pool.count(rep) == 2


def test_handover_split_and_execute(team, admin, db):
    sup, rep1, rep2 = team["sup_sales"], team["rep1"], team["rep2"]
    leaving = users_ctx = rep1
    cids = [new_customer(rep1, f"交接{i}", city=city) for i, city in enumerate(["上海", "上海", "北京", "广州"])]
    vid = visits.plan_visits(rep1, [cids[0]], date.today())[0]
    interactions.log_interaction(rep1, cids[1], channel="phone", summary="x", next_follow_up=date.today())
    other = new_customer(rep2, "别人的")
    other_visit = visits.plan_visits(sup, [other], date.today(), assignee_id=rep2.actor.id)[0]
    with db.write() as s:  # assigned to the leaving rep before assignments followed the customer's scope
        s.execute(update(VisitPlan).where(VisitPlan.id == other_visit).values(assignee_id=rep1.actor.id))
    inv = handover.inventory(sup, leaving.actor.id)
    assert len(inv.customers) == 4 and inv.planned_visits == 2 and inv.pending_follow_ups == 1
    plan = handover.split(inv.customers, "city", [rep2.actor.id, sup.actor.id])
    assert plan[cids[0]] == plan[cids[1]] == rep2.actor.id  # 上海 stays together, largest first
    assert {plan[cids[2]], plan[cids[3]]} == {sup.actor.id}
    rr = handover.split(inv.customers, "round_robin", [rep2.actor.id, None])
    assert list(rr.values()).count(None) == 2
    with pytest.raises(PermissionDenied):
        handover.execute(sup, leaving.actor.id, plan)  # only admins deactivate
    # nothing saved half-way: an invalid plan changes nothing
    with pytest.raises(ValidationError):
        handover.execute(admin, leaving.actor.id, {cids[0]: rep2.actor.id}, rest_to=sup.actor.id)
    assert len(handover.inventory(sup, leaving.actor.id).customers) == 4
    plan[cids[3]] = None
    result = handover.execute(admin, leaving.actor.id, plan, rest_to=rep2.actor.id)
    assert result.deactivated and result.moved == {rep2.actor.id: 2, sup.actor.id: 1, None: 1}
    assert result.visits == 1 and result.follow_ups == 0
    assert visits.get_visit(rep2, vid).assignee_id == rep2.actor.id
    assert visits.get_visit(rep2, other_visit).assignee_id == rep2.actor.id
    with db.read() as s:
        assert s.get(User, leaving.actor.id).active is False
        assert s.get(Interaction, s.scalar(select(Interaction.id))).follow_up_user_id == rep2.actor.id
        assert audit.verify_chain(s).ok
    del users_ctx


def test_dashboard_team_and_figures(team):
    sup, rep1, rep3 = team["sup_sales"], team["rep1"], team["rep3"]
    cid = new_customer(rep1, "壬公司")
    c3 = new_customer(rep3, "癸公司")
    yesterday = date.today() - timedelta(days=1)
    visits.plan_visits(sup, [cid], yesterday, assignee_id=rep1.actor.id)
    visits.plan_visits(team["sup_service"], [c3], yesterday, assignee_id=rep3.actor.id)
    d = dashboard.load(sup)
    assert [t.user for t in d.team] == ["rep1"] and d.team[0].overdue_visits == 1
    assert d.team_items[0].customer_id == cid and d.team_items[0].overdue
    figs = {f.key: f.value for f in d.figures}
    assert figs["new_customers_month"] == 1 and "open_complaints" in figs
    m = dashboard.load(team["manager"])
    assert sorted(t.user for t in m.team) == ["rep1", "rep3"]
    assert dashboard.load(rep1).figures == () and dashboard.load(rep1).total_due == 1


def test_birthday_lookup_uses_the_month_day_index(team, db):
    from sqlalchemy import text

    sql = reminders.customer_birthdays(team["rep1"].actor.id, [301, 302, 229])
    compiled = sql.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            plan = " ".join(str(r[3]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
        else:
            conn.execute(text("SET enable_seqscan = off"))
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
    assert "ix_customers_owner_birthday_md" in plan


def test_dashboard_warm_up_touches_nothing(team, db):
    from sqlalchemy import func

    from desktop_crm.core.models import AuditEntry

    with db.read() as s:
        before = s.scalar(select(func.count(AuditEntry.id)))
    dashboard.warm_up(db)
    with db.read() as s:
        assert s.scalar(select(func.count(AuditEntry.id))) == before
