"""The sales screens over a real database (pytest-qt, offscreen)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_crm.core.services import contracts, customers, grading, opportunities, orders
from desktop_crm.ui.orders.customer_tabs import CustomerContracts, CustomerOrders
from desktop_crm.ui.orders.dialogs import MoveDialog, OrderDialog
from desktop_crm.ui.orders.pipeline import PipelineView
from desktop_crm.ui.orders.view import OrdersView


@pytest.fixture
def data(admin):  # noqa: ANN001, ANN201
    a = customers.create_customer(admin, {"name": "华东机电"}, owner=None, status="active").id
    b = customers.create_customer(admin, {"name": "南方五金"}, owner=None, status="active").id
    orders.create_order(admin, a, {"order_no": "SO-1", "date": date.today(), "amount": "100.50", "category": "零件"})
    orders.create_order(admin, a, {"order_no": "SO-2", "date": date.today(), "amount": "20", "paid_amount": "20"})
    orders.create_order(admin, b, {"order_no": "SO-3", "date": date.today(), "amount": "7"})
    contracts.create_contract(admin, a, {"number": "HT-1", "end_on": date.today(), "amount": "1000", "status": "active"})
    o = opportunities.create_opportunity(admin, a, {"name": "二期", "amount": "5000"})
    opportunities.create_opportunity(admin, b, {"name": "备件", "amount": "300"})
    opportunities.add_action(admin, o.id, "电话")
    return a, b


def test_orders_view_filters_and_totals(qtbot, admin, data):
    v = OrdersView(admin)
    qtbot.addWidget(v)
    assert v.model.rowCount() == 3
    assert "¥127.50" in v.totals.text() and "¥107.50" in v.totals.text()
    v.unpaid.setChecked(True)
    assert v.model.rowCount() == 2
    v.category.setCurrentIndex(v.category.findData("零件"))
    assert v.model.rowCount() == 1
    v.unpaid.setChecked(False)
    v.category.setCurrentIndex(0)
    v.search.setText("SO-3")
    v.refresh()
    assert v.model.rowCount() == 1 and v.model.data(v.model.index(0, 0)) == "SO-3"


def test_pipeline_counts_amounts_and_stale_flag(qtbot, admin, data):
    v = PipelineView(admin)
    qtbot.addWidget(v)
    lead = v.lists["lead"]
    assert lead.count() == 2
    assert "¥5,300.00" in v.headers["lead"].text()
    texts = [lead.item(i).text() for i in range(2)]
    assert sum(t.startswith("⚠") for t in texts) == 1  # 备件 has no action this month


def test_customer_tabs_show_totals_receivable_and_grade(qtbot, admin, data):
    a, _b = data
    grading.recompute(admin)
    t = CustomerOrders(admin, a)
    qtbot.addWidget(t)
    assert t.table.rowCount() == 2
    assert "receivable ¥100.50" in t.totals.text()
    assert t.grade.text().startswith("Rank 1 of 2 by 12-month sales ¥120.50")
    c = CustomerContracts(admin, a)
    qtbot.addWidget(c)
    assert c.table.rowCount() == 1 and "ending soon" in c.count.text()


def test_order_dialog_saves_and_shows_field_errors(qtbot, admin, data):
    a, _b = data
    d = OrderDialog(admin, customer_id=a)
    qtbot.addWidget(d)
    d.widgets["order_no"].setText("SO-9")
    d.widgets["amount"].setText("abc")
    d.accept_form()
    assert "Amount" in d.error.text() and d.saved is None
    d.widgets["amount"].setText("12.34")
    d.widgets["date"].set_value(date(2026, 1, 2))
    d.accept_form()
    assert d.saved is not None and d.saved["amount"] == orders.get_order(admin, d.saved.id)["amount"]


def test_move_dialog_needs_a_reason_for_lost(qtbot, admin, data):
    opp = opportunities.list_opportunities(admin)[0]
    d = MoveDialog(admin, opp.id)
    qtbot.addWidget(d)
    d.stage.setCurrentIndex(d.stage.findData("lost"))
    d.move()
    assert "required" in d.error.text()
    d.reason.setText("价格")
    d.move()
    assert opportunities.get_opportunity(admin, opp.id).stage == "lost"


def test_chinese_labels(qtbot, admin, data):
    from desktop_crm.core import i18n

    i18n.set_language("zh_CN")
    v = PipelineView(admin)
    qtbot.addWidget(v)
    assert "线索" in v.headers["lead"].text()
    o = OrdersView(admin)
    qtbot.addWidget(o)
    assert "笔订单" in o.totals.text()
