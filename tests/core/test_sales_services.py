"""Orders, contracts and opportunities through the services on a real database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from desktop_crm.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from desktop_crm.core.services import contracts, customers, opportunities, orders
from desktop_crm.core.services.orders import OrderFilter


@pytest.fixture
def cust(admin):  # noqa: ANN001, ANN201
    return customers.create_customer(admin, {"name": "华东机电"}, owner=None, status="active").id


def test_order_create_totals_receivable_exact(admin, cust):
    orders.create_order(admin, cust, {"order_no": "SO-1", "date": "2026-01-05", "product": "轴承", "category": "零件",
                                      "quantity": "3", "amount": "100.10", "paid_amount": "50.05"})
    orders.create_order(admin, cust, {"order_no": "SO-2", "date": date(2026, 2, 1), "amount": "0.20",
                                      "cost": "0.10"})
    t = orders.customer_totals(admin, cust)
    assert (t.orders, t.amount, t.paid, t.receivable) == (2, Decimal("100.30"), Decimal("50.05"), Decimal("50.25"))
    assert t.first_date == date(2026, 1, 5) and t.last_date == date(2026, 2, 1)
    rows = orders.page(admin, OrderFilter(unpaid=True), sort="order_no", descending=False)
    assert [r[2] for r in rows] == ["SO-1", "SO-2"]
    assert rows[0][orders.COLUMNS.index("receivable") + 2] == Decimal("50.05")
    assert orders.count(admin, OrderFilter(search="轴承")) == 1
    assert orders.count(admin, OrderFilter(date_from=date(2026, 1, 10))) == 1
    assert orders.count(admin, OrderFilter(category="零件")) == 1


def test_order_validation_names_fields_and_saves_nothing(admin, cust):
    with pytest.raises(ValidationError) as e:
        orders.create_order(admin, cust, {"order_no": "", "date": "not a date", "amount": "abc"})
    assert set(e.value.errors) == {"order_no", "date", "amount"}
    orders.create_order(admin, cust, {"order_no": "SO-1", "date": "2026-01-05", "amount": "1"})
    with pytest.raises(ValidationError) as e:
        orders.create_order(admin, cust, {"order_no": "SO-1", "date": "2026-01-05", "amount": "1"})
    assert "order_no" in e.value.errors
    assert orders.count(admin, OrderFilter()) == 1


def test_order_update_conflict_and_delete(admin, cust):
    o = orders.create_order(admin, cust, {"order_no": "SO-1", "date": "2026-01-05", "amount": "10"})
    o2 = orders.update_order(admin, o.id, {"paid_amount": "10"}, expected_version=o.version)
    assert o2["receivable"] == Decimal("0.00")
    with pytest.raises(ConflictError):
        orders.update_order(admin, o.id, {"paid_amount": "1"}, expected_version=o.version)
    orders.delete_order(admin, o.id)
    with pytest.raises(NotFound):
        orders.get_order(admin, o.id)


def test_order_permissions(team):
    rep1, rep2 = team["rep1"], team["rep2"]
    c = customers.create_customer(rep1, {"name": "客户甲"}, status="active").id
    o = orders.create_order(rep1, c, {"order_no": "SO-9", "date": "2026-01-05", "amount": "10"})
    assert orders.count(rep2, OrderFilter()) == 0
    with pytest.raises(NotFound):
        orders.get_order(rep2, o.id)
    with pytest.raises(PermissionDenied):
        orders.create_order(team["viewer"], c, {"order_no": "SO-10", "date": "2026-01-05", "amount": "1"})


def test_contracts(admin, cust):
    today = date.today()
    k = contracts.create_contract(admin, cust, {"number": "HT-1", "start_on": today - timedelta(days=300),
                                                "end_on": today + timedelta(days=10), "amount": "5000",
                                                "status": "生效"})
    assert k.status == "active" and k.ending_soon
    contracts.create_contract(admin, cust, {"number": "HT-2", "end_on": today + timedelta(days=90)})
    assert [r.number for r in contracts.list_contracts(admin, cust, ending_only=True)] == ["HT-1"]
    with pytest.raises(ValidationError) as e:
        contracts.create_contract(admin, cust, {"number": "HT-3", "start_on": "2026-05-01", "end_on": "2026-04-01"})
    assert "end_on" in e.value.errors
    k2 = contracts.update_contract(admin, k.id, {"status": "ended"}, expected_version=k.version)
    assert not k2.ending_soon


def test_opportunity_stages_history_and_pipeline(admin, cust):
    o = opportunities.create_opportunity(admin, cust, {"name": "二期改造", "amount": "120000"},
                                         at=datetime(2026, 1, 1, 9))
    opportunities.move(admin, o.id, "需求确认", at=datetime(2026, 1, 10, 9))
    with pytest.raises(ValidationError) as e:
        opportunities.move(admin, o.id, "lost")
    assert "reason" in e.value.errors
    opportunities.move(admin, o.id, "lost", reason="价格", at=datetime(2026, 2, 1, 9))
    hist = opportunities.history(admin, o.id)
    assert [(h.stage, h.previous) for h in hist if h.kind == "stage"] == [
        ("lost", "qualified"), ("qualified", "lead"), ("lead", "")]
    p = opportunities.create_opportunity(admin, cust, {"name": "备件", "amount": "800.50"})
    assert opportunities.get_opportunity(admin, p.id).stale  # no action this month
    opportunities.add_action(admin, p.id, "电话沟通")
    assert not opportunities.get_opportunity(admin, p.id).stale
    pipe = {x.stage: x for x in opportunities.pipeline(admin)}
    assert (pipe["lead"].count, pipe["lead"].amount, pipe["lost"].count) == (1, Decimal("800.50"), 1)
    assert list(pipe) == ["lead", "contacted", "qualified", "proposal", "negotiation", "won", "lost"]


def test_open_opportunities_follow_a_transfer(team):
    from desktop_crm.core.services import transfers

    rep1, rep2, sup = team["rep1"], team["rep2"], team["sup_sales"]
    c = customers.create_customer(rep1, {"name": "转交客户"}, status="active").id
    open_o = opportunities.create_opportunity(rep1, c, {"name": "开放"})
    won = opportunities.create_opportunity(rep1, c, {"name": "已赢"})
    opportunities.move(rep1, won.id, "won")
    transfers.transfer(sup, [c], rep2.actor.id, "离职交接")
    assert opportunities.get_opportunity(sup, open_o.id).owner_id == rep2.actor.id
    assert opportunities.get_opportunity(sup, won.id).owner_id == rep1.actor.id
