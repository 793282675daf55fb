"""My day: today's and overdue items (one click to done or postpone), customers that go back to the
pool soon, and the care reminders."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import TASK_KIND, TASK_STATUS
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import reminders as care
from desktop_crm.core.workplan import pool_rules, tasks
from desktop_crm.core.workplan.tasks import TaskView
from desktop_crm.ui.tasks import run_task, show_error
from desktop_crm.ui.workplan.actions import ID_ROLE, _Actions, add_care_reminders, when_text
from desktop_crm.ui.workplan.task_dialog import TaskDialog


class MyDay(QWidget, _Actions):
    def __init__(self, ctx, nav, owner: QComboBox, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav, self.owner = ctx, nav, owner
        lay = QVBoxLayout(self)
        self.heading = QLabel()
        lay.addWidget(self.heading)
        self.tree = QTreeWidget()
        self.tree.setObjectName("my_day")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([_("What"), _("When"), _("Customer"), _("Kind")])
        self.tree.setRootIsDecorated(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        when_w = self.tree.fontMetrics().horizontalAdvance("2026-12-31 23:59–23:59") + 24
        for col, w in ((1, when_w), (2, 240), (3, 90)):
            self.tree.setColumnWidth(col, w)
        self.tree.header().setStretchLastSection(False)
        self.tree.itemDoubleClicked.connect(self._activated)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        writable = ctx.actor.role != "viewer"
        self.done_button = QPushButton(_("Done…"))
        self.postpone_button = QPushButton(_("Postpone a day"))
        self.open_button = QPushButton(_("Open"))
        self.new_button = QPushButton(_("New task…"))
        self.done_button.clicked.connect(lambda: self._with_task(self.done_task))
        self.postpone_button.clicked.connect(lambda: self._with_task(self.postpone_task))
        self.open_button.clicked.connect(lambda: self._activated(self.tree.currentItem()))
        self.new_button.clicked.connect(self.new_task)
        for b in (self.done_button, self.postpone_button, self.open_button, self.new_button):
            b.setVisible(writable or b is self.open_button)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)

    def _selected_task(self) -> int | None:
        item = self.tree.currentItem()
        data = item.data(0, ID_ROLE) if item is not None else None
        return data[1] if data and data[0] == "task" else None

    def _with_task(self, fn) -> None:  # noqa: ANN001
        tid = self._selected_task()
        if tid is not None:
            fn(tid)

    def _activated(self, item: QTreeWidgetItem | None, *_args) -> None:  # noqa: ANN002
        data = item.data(0, ID_ROLE) if item is not None else None
        if not data:
            return
        if data[0] == "task":
            self.edit_task(data[1])
        elif data[0] == "customer" and data[1]:
            self.nav.open_customer(data[1])

    def new_task(self) -> None:
        if TaskDialog(self.ctx, self, owner_id=self.owner.currentData()).exec():
            self._refresh_all()

    def _refresh_all(self) -> None:
        self.refresh()

    def _user(self) -> int:
        return self.owner.currentData() or self.ctx.actor.id

    def refresh(self) -> None:
        """The day is read in the worker (three queries a cold disk could make slow) and shown here."""
        self.ready = False
        ctx, uid = self.ctx, self._user()

        def load(_progress):  # noqa: ANN001, ANN202
            return (uid, tasks.my_day(ctx, user_id=uid), care.for_user(ctx, uid if uid != ctx.actor.id else None),
                    pool_rules.warnings(ctx, uid))

        run_task(self, _("My day"), load, self._fill, on_error=self._failed, show_dialog=False)

    def _failed(self, exc: BaseException) -> None:
        self.tree.clear()
        self.ready = True
        if isinstance(exc, CrmError):
            self.heading.setText(str(exc))
        else:
            show_error(self, exc)

    def _fill(self, loaded: tuple) -> None:
        uid, day, due, warned = loaded
        if uid != self._user():
            return  # another person's day was asked for meanwhile: that answer fills the list
        self.tree.clear()
        self.ready = True
        today = date.today()
        self.heading.setText("<b>" + _("My day") + "</b> — " + today.isoformat() + "  " + _(
            "{n} open today, {m} overdue").format(n=sum(t.status == "open" for t in day.today), m=len(day.overdue)))
        now = datetime.now()

        def group(title: str, items: list[TaskView], colour: str | None = None) -> None:
            top = QTreeWidgetItem([f"{title} ({len(items)})"])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for t in items:
                child = QTreeWidgetItem([t.title, when_text(t), t.customer, TASK_KIND.label(t.kind)])
                child.setData(0, ID_ROLE, ("task", t.id))
                if t.status != "open":
                    f = child.font(0)
                    f.setStrikeOut(True)
                    child.setFont(0, f)
                    child.setText(1, TASK_STATUS.label(t.status))
                elif colour or t.overdue(now):
                    child.setForeground(1, QColor(colour or "#b00020"))
                if t.priority == "high":
                    f = child.font(0)
                    f.setBold(True)
                    child.setFont(0, f)
                    child.setText(0, "! " + t.title)
                top.addChild(child)
            top.setExpanded(True)

        group(_("Overdue"), day.overdue, "#b00020")
        group(_("Today"), day.today)
        if warned:
            top = QTreeWidgetItem([_("Back to the pool soon") + f" ({len(warned)})"])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for w in warned:
                child = QTreeWidgetItem([w.customer, _("in {n} days").format(n=w.days_left), w.customer_code,
                                         ""])
                child.setToolTip(0, f"{w.rule}: {w.reason}")
                child.setData(0, ID_ROLE, ("customer", w.customer_id))
                child.setForeground(1, QColor("#b00020" if w.days_left <= 1 else "#e65100"))
                top.addChild(child)
            top.setExpanded(True)
        # follow-ups and return visits are on the list above as tasks; the other care reminders here
        add_care_reminders(self.tree, due, skip=("follow_up", "visit"))  # those two are tasks above
