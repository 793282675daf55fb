"""An unexpected error in the GUI: a plain dialog with the log file and "copy details", the app
running on; never a traceback on screen."""

from __future__ import annotations

import sys
import threading

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget

from desktop_crm.core import logs
from desktop_crm.ui import error_dialog
from desktop_crm.ui.tasks import show_error


def _shown(monkeypatch) -> list[error_dialog.ErrorDialog]:  # noqa: ANN001
    shown = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: shown.append(self) or 0)
    return shown


def _boom() -> RuntimeError:
    try:
        raise RuntimeError("the printer exploded")
    except RuntimeError as exc:
        return exc


def test_an_unexpected_task_error_shows_a_plain_dialog_with_the_log_and_copyable_details(qtbot, monkeypatch):
    shown = _shown(monkeypatch)
    parent = QWidget()
    qtbot.addWidget(parent)
    show_error(parent, _boom())
    [dialog] = shown
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "the printer exploded" in texts and "Traceback" not in texts
    assert str(logs.log_path()) in dialog.where.text()
    dialog.copy.click()
    copied = QGuiApplication.clipboard().text()
    assert "Traceback" in copied and "the printer exploded" in copied and "_boom" in copied
    assert "the printer exploded" in logs.log_path().read_text(encoding="utf-8")


def test_uncaught_errors_of_the_gui_and_of_other_threads_reach_the_dialog(qtbot, monkeypatch):
    shown = _shown(monkeypatch)
    hooks = sys.excepthook, threading.excepthook
    try:
        error_dialog.install()
        exc = _boom()
        sys.excepthook(type(exc), exc, exc.__traceback__)
        assert len(shown) == 1
        worker = threading.Thread(target=lambda: 1 / 0)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
        assert "division by zero" in shown[1].details
    finally:
        sys.excepthook, threading.excepthook = hooks


def test_the_dialog_in_chinese(qtbot, monkeypatch):
    from desktop_crm.core import i18n

    i18n.set_language("zh_CN")
    dialog = error_dialog.ErrorDialog(_boom(), logs.log_path())
    qtbot.addWidget(dialog)
    assert "日志" in dialog.where.text() and dialog.copy.text() == "复制详细信息"
