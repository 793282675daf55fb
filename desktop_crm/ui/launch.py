"""Start-up: paint the login window first, import and open the rest behind it.

Only PySide6.QtWidgets and the small i18n module are imported before the first
paint; SQLAlchemy, the services and the database open in a background thread
while the user types (cold start target ≤ 0.8 s to a painted login window).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

T0 = time.perf_counter()


def parse_gui_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="desktop-crm")
    p.add_argument("--db")
    p.add_argument("--user")
    p.add_argument("--lang", choices=["en", "zh_CN", "system"])
    p.add_argument("--demo", action="store_true",
                   help="on a new database, create the admin account and demo data")
    p.add_argument("--quit-after-paint", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


class Opener:
    """Opens the database in a worker thread; the login dialog waits on it when needed."""

    def __init__(self, url: str | None, demo: bool):
        self.url, self.demo = url, demo
        self.result = None
        self.error: BaseException | None = None
        self.log_file = None  # where an unexpected error's details were written
        self.demo_credentials: tuple[str, str] | None = None
        from desktop_crm.core.progress import LatestProgress

        self.progress = LatestProgress()  # the first run's demo, shown by the login dialog
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Opener:
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            from desktop_crm.core.app_setup import open_database

            self.result = open_database(self.url)
            from desktop_crm.core.services import dashboard

            dashboard.warm_up(self.result.db)  # compile the first screen's queries while the user types
            if self.demo:
                from desktop_crm.core.services import users

                if not users.has_users(self.result.db):
                    from desktop_crm.core.demo.first_run import create_demo_database

                    self.progress.step(0, None, "")
                    self.demo_credentials = create_demo_database(self.result.db, progress=self.progress)
        except BaseException as exc:  # noqa: BLE001 - shown by the login dialog
            self.error = exc
            from desktop_crm.core.errors import CrmError

            if not isinstance(exc, CrmError):  # unexpected: the details go to the log
                from desktop_crm.core import logs

                self.log_file = logs.record_unexpected(exc, "opening the database")
        finally:
            self.ready.set()


def run_gui(argv: list[str]) -> int:
    args = parse_gui_args(argv)
    from PySide6.QtWidgets import QApplication

    from desktop_crm.core import i18n

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Desktop CRM")
    app.setOrganizationName("DesktopCRM")
    from desktop_crm.ui import error_dialog

    error_dialog.install()  # an unexpected error: a plain dialog and the log, never a silent end
    opener = Opener(args.db, args.demo).start()
    lang = args.lang or _saved_language() or "system"
    i18n.set_language(lang)
    from desktop_crm.ui.app import install_fonts_and_translators

    install_fonts_and_translators(app, i18n.current_language())
    from desktop_crm.ui.login import LoginDialog

    dialog = LoginDialog(opener, default_user=args.user)
    dialog.show()
    if args.quit_after_paint:
        app.processEvents()
        dialog.repaint()
        print(f"login painted after {time.perf_counter() - T0:.3f} s", flush=True)
        return 0
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return 0
    from desktop_crm.ui.main_window import MainWindow

    window = MainWindow(dialog.ctx)
    window.show()
    window.after_login()
    return app.exec()


def _saved_language() -> str | None:
    from PySide6.QtCore import QSettings

    value = QSettings("DesktopCRM", "Desktop CRM").value("language")
    return str(value) if value else None
