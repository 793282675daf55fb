"""The task list: search and filters over the one lazy table model, the actions, and the export of
what it shows to an .ics file."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import TASK_KIND, TASK_PRIORITY, TASK_STATUS
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.workplan import ics, tasks
from desktop_crm.core.workplan.tasks import TaskFilter
from desktop_crm.ui.tablemodel import LazyTableModel, ListColumn, ListSource, lazy_table_view
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.widgets.flow import flow_row
from desktop_crm.ui.workplan.actions import _Actions, when_text
from desktop_crm.ui.workplan.calendar_widget import week_start
from desktop_crm.ui.workplan.task_dialog import TaskDialog


class TaskList(QWidget, _Actions):
    COLUMNS = ["start", "title", "kind", "priority", "status", "owner", "customer"]

    def __init__(self, ctx, nav, owner: QComboBox, parent: QWidget | None = None, *,  # noqa: ANN001
                 fixed: TaskFilter | None = None):
        super().__init__(parent)
        self.ctx, self.nav, self.owner, self.fixed = ctx, nav, owner, fixed
        lay = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search titles"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(_("To do"), ("open",))
        self.status.addItem(_("Done"), ("done",))
        self.status.addItem(_("Cancelled"), ("cancelled",))
        self.status.addItem(_("All"), ())
        self.kind = QComboBox()
        self.kind.addItem(_("All kinds"), "")
        for k in TASK_KIND.keys:
            self.kind.addItem(TASK_KIND.label(k), k)
        self.period = QComboBox()
        for key, text in (("", _("Any time")), ("overdue", _("Overdue")), ("today", _("Today")),
                          ("week", _("This week")), ("month", _("This month"))):
            self.period.addItem(text, key)
        self.count_label = QLabel()
        units = [self.search, self.status, self.kind, self.period, self.count_label]
        lay.addWidget(flow_row(*units))
        for w in (self.status, self.kind, self.period):
            w.currentIndexChanged.connect(lambda *_a: self.refresh())
        self.search.textChanged.connect(lambda *_a: self.refresh())
        columns = [ListColumn("start", _("When")), ListColumn("title", _("Subject")), ListColumn("kind", _("Kind")),
                   ListColumn("priority", _("Priority")), ListColumn("status", _("Status")),
                   ListColumn("owner", _("Owner")), ListColumn("customer", _("Customer"))]
        self.source = ListSource(columns, self._count, self._fetch, self._display, self._colour, sort_key="start")
        self.model = LazyTableModel(self.source, parent=self)
        self.table = lazy_table_view(self.model, "task_table")
        when_w = self.table.fontMetrics().horizontalAdvance("2026-12-31 23:59–23:59") + 16
        for col, width in enumerate((when_w, 260, 80, 80, 80, 100, 200)):
            self.table.setColumnWidth(col, width)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
        self.table.doubleClicked.connect(lambda *_a: self._with(self.edit_task))
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        writable = ctx.actor.role != "viewer"
        self.new_button = QPushButton(_("New task…"))
        self.done_button = QPushButton(_("Done…"))
        self.postpone_button = QPushButton(_("Postpone a day"))
        self.cancel_button = QPushButton(_("Cancel task"))
        self.open_button = QPushButton(_("Open"))
        self.export_button = QPushButton(_("Export .ics…"))
        self.export_button.clicked.connect(self.export)
        self.new_button.clicked.connect(self.new_task)
        self.done_button.clicked.connect(lambda: self._with(self.done_task))
        self.postpone_button.clicked.connect(lambda: self._with(self.postpone_task))
        self.cancel_button.clicked.connect(lambda: self._with(self.cancel_task))
        self.open_button.clicked.connect(lambda: self._with(self.edit_task))
        for b in (self.new_button, self.done_button, self.postpone_button, self.cancel_button, self.open_button,
                  self.export_button):
            b.setVisible(writable or b in (self.open_button, self.export_button))
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)

    def new_task(self) -> None:
        f = self.fixed or TaskFilter()
        if TaskDialog(self.ctx, self, customer_id=f.customer_id, complaint_id=f.complaint_id,
                      opportunity_id=f.opportunity_id, lead_id=f.lead_id,
                      owner_id=self.owner.currentData() if self.owner else None
                      ).exec():
            self.refresh()

    def export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the calendar"), "tasks.ics",
                                                    _("Calendar files (*.ics)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """The items of the list as filtered (a selection of one's plan) to a calendar file."""
        from desktop_crm.core.services.permissions import require_export

        try:
            require_export(self.ctx.actor)
            items = tasks.page(self.ctx, self.filter(), limit=5000)
            ics.write(path, items)
            self.nav.notify(_("{n} items written to {path}.").format(n=len(items), path=path))
        except (CrmError, OSError) as exc:
            show_error(self, exc if isinstance(exc, CrmError) else CrmError(str(exc)))

    def _with(self, fn) -> None:  # noqa: ANN001
        index = self.table.currentIndex()
        row = self.model.row(index.row()) if index.isValid() else None
        if row is not None:
            fn(row[0])

    def _refresh_all(self) -> None:
        self.refresh()

    def filter(self) -> TaskFilter:
        today = datetime.combine(date.today(), time.min)
        start = end = None
        period = self.period.currentData()
        statuses = self.status.currentData()
        if period == "overdue":
            end, statuses = today, ("open",)
        elif period == "today":
            start, end = today, today + timedelta(days=1)
        elif period == "week":
            start = datetime.combine(week_start(date.today()), time.min)
            end = start + timedelta(days=7)
        elif period == "month":
            start = today.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1)
        base = self.fixed or TaskFilter(owner_ids=(self.owner.currentData(),) if self.owner and
                                        self.owner.currentData() else ())
        return TaskFilter(owner_ids=base.owner_ids, customer_id=base.customer_id, complaint_id=base.complaint_id,
                          lead_id=base.lead_id,
                          opportunity_id=base.opportunity_id, start=start, end=end, statuses=statuses,
                          kinds=(self.kind.currentData(),) if self.kind.currentData() else (),
                          search=self.search.text())

    def _count(self) -> int:
        try:
            return tasks.count(self.ctx, self.filter())
        except CrmError:
            return 0

    def _fetch(self, offset: int, limit: int, sort: str, desc: bool) -> list[tuple]:
        try:
            rows = tasks.page(self.ctx, self.filter(), sort=sort or "start", descending=desc, offset=offset,
                              limit=limit)
        except CrmError:
            return []
        return [(t.id, t.version, t, t.title, t.kind, t.priority, t.status, t.owner, t.customer) for t in rows]

    @staticmethod
    def _display(key: str, value: object) -> str:
        if key == "start":
            return when_text(value)  # type: ignore[arg-type]
        if key == "kind":
            return TASK_KIND.label(str(value))
        if key == "priority":
            return TASK_PRIORITY.label(str(value))
        if key == "status":
            return TASK_STATUS.label(str(value))
        return "" if value is None else str(value)

    @staticmethod
    def _colour(key: str, value: object, row: tuple) -> QColor | None:
        if key == "start" and row[2].overdue(datetime.now()):
            return QColor("#b00020")
        return None

    def refresh(self) -> None:
        self.model.refresh()
        self.count_label.setText(_("{n} items").format(n=self.model.rowCount()))
