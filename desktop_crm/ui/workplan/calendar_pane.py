"""The calendar tab: day, week and month over the canvas, moving through time, drag and double-click
handled by the services, and the export of what is shown to an .ics file."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.workplan import ics, tasks
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.workplan.actions import _Actions
from desktop_crm.ui.workplan.calendar_widget import HOUR_H, CalendarCanvas, week_start
from desktop_crm.ui.workplan.task_dialog import TaskDialog


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
