"""The work plan with real widgets: My day (postpone, done), the calendar (drag to move, drag the
lower edge, double-click to create), the task form with errors by field, the bell and the ticker
that fires reminders, the Tasks tab on the customer and complaint pages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop_crm.core import i18n
from desktop_crm.core.services import complaints, customers, interactions
from desktop_crm.core.workplan import reminders, tasks
from desktop_crm.core.workplan.tasks import TaskFilter, TaskInput
from desktop_crm.ui.tasks import wait_idle

TODAY = date.today()


class Nav:
    def __init__(self):
        self.notes, self.opened = [], []

    def notify(self, message):  # noqa: ANN001
        self.notes.append(message)

    def open_customer(self, cid):  # noqa: ANN001
        self.opened.append(cid)

    def open_complaint(self, cid):  # noqa: ANN001
        self.opened.append(cid)


@pytest.fixture
def office(team):  # noqa: ANN001, ANN201
    c = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司", "mobile": "13812345678"})
    return team, c


def _mouse(widget, kind: QEvent.Type, pos, button=Qt.LeftButton) -> None:  # noqa: ANN001
    buttons = Qt.NoButton if kind == QEvent.MouseButtonRelease else Qt.LeftButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)),
                        button if kind != QEvent.MouseMove else Qt.NoButton, buttons, Qt.NoModifier)
    QApplication.sendEvent(widget, event)


def _drag(widget, start, end) -> None:  # noqa: ANN001
    _mouse(widget, QEvent.MouseButtonPress, start)
    mid = start + (end - start) / 2
    _mouse(widget, QEvent.MouseMove, mid)
    _mouse(widget, QEvent.MouseMove, end)
    _mouse(widget, QEvent.MouseButtonRelease, end)


def test_my_day_lists_overdue_and_today_and_postpones(qtbot, office, tmp_path):
    from desktop_crm.ui.workplan.view import WorkPlanView

    team, c = office
    rep1 = team["rep1"]
    [late] = tasks.create(rep1, TaskInput(title="催收货款", due=TODAY - timedelta(days=2), customer_id=c.id))
    tasks.create(rep1, TaskInput(title="Quote meeting", kind="meeting", is_appointment=True,
                                 start=datetime.combine(TODAY, time(15, 0)), reminders=[15]))
    view = WorkPlanView(rep1, Nav())
    qtbot.addWidget(view)
    view.resize(1100, 650)
    view.show()
    qtbot.waitUntil(lambda: view.my_day.ready)
    tree = view.my_day.tree
    overdue, today = tree.topLevelItem(0), tree.topLevelItem(1)
    assert overdue.childCount() == 1 and overdue.child(0).text(0) == "催收货款"
    assert today.child(0).text(0) == "Quote meeting" and today.child(0).text(1) == "15:00–16:00"
    view.grab().save(str(tmp_path / "my_day.png"))
    tree.setCurrentItem(overdue.child(0))
    qtbot.mouseClick(view.my_day.postpone_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.my_day.ready)
    assert tasks.get(rep1, late.id).start.date() == TODAY
    assert view.my_day.tree.topLevelItem(0).childCount() == 0


def test_the_done_form_writes_the_follow_up(qtbot, office):
    from desktop_crm.ui.workplan.task_dialog import ResultDialog

    team, c = office
    rep1 = team["rep1"]
    interactions.log_interaction(rep1, c.id, channel="phone", summary="asked for a quote",
                                 next_follow_up=TODAY + timedelta(days=1))
    [t] = tasks.page(rep1, TaskFilter(customer_id=c.id))
    dialog = ResultDialog(rep1, t)
    qtbot.addWidget(dialog)
    dialog.save()
    assert "Result" in dialog.error.text() and dialog.result() == 0
    dialog.result_edit.setPlainText("sent the quote by e-mail")
    dialog.save()
    assert dialog.result() == 1 and tasks.get(rep1, t.id).status == "done"
    assert interactions.list_for_customer(rep1, c.id)[0].summary == "sent the quote by e-mail"


def test_calendar_drag_moves_resizes_and_double_click_creates(qtbot, office, tmp_path):
    from desktop_crm.ui.workplan.calendar_pane import CalendarPane
    from desktop_crm.ui.workplan.view import WorkPlanView

    team, c = office
    rep1 = team["rep1"]
    monday = TODAY - timedelta(days=TODAY.weekday())
    start = datetime.combine(monday + timedelta(days=1), time(10, 0))
    [t] = tasks.create(rep1, TaskInput(title="拜访客户", kind="visit", is_appointment=True, start=start,
                                       end=start + timedelta(hours=1), reminders=[30], customer_id=c.id))
    [due] = tasks.create(rep1, TaskInput(title="Send contract", due=monday + timedelta(days=2)))
    view = WorkPlanView(rep1, Nav())
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    view.tabs.setCurrentWidget(view.calendar)
    pane: CalendarPane = view.calendar
    canvas = pane.canvas
    qtbot.wait(20)
    assert {i.id for i in canvas.items} == {t.id, due.id}
    canvas.repaint()
    view.grab().save(str(tmp_path / "calendar_week.png"))
    # drag the visit to Thursday 14:30
    target = datetime.combine(monday + timedelta(days=3), time(14, 30))
    _drag(canvas, canvas.point_of(start), canvas.point_of(target))
    moved = tasks.get(rep1, t.id)
    assert moved.start == target and moved.end == target + timedelta(hours=1)
    # drag its lower edge down by an hour: a new end, same start
    canvas.repaint()
    [rect] = [r for r, item in canvas._boxes if item.id == t.id]
    edge = rect.bottomLeft() + (rect.bottomRight() - rect.bottomLeft()) / 2
    edge.setY(rect.bottom() - 2)
    _drag(canvas, edge, edge + type(edge)(0, 44))
    resized = tasks.get(rep1, t.id)
    assert resized.start == target and resized.end == target + timedelta(hours=2)
    # the all-day task moves by whole days in the strip
    canvas.repaint()
    _drag(canvas, canvas.point_of(due.start, all_day=True),
          canvas.point_of(datetime.combine(monday + timedelta(days=4), time.min), all_day=True))
    assert tasks.get(rep1, due.id).start.date() == monday + timedelta(days=4)
    # double-click on an empty slot asks to create one there
    created = []
    canvas.create_at.disconnect()
    canvas.create_at.connect(lambda at, all_day: created.append((at, all_day)))
    slot = datetime.combine(monday, time(11, 0))
    _mouse(canvas, QEvent.MouseButtonDblClick, canvas.point_of(slot))
    assert created == [(slot, False)]
    # the month view shows both and the viewer may not drag
    pane.set_mode("month")
    canvas.repaint()
    view.grab().save(str(tmp_path / "calendar_month.png"))
    assert len(canvas.days()) == 42 and {b.id for _r, b in canvas._boxes} >= {t.id}


def test_task_form_errors_by_field_and_saves_a_series(qtbot, office):
    from desktop_crm.ui.workplan.task_dialog import TaskDialog

    team, c = office
    rep1 = team["rep1"]
    dialog = TaskDialog(rep1, customer_id=c.id)
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.messages["subject"].isVisibleTo(dialog) and "required" in dialog.messages["subject"].text()
    dialog.title.setText("周例会")
    dialog.is_appointment.setChecked(True)
    dialog.reminders[15].setChecked(True)
    dialog.repeat.setCurrentIndex(dialog.repeat.findData("weekly"))
    dialog.repeat_count.setValue(3)
    dialog.save()
    assert dialog.result() == 1
    rows = tasks.page(rep1, TaskFilter(customer_id=c.id))
    assert len(rows) == 3 and rows[0].reminders == (15,) and rows[0].repeat == "weekly"
    edit = TaskDialog(rep1, task_id=rows[1].id)
    qtbot.addWidget(edit)
    assert edit.title.text() == "周例会" and not edit.repeat.isEnabled()


def test_the_ticker_fires_due_reminders_into_the_bell_and_groups_the_missed(qtbot, office):
    from desktop_crm.ui.workplan.inbox import InboxButton, InboxDialog, ReminderTicker

    team, _c = office
    rep1 = team["rep1"]
    now = tasks.now()
    tasks.create(rep1, TaskInput(title="Yesterday's call", is_appointment=True, start=now - timedelta(days=1),
                                 reminders=[10]))
    tasks.create(rep1, TaskInput(title="Before lunch", is_appointment=True, start=now - timedelta(days=1, hours=2),
                                 reminders=[10]))
    soon = tasks.create(rep1, TaskInput(title="Call the buyer", is_appointment=True, start=now + timedelta(minutes=20),
                                        reminders=[15]))[0]
    holder = Nav()
    button = InboxButton(rep1, holder)
    qtbot.addWidget(button)
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.notify = holder.notify
    clock = [now]
    ticker = ReminderTicker(window, button, clock=lambda: clock[0])
    with qtbot.waitSignal(ticker.shown, timeout=10000) as first:
        ticker.tick()
    assert first.args[0] == ["2 reminders while you were away"] and button.count == 2
    clock[0] = now + timedelta(minutes=6)
    with qtbot.waitSignal(ticker.shown, timeout=10000) as second:
        ticker.timer.timeout.emit()
    assert second.args[0][0].startswith("Reminder: Call the buyer") and button.count == 3
    with qtbot.waitSignal(ticker.shown, timeout=10000) as third:
        ticker.tick()
    assert third.args[0] == []  # never twice
    wait_idle()
    dialog = InboxDialog(rep1, holder)
    qtbot.addWidget(dialog)
    assert dialog.tree.topLevelItem(0).childCount() == 3
    dialog.mark_all_read()
    button.refresh()
    assert button.count == 0 and reminders.unread_count(rep1) == 0
    assert tasks.get(rep1, soon.id).reminders == (15,)


def test_tasks_tab_on_the_customer_and_complaint_pages_in_chinese(qtbot, office):
    from desktop_crm.ui.complaints.page import ComplaintPage
    from desktop_crm.ui.customers.page_tabs import load_tabs

    team, c = office
    i18n.set_language("zh_CN")
    interactions.log_interaction(team["rep1"], c.id, channel="phone", summary="要报价",
                                 next_follow_up=TODAY + timedelta(days=1))
    tabs = dict(load_tabs(team["rep1"], Nav(), c.id, None))
    task_tab = tabs["任务"]
    qtbot.addWidget(task_tab)
    assert task_tab.model.rowCount() == 1
    title = task_tab.model.data(task_tab.model.index(0, 1))
    assert title == "跟进：迅捷物流速运有限公司"
    comp = complaints.register(team["rep1"], customer_id=c.id, channel="hotline", category="delay",
                               severity="major", description="货物延误")
    page = ComplaintPage(team["rep1"], Nav(), comp.id)
    qtbot.addWidget(page)
    assert page.side_tabs.tabText(1) == "任务"
    tasks.create(team["rep1"], TaskInput(title="回电客户", due=TODAY, complaint_id=comp.id))
    page.tasks.refresh()
    assert page.tasks.model.rowCount() == 1


def test_administrators_see_the_job_runs(qtbot, team, db):
    from desktop_crm.core.workplan import jobs
    from desktop_crm.ui.admin.view import AdminView

    jobs.run_due(db, datetime(2027, 1, 4, 9, 0))
    view = AdminView(team["admin"], Nav())
    qtbot.addWidget(view)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    page = view.tabs.widget(titles.index("Background jobs"))
    rows = {page.table.item(r, 0).text(): page.table.item(r, 4).text() for r in range(page.table.rowCount())}
    assert rows == {"Reminders": "0 reminders fired", "Pool rules": "no pool rules"}
    qtbot.mouseClick(page.run_button, Qt.LeftButton)
    wait_idle()
    qtbot.waitUntil(lambda: page.table.rowCount() == 4, timeout=5000)


def test_pool_rules_page_countdown_on_the_customer_page_and_my_day(qtbot, office, db):
    from sqlalchemy import update

    from desktop_crm.core.models import Customer
    from desktop_crm.core.workplan import pool_rules
    from desktop_crm.ui.admin.view import AdminView
    from desktop_crm.ui.customers.page import CustomerPage
    from desktop_crm.ui.workplan.pool_rules_page import LimitDialog, RuleDialog
    from desktop_crm.ui.workplan.view import WorkPlanView

    team, c = office
    view = AdminView(team["admin"], Nav())
    qtbot.addWidget(view)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    page = view.tabs.widget(titles.index("Pool rules"))
    dialog = RuleDialog(team["admin"], None, page)
    qtbot.addWidget(dialog)
    dialog.save()
    assert "Name: is required" in dialog.error.text()
    dialog.name.setText("30 天未跟进")
    dialog.days.setValue(30)
    dialog.warn.setValue(5)
    dialog.save()
    assert dialog.result() == 1
    page.refresh()
    assert page.rules.rowCount() == 1 and "no follow-up for 30 days" in page.rules.item(0, 2).text()
    limit = LimitDialog(team["admin"], page)
    qtbot.addWidget(limit)
    limit.max.setValue(200)
    limit.save()
    page.refresh()
    assert page.limits.item(0, 2).text() == "200"
    # the rep's customer was last contacted 27 days ago: 3 days left
    at = datetime.now() - timedelta(days=27)
    with db.write() as s:
        s.execute(update(Customer).where(Customer.id == c.id).values(created_at=at, last_contact_at=at))
    card = CustomerPage(team["manager"], Nav(), c.id)
    qtbot.addWidget(card)
    assert card.pool_line.text().startswith("Returns to the pool in 3 days") and card.keep_button.isVisibleTo(card)
    card.toggle_keep()
    assert "Kept with its owner" in card.pool_line.text() and pool_rules.is_pinned(team["manager"], c.id)
    card.toggle_keep()
    work = WorkPlanView(team["rep1"], Nav())
    qtbot.addWidget(work)
    qtbot.waitUntil(lambda: work.my_day.ready)
    tops = [work.my_day.tree.topLevelItem(i).text(0) for i in range(work.my_day.tree.topLevelItemCount())]
    group = work.my_day.tree.topLevelItem(tops.index("Back to the pool soon (1)"))
    assert group.child(0).text(1) == "in 3 days"


def test_the_task_list_filters_and_exports_what_it_shows(qtbot, office, tmp_path):
    from desktop_crm.ui.workplan.view import WorkPlanView

    team, c = office
    rep1 = team["rep1"]
    tasks.create(rep1, TaskInput(title="报价跟进", due=TODAY, customer_id=c.id))
    tasks.create(rep1, TaskInput(title="Team lunch", kind="other", is_appointment=True,
                                 start=datetime.combine(TODAY, time(12, 0))))
    nav = Nav()
    view = WorkPlanView(rep1, nav)
    qtbot.addWidget(view)
    view.tabs.setCurrentWidget(view.task_list)
    listing = view.task_list
    assert listing.model.rowCount() == 2
    listing.kind.setCurrentIndex(listing.kind.findData("other"))
    assert listing.model.rowCount() == 1 and listing.count_label.text() == "1 items"
    listing.export_to(str(tmp_path / "sel.ics"))
    text = (tmp_path / "sel.ics").read_text(encoding="utf-8")
    assert text.count("BEGIN:VEVENT") == 1 and "SUMMARY:Team lunch" in text
    assert nav.notes[-1].startswith("1 items written to")
