"""Reminders that reach the person: the bell (the inbox of fired reminders and what is due), desktop
notifications from the tray, and the ticker that runs the background jobs while the app is open."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QSystemTrayIcon,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import reminders as care
from desktop_crm.core.workplan import jobs, reminders
from desktop_crm.ui.tasks import run_task
from desktop_crm.ui.workplan.actions import ID_ROLE, add_care_reminders

TICK_MS = 30_000  # due reminders fire within a minute
log = logging.getLogger(__name__)


class InboxDialog(QDialog):
    """Fired reminders (newest first; unread in bold) and the care reminders due today."""

    def __init__(self, ctx, nav, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.setWindowTitle(_("Reminders"))
        self.resize(640, 460)
        lay = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setObjectName("inbox")
        self.tree.setHeaderLabels([_("What"), _("When"), _("Customer")])
        self.tree.setColumnWidth(0, 320)
        self.tree.setColumnWidth(1, 130)
        self.tree.itemDoubleClicked.connect(self._open)
        lay.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText(_("Close window"))
        self.read_button = buttons.addButton(_("Mark all read"), QDialogButtonBox.ActionRole)
        self.read_button.clicked.connect(self.mark_all_read)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.fill()

    def fill(self) -> None:
        self.tree.clear()
        items = reminders.inbox(self.ctx)
        top = QTreeWidgetItem([_("Reminders") + f" ({sum(not i.read for i in items)} " + _("unread") + ")"])
        self.tree.addTopLevelItem(top)
        for i in items:
            child = QTreeWidgetItem([i.title, reminders.when(i.starts or i.due_at), ""])
            child.setData(0, ID_ROLE, ("task", i.task_id))
            if not i.read:
                font = child.font(0)
                font.setBold(True)
                child.setFont(0, font)
            top.addChild(child)
        top.setExpanded(True)
        add_care_reminders(self.tree, care.for_user(self.ctx))

    def mark_all_read(self) -> None:
        reminders.mark_read(self.ctx)
        self.fill()

    def _open(self, item: QTreeWidgetItem, *_args) -> None:  # noqa: ANN002
        data = item.data(0, ID_ROLE)
        if not data or not data[1]:
            return
        if data[0] == "customer":
            self.nav.open_customer(data[1])
            return
        from desktop_crm.ui.workplan.task_dialog import TaskDialog

        try:
            TaskDialog(self.ctx, self, task_id=data[1]).exec()
        except CrmError as exc:
            self.setWindowTitle(str(exc))


class InboxButton(QToolButton):
    """"Reminders" and the number of unread ones; opens the inbox."""

    def __init__(self, ctx, nav, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.setObjectName("inbox_button")
        self.setToolTip(_("Reminders"))
        self.setAutoRaise(True)
        self.clicked.connect(self.open)
        self.show_count(0)

    def show_count(self, n: int) -> None:
        self.count = n
        self.setText(_("Reminders ({n})").format(n=n) if n else _("Reminders"))
        self.setStyleSheet("QToolButton { color: #b00020; font-weight: bold; }" if n else "")

    def refresh(self) -> None:
        try:
            self.show_count(reminders.unread_count(self.ctx))
        except CrmError:
            pass

    def open(self) -> None:
        InboxDialog(self.ctx, self.nav, self.window()).exec()
        self.refresh()


def _tray_icon() -> QIcon:
    """The application's icon, or a plain badge in the sidebar's colour."""
    icon = QApplication.windowIcon()
    if not icon.isNull():
        return icon
    pix = QPixmap(32, 32)
    pix.fill(QColor("#1f3a5f"))
    return QIcon(pix)


class ReminderTicker(QObject):
    """Runs the jobs at start and every TICK_MS off the GUI thread, then shows what fell due: each
    one as a desktop notification (tray) and in the bell; the ones missed while the app was closed
    as one grouped notice."""

    shown = Signal(list)  # the notification texts of a tick

    def __init__(self, window, button: InboxButton, *, clock=None):  # noqa: ANN001
        super().__init__(window)
        self.window, self.button, self.ctx = window, button, button.ctx
        self.clock = clock or (lambda: datetime.now().replace(microsecond=0))
        self.busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.tray = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(_tray_icon(), self)
            self.tray.setToolTip(_("Desktop CRM"))
            self.tray.messageClicked.connect(self.button.open)
            self.tray.show()

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(0, self.tick)

    def stop(self) -> None:
        self.timer.stop()
        if self.tray is not None:
            self.tray.hide()

    def tick(self) -> None:
        if self.busy:
            return
        self.busy = True
        ctx, clock = self.ctx, self.clock
        at = clock()

        def work(_progress) -> tuple:  # noqa: ANN001 - in the worker: the jobs, then what to show
            jobs.run_due(ctx.db, at)
            return reminders.take_new(ctx, clock()), reminders.unread_count(ctx)

        run_task(self.window, _("Reminders"), work, self._after, on_error=self._failed, show_dialog=False)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        log.warning("background jobs failed: %s", exc)

    def _after(self, result: object) -> None:
        self.busy = False
        notices, unread = result  # type: ignore[misc]
        messages = notices.messages()
        for text in messages:
            if self.tray is not None:
                self.tray.showMessage(_("Desktop CRM"), text, QSystemTrayIcon.Information, 10_000)
            self.window.notify(text)
        if messages:
            QApplication.alert(self.window)
        self.button.show_count(unread)
        self.shown.emit(messages)
