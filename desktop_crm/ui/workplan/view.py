"""Work plan (Ctrl+0): *My day* (today's and overdue items, one click to done or postpone, and the
care reminders), the calendar (day, week, month; drag to move, drag the lower edge to change the
end, double-click to create) and the task list with filters. Supervisors switch between team
members; a calendar exports to an .ics file."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import TASK_KIND, TASK_PRIORITY, TASK_STATUS
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import reminders as care
from desktop_crm.core.workplan import ics, pool_rules, tasks
from desktop_crm.core.workplan.tasks import TaskFilter, TaskView
from desktop_crm.ui.tablemodel import LazyTableModel, ListColumn, ListSource, lazy_table_view
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.widgets.flow import flow_row
from desktop_crm.ui.workplan.calendar_widget import HOUR_H, CalendarCanvas, week_start
from desktop_crm.ui.workplan.task_dialog import ResultDialog, TaskDialog, colleagues

ID_ROLE = Qt.UserRole + 1


def when_text(t: TaskView) -> str:
    if not t.is_appointment or t.all_day:
        return t.start.date().isoformat() if t.start.date() != date.today() else _("Today")
    day = "" if t.start.date() == date.today() else t.start.strftime("%Y-%m-%d ")
    return f"{day}{t.start:%H:%M}–{(t.end or t.start):%H:%M}"


class _Actions:
    """Done / postpone / open / edit, shared by the three tabs."""

    ctx = None
    nav = None

    def _refresh_all(self) -> None:
        raise NotImplementedError

    def edit_task(self, task_id: int) -> None:
        try:
            if TaskDialog(self.ctx, self, task_id=task_id).exec():
                self._refresh_all()
        except CrmError as exc:
            show_error(self, exc)

    def done_task(self, task_id: int) -> None:
        try:
            t = tasks.get(self.ctx, task_id)
            if t.visit_id is not None:  # a return visit is done through its result (satisfaction…)
                from desktop_crm.ui.visits.visit_dialogs import CompleteVisitDialog

                if CompleteVisitDialog(self.ctx, t.visit_id, self.nav, self).exec():
                    self._refresh_all()
                return
            if ResultDialog(self.ctx, t, self).exec():
                self._refresh_all()
        except CrmError as exc:
            show_error(self, exc)

    def postpone_task(self, task_id: int) -> None:
        try:
            tasks.postpone(self.ctx, task_id)
        except CrmError as exc:
            show_error(self, exc)
        self._refresh_all()

    def cancel_task(self, task_id: int) -> None:
        try:
            tasks.cancel(self.ctx, task_id)
        except CrmError as exc:
            show_error(self, exc)
        self._refresh_all()


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

    def refresh(self) -> None:
        self.tree.clear()
        uid = self.owner.currentData() or self.ctx.actor.id
        try:
            day = tasks.my_day(self.ctx, user_id=uid)
            due = care.for_user(self.ctx, uid if uid != self.ctx.actor.id else None)
            warned = pool_rules.warnings(self.ctx, uid)
        except CrmError as exc:
            self.heading.setText(str(exc))
            return
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
        groups = [g for g in due if g.kind not in ("follow_up", "visit") and g.count]
        top = QTreeWidgetItem([_("Care reminders") + f" ({sum(g.count for g in groups)})"])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        self.tree.addTopLevelItem(top)
        for g in groups:
            sub = QTreeWidgetItem([f"{g.title} ({g.count})"])
            top.addChild(sub)
            for r in g.items:
                child = QTreeWidgetItem([r.title, r.due.isoformat() if r.due != today else _("Today"),
                                         r.customer_name, ""])
                child.setData(0, ID_ROLE, ("customer", r.customer_id))
                if r.overdue:
                    child.setForeground(1, QColor("#b00020"))
                sub.addChild(child)
        top.setExpanded(True)


class CalendarPane(QWidget, _Actions):
    def __init__(self, ctx, nav, owner: QComboBox, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav, self.owner = ctx, nav, owner
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip(_("Earlier"))
        self.today_button = QPushButton(_("Today"))
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(_("Later"))
        self.title = QLabel()
        self.modes = QButtonGroup(self)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.title, 1)
        for key, text in (("day", _("Day")), ("week", _("Week")), ("month", _("Month"))):
            b = QPushButton(text)
            b.setCheckable(True)
            b.setObjectName(f"calendar_{key}")
            b.setChecked(key == "week")
            self.modes.addButton(b)
            b.clicked.connect(lambda _c=False, k=key: self.set_mode(k))
            bar.addWidget(b)
        self.export_button = QPushButton(_("Export .ics…"))
        self.export_button.clicked.connect(self.export)
        bar.addWidget(self.export_button)
        lay.addLayout(bar)
        self.canvas = CalendarCanvas()
        self.canvas.setObjectName("calendar_canvas")
        self.canvas.read_only = ctx.actor.role == "viewer"
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.canvas)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda *_a: self.canvas.update())
        lay.addWidget(self.scroll, 1)
        self.hint = QLabel(_("Drag an item to move it, drag its lower edge to change its end, double-click to "
                             "create or open."))
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.canvas.moved.connect(self.on_moved)
        self.canvas.create_at.connect(self.on_create)
        self.canvas.open_item.connect(self.edit_task)

    def set_mode(self, mode: str) -> None:
        self.canvas.mode = mode
        if mode == "week":
            self.canvas.first = week_start(self.canvas.first)
        for b in self.modes.buttons():
            b.setChecked(b.objectName() == f"calendar_{mode}")
        self.refresh()

    def go_today(self) -> None:
        self.canvas.first = week_start(date.today()) if self.canvas.mode == "week" else date.today()
        self.refresh()

    def step(self, n: int) -> None:
        c = self.canvas
        if c.mode == "day":
            c.first += timedelta(days=n)
        elif c.mode == "week":
            c.first += timedelta(weeks=n)
        else:
            month = c.first.replace(day=1)
            c.first = (month + timedelta(days=32 * n if n > 0 else -1)).replace(day=1)
        self.refresh()

    def _refresh_all(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        c = self.canvas
        if c.mode == "month":
            c.first = c.first.replace(day=1)
            self.title.setText(f"<b>{c.first:%Y-%m}</b>")
        elif c.mode == "week":
            end = c.first + timedelta(days=6)
            self.title.setText(f"<b>{c.first:%Y-%m-%d} – {end:%m-%d}</b>")
        else:
            self.title.setText(f"<b>{c.first:%Y-%m-%d}</b>")
        start, end = c.range()
        uid = self.owner.currentData() or self.ctx.actor.id
        try:
            c.set_items(tasks.between(self.ctx, start, end, (uid,)))
        except CrmError as exc:
            show_error(self, exc)
            c.set_items([])
        self.scroll.setWidgetResizable(c.mode == "month")
        if c.mode != "month":
            c.resize(self.scroll.viewport().width(), c.sizeHint().height())
            self.scroll.verticalScrollBar().setValue(7 * HOUR_H)  # 07:00 just below the sticky day names

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        if self.canvas.mode != "month":
            self.canvas.resize(self.scroll.viewport().width(), self.canvas.sizeHint().height())

    def on_moved(self, task_id: int, start: datetime, end: datetime | None) -> None:
        try:
            t = tasks.get(self.ctx, task_id)
            if end is not None and start == t.start:  # the lower edge: a new end
                tasks.move(self.ctx, task_id, t.start, end, t.version)
            else:
                tasks.move(self.ctx, task_id, start, None, t.version)
        except CrmError as exc:
            show_error(self, exc)
        self.refresh()

    def on_create(self, start: datetime, all_day: bool) -> None:
        if self.ctx.actor.role == "viewer":
            return
        if TaskDialog(self.ctx, self, start=start, all_day=all_day, owner_id=self.owner.currentData()).exec():
            self.refresh()

    def export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the calendar"), "calendar.ics",
                                                    _("Calendar files (*.ics)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        from desktop_crm.core.services.permissions import require_export

        try:
            require_export(self.ctx.actor)
            start, end = self.canvas.range()
            uid = self.owner.currentData() or self.ctx.actor.id
            items = tasks.between(self.ctx, start, end, (uid,), statuses=("open", "done", "cancelled"))
            ics.write(path, items, name=self.owner.currentText())
            self.nav.notify(_("{n} items written to {path}.").format(n=len(items), path=path))
        except (CrmError, OSError) as exc:
            show_error(self, exc if isinstance(exc, CrmError) else CrmError(str(exc)))


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
            people = colleagues(ctx) if ctx.actor.role != "viewer" else []
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
