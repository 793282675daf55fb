"""What a person sees when something unexpected goes wrong: a plain message, where the details
are (the log file), and a button that copies them for whoever helps — never a traceback, and the
app keeps running. `install` routes every uncaught exception (GUI thread, Qt slots, other
threads) here."""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm import __version__
from desktop_crm.core import logs
from desktop_crm.core.i18n import _


def details_of(exc: BaseException) -> str:
    """The text "copy details" puts on the clipboard: version, platform and the traceback."""
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return f"Desktop CRM {__version__} · Python {sys.version.split()[0]} · {sys.platform}\n\n{trace}"


class ErrorDialog(QDialog):
    def __init__(self, exc: BaseException, log_file: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Desktop CRM — Something went wrong"))
        self.details = details_of(exc)
        layout = QVBoxLayout(self)
        message = QLabel(_("Something went wrong and this action could not be finished. Your data is safe: "
                           "nothing was saved half-way. You can go on working.") + "\n\n"
                         + _("What happened: {error}").format(error=str(exc).splitlines()[0] if str(exc)
                                                                 else type(exc).__name__))
        message.setObjectName("message")
        message.setWordWrap(True)
        layout.addWidget(message)
        where = _("The details are in the log file:\n{path}").format(path=log_file) if log_file else \
            _("The details could not be written to a log file; use “Copy details”.")
        self.where = QLabel(where)
        self.where.setObjectName("log_path")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.where)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        buttons.button(QDialogButtonBox.Ok).setText(_("OK"))
        self.copy = QPushButton(_("Copy details"))
        self.copy.setObjectName("copy_details")
        buttons.addButton(self.copy, QDialogButtonBox.ActionRole)
        self.copy.clicked.connect(self.copy_details)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy.setText(_("Copied"))


def report(exc: BaseException, parent: QWidget | None = None, what: str = "the app") -> None:
    """Log an unexpected error and show it (modal, on the GUI thread)."""
    path = logs.record_unexpected(exc, what)
    if QApplication.instance() is None:
        return
    ErrorDialog(exc, path, parent or QApplication.activeWindow()).exec()


class _Relay(QObject):
    """Brings errors of other threads to the GUI thread."""

    raised = Signal(object)


_relay: _Relay | None = None


def install() -> None:
    """Send every uncaught exception to `report` instead of stderr."""
    global _relay
    _relay = _Relay()
    _relay.raised.connect(lambda exc: report(exc, what="a background thread"), Qt.QueuedConnection)

    def on_gui_thread(kind, exc, tb) -> None:  # noqa: ANN001
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        report(exc.with_traceback(tb))

    def on_other_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and _relay is not None:
            _relay.raised.emit(args.exc_value)

    sys.excepthook = on_gui_thread
    threading.excepthook = on_other_thread
