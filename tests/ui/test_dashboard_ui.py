"""The dashboard, its dialogs and the notifier with pytest-qt (offscreen)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from desktop_crm.core.models import Customer
from desktop_crm.core.services import customers, interactions, reminders, visits


class FakeNav:
    def __init__(self):
        self.opened: list[tuple[str, object]] = []

    def open_customer(self, customer_id):  # noqa: ANN001
        self.opened.append(("customer", customer_id))

    def open_complaint(self, complaint_id):  # noqa: ANN001
        self.opened.append(("complaint", complaint_id))

    def new_complaint(self, prefill=None):  # noqa: ANN001
        self.opened.append(("new_complaint", prefill))

    def notify(self, message):  # noqa: ANN001
        self.opened.append(("notify", message))

    def show_view(self, key):  # noqa: ANN001
        self.opened.append(("view", key))


@pytest.fixture
def desk(tmp_path):  # noqa: ANN001, ANN201
    """Per-desk QSettings in the test's folder (never the user's real settings)."""
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.NativeFormat, QSettings.IniFormat):
        QSettings.setPath(fmt, QSettings.UserScope, str(tmp_path / "settings"))
    return tmp_path / "settings"


def seed(team):  # noqa: ANN001, ANN201
    rep = team["rep1"]
    a = customers.create_customer(rep, {"name": "甲公司"}).id
    b = customers.create_customer(rep, {"name": "张三", "kind": "individual",
                                        "birthday": (date.today() - timedelta(days=365 * 30 - 3)).isoformat()},
                                  allow_duplicates=True).id
    interactions.log_interaction(rep, a, channel="phone", summary="报价跟进", next_follow_up=date.today())
    visits.plan_visits(team["sup_sales"], [b], date.today() - timedelta(days=2), assignee_id=rep.actor.id)
    with rep.db.write() as s:
        s.execute(update(Customer).where(Customer.id == a).values(grade="key_important"))
    return a, b


def test_dashboard_groups_open_and_mark_done(qtbot, team, desk):
    from desktop_crm.ui.dashboard.view import DashboardView

    a, b = seed(team)
    nav = FakeNav()
    view = DashboardView(team["rep1"], nav)
    qtbot.addWidget(view)
    tree = view.tree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert titles[0] == "Follow-ups due (1)" and titles[1] == "Return visits due (1)"
    assert any(t.startswith("Birthdays (") for t in titles)
    assert not view.figure_frame.isVisibleTo(view)
    follow = tree.topLevelItem(0).child(0)
    tree.setCurrentItem(follow)
    view.open_current()
    assert nav.opened[-1] == ("customer", a)
    visit = tree.topLevelItem(1).child(0)
    assert "overdue 2 d" in visit.text(0)
    tree.setCurrentItem(follow)
    view.mark_done()
    assert tree.topLevelItem(0).text(0) == "Follow-ups due (0)"
    assert view.notifier is not None


def test_supervisor_sees_team_and_figures(qtbot, team, desk):
    from desktop_crm.ui.dashboard.view import DashboardView

    seed(team)
    view = DashboardView(team["sup_sales"], FakeNav())
    qtbot.addWidget(view)
    assert view.figure_frame.isVisibleTo(view)
    assert set(view.figure_labels) >= {"visits_done_month", "new_customers_month", "open_complaints"}
    assert view.team_tree.topLevelItem(0).text(0).endswith("(1)")
    assert "rep1" in view.team_label.text()


def test_notifier_announces_new_items_and_can_be_turned_off(qtbot, team, desk):
    from desktop_crm.ui.dashboard import notify
    from desktop_crm.ui.dashboard.view import DashboardView

    a, _b = seed(team)
    view = DashboardView(team["rep1"], FakeNav())
    qtbot.addWidget(view)
    n = view.notifier
    n.check()
    assert len(n.messages) == 1 and "items are due" in n.messages[0]
    interactions.log_interaction(team["rep1"], customers.create_customer(team["rep1"], {"name": "新"}).id,
                                 channel="phone", summary="回电", next_follow_up=date.today())
    n.check()
    assert n.messages[-1].startswith("Now due: 新")
    view.notify_box.setChecked(False)
    assert not notify.desk_enabled()
    interactions.log_interaction(team["rep1"], a, channel="phone", summary="再次", next_follow_up=date.today())
    n.check()
    assert len(n.messages) == 2


def test_interaction_and_visit_dialogs(qtbot, team, desk):
    from desktop_crm.ui.visits.interaction_dialog import InteractionDialog
    from desktop_crm.ui.visits.visit_dialogs import CompleteVisitDialog, PlanVisitDialog

    rep = team["rep1"]
    a, b = seed(team)
    d = InteractionDialog(rep, a)
    qtbot.addWidget(d)
    d.save()
    assert d.errors["summary"].isVisibleTo(d) and d.result_view is None
    d.summary.setText("电话回访")
    d.has_next.setChecked(True)
    d.save()
    assert d.result_view is not None and d.result_view.next_follow_up == date.today()
    p = PlanVisitDialog(team["sup_sales"], [a], None)
    qtbot.addWidget(p)
    assert p.assignee.count() >= 3  # self + team
    p.save()
    assert len(p.created) == 1
    nav = FakeNav()
    vid = visits.list_visits(rep, customer_id=b)[0].id
    c = CompleteVisitDialog(rep, vid, nav)
    qtbot.addWidget(c)
    c.save()
    assert c.score_error.isVisibleTo(c)
    c.score.button(2).setChecked(True)
    c.tags["complaint"].setChecked(True)
    assert c.complaint_box.isChecked()
    c.feedback.setPlainText("包装破损")
    c.save()
    assert c.visit.status == "done" and c.visit.score == 2
    kind, prefill = nav.opened[-1]
    assert kind == "new_complaint" and prefill["customer_id"] == b and prefill["description"] == "包装破损"


def test_pool_and_visits_views(qtbot, team, desk):
    from desktop_crm.ui.visits.pool_view import PoolView
    from desktop_crm.ui.visits.timeline_tab import timeline_tab
    from desktop_crm.ui.visits.visits_view import VisitsView

    admin, rep = team["admin"], team["rep1"]
    for i in range(3):
        customers.create_customer(admin, {"name": f"公海客户{i}"}, owner=None)
    nav = FakeNav()
    pv = PoolView(rep, nav)
    qtbot.addWidget(pv)
    assert pv.model.rowCount() == 3 and "20 claims left" in pv.left_label.text()
    pv.table.selectRow(0)
    pv.claim()
    assert pv.model.rowCount() == 2 and "19" in pv.left_label.text()
    a, b = seed(team)
    vv = VisitsView(rep, nav)
    qtbot.addWidget(vv)
    assert vv.model.rowCount() == 1
    title, tab = timeline_tab(rep, nav, a, None)
    qtbot.addWidget(tab)
    assert title == "Timeline" and tab.table.rowCount() >= 2
    assert reminders.for_user(rep)[0].count == 1


def test_plan_for_whole_customer_list(qtbot, team, desk, monkeypatch):
    from desktop_crm.core.services.customer_query import CustomerFilter
    from desktop_crm.ui.visits import visit_dialogs

    rep = team["rep1"]
    for i in range(3):
        customers.create_customer(rep, {"name": f"列表客户{i}"})

    from PySide6.QtWidgets import QWidget

    class View(QWidget):
        ctx, nav = rep, FakeNav()

        class data:  # noqa: N801
            flt = CustomerFilter(fields={"owner": [rep.actor.id]})

        def selected_ids(self):  # noqa: ANN201
            return []

    def accept(self):  # noqa: ANN001, ANN202
        self.save()
        return True

    monkeypatch.setattr(visit_dialogs.PlanVisitDialog, "exec", accept)
    view = View()
    qtbot.addWidget(view)
    visit_dialogs.plan_for_list(view)
    assert view.nav.opened[-1] == ("notify", "3 return visits planned.")


def test_a_manager_sees_sales_against_last_year_the_pipeline_and_complaints(qtbot, team, desk):
    from decimal import Decimal

    from desktop_crm.core.services import dashboard, opportunities, orders
    from desktop_crm.ui.dashboard.view import DashboardView

    rep, manager = team["rep1"], team["manager"]
    today = date.today()
    c = customers.create_customer(rep, {"name": "同比客户"}, status="active").id
    orders.create_order(rep, c, {"order_no": "M-NOW", "date": today, "amount": "1500"})
    orders.create_order(rep, c, {"order_no": "M-AGO", "date": today.replace(year=today.year - 1, day=1),
                                 "amount": "1000"})
    opportunities.create_opportunity(rep, c, {"name": "大单", "amount": "20000"})
    figures = {f.key: f for f in dashboard.load(manager).figures}
    assert figures["sales_month"].value == Decimal("1500.00") and figures["sales_month"].text == "¥1,500.00"
    assert "¥1,000.00" in figures["sales_month"].detail and "+50.0%" in figures["sales_month"].detail
    assert figures["pipeline"].value == 1 and figures["pipeline"].text == "¥20,000.00"
    assert "open_complaints" in figures
    view = DashboardView(manager, FakeNav())
    qtbot.addWidget(view)
    assert "+50.0%" in view.figure_labels["sales_month"].text()


def test_a_reps_churn_warnings_stay_folded_under_the_follow_ups(qtbot, team, desk):
    from desktop_crm.ui.dashboard.view import DashboardView

    rep = team["rep1"]
    for n in range(3):
        customers.create_customer(rep, {"name": f"久未下单{n}"}, status="active")
    c = customers.create_customer(rep, {"name": "要跟进的"}).id
    interactions.log_interaction(rep, c, channel="phone", summary="约今天回电", next_follow_up=date.today())
    view = DashboardView(rep, FakeNav())
    qtbot.addWidget(view)
    tops = {view.tree.topLevelItem(i).text(0).split(" (")[0]: view.tree.topLevelItem(i)
            for i in range(view.tree.topLevelItemCount())}
    assert tops["Churn warnings"].childCount() == 3 and not tops["Churn warnings"].isExpanded()
    assert tops["Follow-ups due"].isExpanded()
    assert view.tree.current() is not None and view.tree.current().kind == "follow_up"
