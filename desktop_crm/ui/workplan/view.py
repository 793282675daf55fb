"""Work plan (Ctrl+0): *My day* (today's and overdue items, one click to done or postpone, and the
care reminders), the calendar (day, week, month; drag to move, drag the lower edge to change the
end, double-click to create) and the task list with filters. Supervisors switch between team
members; a calendar exports to an .ics file."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users
from desktop_crm.ui.workplan.calendar_pane import CalendarPane
from desktop_crm.ui.workplan.my_day import MyDay
from desktop_crm.ui.workplan.task_list import TaskList


class WorkPlanView(QWidget):
    def __init__(self, ctx, nav, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>" + _("Work plan") + "</b>"))
        bar.addStretch(1)
        self.owner = QComboBox()
        self.owner.setObjectName("calendar_owner")
        try:
            people = users.assignable(ctx) if ctx.actor.role != "viewer" else []
        except CrmError:
            people = []
        if not any(u.id == ctx.actor.id for u in people):
            self.owner.addItem(ctx.actor.label, ctx.actor.id)
        for u in people:
            self.owner.addItem(u.display_name or u.username, u.id)
        self.owner.setCurrentIndex(max(0, self.owner.findData(ctx.actor.id)))
        self.owner_label = QLabel(_("Calendar of"))
        bar.addWidget(self.owner_label)
        bar.addWidget(self.owner)
        self.owner.setVisible(self.owner.count() > 1)
        self.owner_label.setVisible(self.owner.count() > 1)
        lay.addLayout(bar)
        self.tabs = QTabWidget()
        self.my_day = MyDay(ctx, nav, self.owner)
        self.calendar = CalendarPane(ctx, nav, self.owner)
        self.task_list = TaskList(ctx, nav, self.owner)
        self.tabs.addTab(self.my_day, _("My day"))
        self.tabs.addTab(self.calendar, _("Calendar"))
        self.tabs.addTab(self.task_list, _("Tasks"))
        lay.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda *_a: self.refresh())
        self.owner.currentIndexChanged.connect(lambda *_a: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        if current is not None:
            current.refresh()

    def activated(self) -> None:
        self.refresh()
