"""Desktop notifications of due items: a tray message at start and whenever a new item falls due
while the app is open (a timer re-computes the reminders; no external scheduler). Off when the
administrator's setting `notifications_enabled` is off, or on this desk (QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QSystemTrayIcon, QWidget

from desktop_crm.core.i18n import _
from desktop_crm.core.services import reminders, settings
from desktop_crm.ui.app import desk_settings

DESK_KEY = "notifications/enabled"
INTERVAL_MS = 60_000


def desk_enabled() -> bool:
    value = desk_settings().value(DESK_KEY, True)
    return value not in (False, "false", "0", 0)


def set_desk_enabled(on: bool) -> None:
    s = desk_settings()
    s.setValue(DESK_KEY, bool(on))
    s.sync()


class Notifier(QObject):
    def __init__(self, ctx, view: QWidget, checkbox: QCheckBox | None = None, *,  # noqa: ANN001
                 interval_ms: int = INTERVAL_MS, initial: list[reminders.Reminder] | None = None):
        super().__init__(view)
        self.ctx, self.view = ctx, view
        self.seen: set[tuple[str, int]] | None = None
        self.messages: list[str] = []  # what was shown (tests look at it)
        try:
            self.allowed = bool(settings.get(ctx, "notifications_enabled"))
        except Exception:  # noqa: BLE001 - a broken setting only loses notifications
            self.allowed = False
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = QApplication.style().standardIcon(QStyle.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(_("Desktop CRM"))
            self.tray.messageClicked.connect(self._show_window)
        self.checkbox = checkbox
        if checkbox is not None:
            checkbox.setChecked(self.allowed and desk_enabled())
            checkbox.setEnabled(self.allowed)
            if not self.allowed:
                checkbox.setToolTip(_("Turned off by the administrator (Settings → Reminders)."))
            checkbox.toggled.connect(self._toggled)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)
        # At start the dashboard has just computed the items: announce those without a second query.
        QTimer.singleShot(0, (lambda: self.check(initial)) if initial is not None else self.check)

    @property
    def enabled(self) -> bool:
        return self.allowed and desk_enabled()

    def _toggled(self, on: bool) -> None:
        set_desk_enabled(on)
        if self.tray is not None:
            self.tray.setVisible(self.enabled)

    def _show_window(self) -> None:
        win = self.view.window()
        win.showNormal()
        win.raise_()
        win.activateWindow()

    def check(self, items: list[reminders.Reminder] | None = None) -> None:
        """Re-compute the due items; announce all of them the first time, then only new ones."""
        if items is None:
            try:
                items = reminders.flat(reminders.for_user(self.ctx))
            except Exception:  # noqa: BLE001 - a database hiccup must not raise from a timer
                return
        keys = {(r.kind, r.ref_id) for r in items}
        first = self.seen is None
        new = [r for r in items if first or (r.kind, r.ref_id) not in self.seen]
        self.seen = keys
        if not new or not self.enabled:
            return
        if first:
            text = _("{n} items are due today. Open the dashboard (Ctrl+1) to see them.").format(n=len(items))
        elif len(new) == 1:
            text = _("Now due: {customer} — {what}").format(customer=new[0].customer_name, what=new[0].title)
        else:
            text = _("{n} new items are due.").format(n=len(new))
        self.messages.append(text)
        if first is False and hasattr(self.view, "refresh"):
            self.view.refresh()
        if self.tray is not None:
            self.tray.setVisible(True)
            self.tray.showMessage(_("Desktop CRM"), text, QSystemTrayIcon.Information, 10_000)
        elif hasattr(self.view, "nav") and hasattr(self.view.nav, "notify"):
            self.view.nav.notify(text)
