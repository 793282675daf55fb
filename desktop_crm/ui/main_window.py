"""The main window: a navigation sidebar, the views (Ctrl+1…), menus and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop_crm import __version__
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services.context import Ctx
from desktop_crm.ui.app import desk_settings
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.views import VIEWS, ViewSpec


class MainWindow(QMainWindow):
    def __init__(self, ctx: Ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Desktop CRM — {user}").format(user=ctx.actor.label))
        self.resize(1280, 800)
        self.specs: list[ViewSpec] = [v for v in VIEWS if v.available() and self._allowed(v)]
        self.views: dict[str, QWidget] = {}
        self.windows: dict[tuple[str, int], QWidget] = {}
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(170)
        self.sidebar.setStyleSheet(
            "QListWidget#sidebar { background: #1f3a5f; color: white; font-size: 11pt; border: none; }"
            "QListWidget#sidebar::item { padding: 10px 12px; }"
            "QListWidget#sidebar::item:selected { background: #2f6db5; }"
        )
        self.stack = QStackedWidget()
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        for spec in self.specs:
            item = QListWidgetItem(_(spec.title))
            item.setData(Qt.UserRole, spec.key)
            item.setToolTip(QKeySequence(spec.shortcut).toString(QKeySequence.NativeText))
            self.sidebar.addItem(item)
            placeholder = QWidget()
            self.stack.addWidget(placeholder)
        self.sidebar.currentRowChanged.connect(self._on_row)
        self._build_menus()
        self.status_user = QLabel(_("{user} ({role})").format(user=ctx.actor.label, role=_role_label(ctx.actor.role)))
        from desktop_crm.ui.workplan.inbox import InboxButton, ReminderTicker

        self.inbox_button = InboxButton(ctx, self)
        self.statusBar().addPermanentWidget(self.inbox_button)
        self.statusBar().addPermanentWidget(self.status_user)
        self.ticker = ReminderTicker(self, self.inbox_button)
        self._restore_geometry()
        self._idle = IdleLock(self)

    # -- navigation -------------------------------------------------------------
    def _allowed(self, spec: ViewSpec) -> bool:
        if spec.min_role == "viewer":
            return True
        return self.ctx.actor.role != "viewer" and self.ctx.actor.at_least(spec.min_role)

    def _index(self, key: str) -> int:
        for i, spec in enumerate(self.specs):
            if spec.key == key:
                return i
        return -1

    def _on_row(self, row: int) -> None:
        if row < 0:
            return
        spec = self.specs[row]
        view = self.views.get(spec.key)
        if view is None:
            view = spec.load()(self.ctx, self, self)
            self.views[spec.key] = view
            old = self.stack.widget(row)
            self.stack.insertWidget(row, view)
            self.stack.removeWidget(old)
            old.deleteLater()
        self.stack.setCurrentIndex(row)
        if hasattr(view, "activated"):
            view.activated()

    def show_view(self, key: str) -> QWidget | None:
        row = self._index(key)
        if row < 0:
            return None
        self.sidebar.setCurrentRow(row)
        self._on_row(row)
        return self.views.get(key)

    def current_view(self) -> QWidget | None:
        row = self.sidebar.currentRow()
        return self.views.get(self.specs[row].key) if row >= 0 else None

    def after_login(self) -> None:
        """Start screen: the dashboard when it exists, else customers; then the daily jobs."""
        self.show_view("dashboard" if self._index("dashboard") >= 0 else "customers")
        QTimer.singleShot(500, self._daily_jobs)
        self.ticker.start()

    def _daily_jobs(self) -> None:
        from desktop_crm.ui import startup_jobs

        startup_jobs.run(self, self.ctx)

    # -- Navigator ------------------------------------------------------------
    def _window(self, kind: str, obj_id: int, factory) -> None:  # noqa: ANN001
        key = (kind, obj_id)
        win = self.windows.get(key)
        if win is None or not win.isVisible():
            try:
                win = factory()
            except CrmError as exc:  # e.g. a customer outside one's scope: a message, not a traceback
                show_error(self, exc)
                return
            win.setAttribute(Qt.WA_DeleteOnClose)
            win.destroyed.connect(lambda *_a, k=key: self.windows.pop(k, None))
            self.windows[key] = win
            win.show()
        win.raise_()
        win.activateWindow()

    def open_customer(self, customer_id: int) -> None:
        from desktop_crm.ui.customers.page import CustomerPage

        self._window("customer", customer_id, lambda: CustomerPage(self.ctx, self, customer_id))

    def open_complaint(self, complaint_id: int) -> None:
        from desktop_crm.ui.complaints.page import ComplaintPage

        self._window("complaint", complaint_id, lambda: ComplaintPage(self.ctx, self, complaint_id))

    def new_complaint(self, prefill: dict | None = None) -> None:
        from desktop_crm.ui.complaints.intake import IntakeDialog

        IntakeDialog(self.ctx, self, prefill=prefill, parent=self).exec()

    def customers_with_filter(self, fields: dict) -> None:
        view = self.show_view("customers")
        if view is not None and hasattr(view, "apply_filter"):
            view.apply_filter(fields)

    def notify(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def refresh_views(self) -> None:
        for view in self.views.values():
            if hasattr(view, "refresh"):
                view.refresh()

    # -- menus --------------------------------------------------------------
    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu(_("&File"))
        self.file_menu = file_menu
        go = mb.addMenu(_("&View"))
        for spec in self.specs:
            act = QAction(_(spec.title), self)
            act.setShortcut(QKeySequence(spec.shortcut))
            act.triggered.connect(lambda _c=False, k=spec.key: self.show_view(k))
            go.addAction(act)
            self.addAction(act)
        if self._index("dashboard") < 0 and self._index("customers") >= 0:
            # Until the dashboard exists, Ctrl+1 opens customers too.
            act = QAction(self)
            act.setShortcut(QKeySequence("Ctrl+1"))
            act.triggered.connect(lambda: self.show_view("customers"))
            self.addAction(act)
        if self._index("complaints") >= 0 and self.ctx.actor.role != "viewer":
            act = QAction(_("New complaint…"), self)
            act.setShortcut(QKeySequence("Ctrl+Shift+N"))
            act.triggered.connect(lambda: self.new_complaint())
            file_menu.addAction(act)
            self.addAction(act)
            toolbar = self.addToolBar(_("Actions"))
            toolbar.setObjectName("actions")
            toolbar.addAction(act)
            self.actions_toolbar = toolbar
        if self.ctx.actor.role != "viewer":
            import_act = QAction(_("Import customers…"), self)
            import_act.setShortcut(QKeySequence("Ctrl+I"))
            import_act.triggered.connect(self.import_file)
            file_menu.addAction(import_act)
        if self.ctx.actor.role == "admin":
            demo_act = QAction(_("Generate demo data…"), self)
            demo_act.triggered.connect(self.generate_demo)
            file_menu.addAction(demo_act)
        if self.ctx.actor.role in ("admin", "manager", "viewer"):
            audit_act = QAction(_("Audit log…"), self)
            audit_act.triggered.connect(self.open_audit_log)
            file_menu.addAction(audit_act)
        file_menu.addSeparator()
        quit_act = QAction(_("&Quit"), self)
        quit_act.setShortcut(QKeySequence.Quit)
        quit_act.triggered.connect(self.close)
        settings_menu = mb.addMenu(_("&Settings"))
        pref = QAction(_("Preferences…"), self)
        pref.triggered.connect(self.open_settings)
        settings_menu.addAction(pref)
        pw = QAction(_("Change my password…"), self)
        pw.triggered.connect(self.change_password)
        settings_menu.addAction(pw)
        self.settings_menu = settings_menu
        help_menu = mb.addMenu(_("&Help"))
        guide = QAction(_("User guide"), self)
        guide.setShortcut(QKeySequence.HelpContents)
        guide.triggered.connect(self.open_guide)
        help_menu.addAction(guide)
        about = QAction(_("About Desktop CRM"), self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, _("About Desktop CRM"),
            _("Desktop CRM {version}\nCustomer relationship management for office staff.").format(version=__version__)))
        help_menu.addAction(about)
        file_menu.addAction(quit_act)

    def import_file(self) -> None:
        from desktop_crm.ui.customers.import_dialog import ImportDialog

        ImportDialog(self.ctx, self).exec()
        self.refresh_views()

    def generate_demo(self) -> None:
        """Administrators fill a database with demo customers, in the background with Cancel."""
        from PySide6.QtWidgets import QInputDialog

        from desktop_crm.core import demo
        from desktop_crm.ui.tasks import run_task

        n, ok = QInputDialog.getInt(self, _("Generate demo data"), _("Number of customers"), 1000, 1, 2_000_000)
        if not ok:
            return

        def done(result: object) -> None:
            self.refresh_views()
            self.notify("  ".join(result.summary_lines()))  # type: ignore[attr-defined]

        run_task(self, _("Generating demo data…"),
                 lambda p: demo.generate(self.ctx.db, customers=n, progress=p, ctx=self.ctx), done)

    def open_audit_log(self) -> None:
        from desktop_crm.ui.admin.audit_page import AuditDialog

        AuditDialog(self.ctx, self).exec()

    def open_settings(self) -> None:
        from desktop_crm.ui.settings_dialog import SettingsDialog

        SettingsDialog(self.ctx, self).exec()

    def change_password(self) -> None:
        from desktop_crm.ui.admin.password_dialog import PasswordDialog

        PasswordDialog(self.ctx, self.ctx.actor.id, self).exec()

    def open_guide(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from desktop_crm.core.paths import user_guide

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(user_guide())))

    # -- geometry -----------------------------------------------------------
    def _restore_geometry(self) -> None:
        geo = desk_settings().value("main/geometry")
        if geo is not None:
            self.restoreGeometry(geo)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        desk_settings().setValue("main/geometry", self.saveGeometry())
        self.ticker.stop()
        for win in list(self.windows.values()):
            win.close()
        super().closeEvent(event)


class IdleLock(QObject):
    """Locks the window after the idle minutes of the settings; the password unlocks it."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        try:
            from desktop_crm.core.services import settings

            self.minutes = int(settings.get(window.ctx, "idle_lock_minutes"))
        except Exception:  # noqa: BLE001 - a broken setting must not stop the app
            self.minutes = 0
        if self.minutes > 0:
            QApplication.instance().installEventFilter(self)
            self.timer.start(self.minutes * 60_000)

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        if event.type() in (QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove):
            self.timer.start(self.minutes * 60_000)
        return False

    def lock(self) -> None:
        from desktop_crm.ui.admin.unlock_dialog import UnlockDialog

        self.window.hide()
        for win in self.window.windows.values():
            win.hide()
        if UnlockDialog(self.window.ctx).exec():
            self.window.show()
            for win in self.window.windows.values():
                win.show()
            self.timer.start(self.minutes * 60_000)
        else:
            QApplication.instance().quit()


def _role_label(role: str) -> str:
    from desktop_crm.core.enums import ROLE

    return ROLE.label(role)
