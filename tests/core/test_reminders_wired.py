"""Reminder groups that come from the other areas: churn (orders), contracts ending, opportunities
without an action this month, open complaints — on a real database through their services."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from desktop_crm.core.services import (
    complaints,
    contracts,
    customers,
    dashboard,
    handover,
    opportunities,
    orders,
    reminders,
)


def groups(ctx, today=None):  # noqa: ANN001, ANN201
    return {g.kind: g for g in reminders.for_user(ctx, today=today)}


def test_churn_contracts_opportunities_complaints(team):
    rep = team["rep1"]
    today = date.today()
    quiet = customers.create_customer(rep, {"name": "久未下单"}, status="active").id
    busy = customers.create_customer(rep, {"name": "常下单"}, status="active").id
    never = customers.create_customer(rep, {"name": "从未下单"}, status="active").id
    customers.create_customer(rep, {"name": "潜在"}, status="potential")
    orders.create_order(rep, quiet, {"order_no": "A1", "date": today - timedelta(days=200), "amount": "100"})
    orders.create_order(rep, busy, {"order_no": "A2", "date": today - timedelta(days=10), "amount": "100"})
    g = groups(rep)
    churn = {r.customer_id: r for r in g["churn"].items}
    assert set(churn) == {quiet, never} and g["churn"].count == 2
    assert "No order since" in churn[quiet].title and churn[never].title == "No order yet"
    reminders.mark_done(rep, churn[quiet])
    assert groups(rep)["churn"].count == 1

    contracts.create_contract(rep, busy, {"number": "HT-1", "status": "active", "start_on": today - timedelta(days=300),
                                          "end_on": today + timedelta(days=20)})
    contracts.create_contract(rep, busy, {"number": "HT-2", "status": "active", "start_on": today - timedelta(days=300),
                                          "end_on": today + timedelta(days=90)})
    ending = groups(rep)["contract_end"]
    assert [r.title for r in ending.items] == [f"Contract HT-1 ends {(today + timedelta(days=20)).isoformat()}"]

    c = complaints.register(rep, customer_id=busy, channel="phone", category="delay", severity="critical",
                            description="延误三天", received_at=datetime.now() - timedelta(hours=5))
    open_c = groups(rep)["complaint"]
    assert open_c.count == 1 and open_c.items[0].ref_id == c.id and open_c.items[0].overdue  # 2 h response SLA
    sup = dashboard.load(team["sup_sales"])
    figs = {f.key: f.value for f in sup.figures}
    assert figs["open_complaints"] == 1 and figs["overdue_complaints"] == 1
    inv = handover.inventory(team["sup_sales"], rep.actor.id)
    assert inv.open_complaints == 1


def test_opportunity_without_action_this_month(team, db):
    from sqlalchemy import update

    from desktop_crm.core.models import Opportunity

    rep = team["rep1"]
    cid = customers.create_customer(rep, {"name": "商机客户"}).id
    o = opportunities.create_opportunity(rep, cid, {"name": "年度框架"}, owner_id=rep.actor.id)
    today = date.today()
    with db.write() as s:
        s.execute(update(Opportunity).where(Opportunity.id == o.id)
                  .values(last_action_at=datetime(today.year, today.month, 1) - timedelta(days=1)))
    g = groups(rep)["opportunity_stale"]
    assert g.count == 1 and g.items[0].title == "年度框架"
    opportunities.add_action(rep, o.id, "电话沟通")
    assert groups(rep)["opportunity_stale"].count == 0


def test_handover_moves_complaints_with_and_without_customers(team, admin):
    from desktop_crm.core.services import complaints as comp

    sup, rep1, rep2 = team["sup_sales"], team["rep1"], team["rep2"]
    own = customers.create_customer(rep1, {"name": "自己的"}).id
    other = customers.create_customer(rep2, {"name": "别人的客户"}).id
    c1 = comp.register(rep1, customer_id=own, channel="phone", category="delay", severity="normal", description="a")
    c2 = comp.register(sup, customer_id=other, channel="phone", category="quality", severity="normal",
                       description="b", handler_id=rep1.actor.id)
    result = handover.execute(admin, rep1.actor.id, {own: sup.actor.id}, rest_to=rep2.actor.id)
    assert result.complaints == 1
    assert comp.get(admin, c1.id)["handler_id"] == sup.actor.id  # followed its customer
    assert comp.get(admin, c2.id)["handler_id"] == rep2.actor.id  # the rest
    assert "handover" in comp.get(admin, c2.id).timeline[-1].note


def test_contract_anniversaries_are_reminded_and_on_the_dashboard(team):
    rep = team["rep1"]
    today = date.today()
    c = customers.create_customer(rep, {"name": "老合作伙伴"}, status="active").id
    due = today + timedelta(days=10)
    if (due.month, due.day) == (2, 29):  # a day every two years have
        due += timedelta(days=1)
    signed = due.replace(year=due.year - 2)
    contracts.create_contract(rep, c, {"number": "HT-周年", "status": "active", "signed_on": signed,
                                       "start_on": signed, "end_on": today + timedelta(days=400)})
    contracts.create_contract(rep, c, {"number": "HT-远", "status": "active", "signed_on": today - timedelta(days=100),
                                       "end_on": today + timedelta(days=400)})
    g = groups(rep)["contract_anniversary"]
    assert [r.title for r in g.items] == [f"Contract HT-周年: 2 years on {due.isoformat()}"]
    assert "contract_anniversary" in {grp.kind for grp in dashboard.load(rep).groups}
    reminders.mark_done(rep, g.items[0])
    assert groups(rep)["contract_anniversary"].count == 0
