"""The one way to run long work off the GUI thread (ARCHITECTURE rule 5).

Core functions accept a `progress` object (`step(done, total, message)`,
`cancelled()`); `run_task` runs such a function in a worker thread, shows a
progress dialog with Cancel, and calls back on the GUI thread. Writes are
serialised: one worker thread runs at most one task at a time.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop_crm.core.errors import Cancelled, CrmError
from desktop_crm.core.i18n import _

_pool = QThreadPool()
_pool.setMaxThreadCount(1)  # writes are serialised through one worker


class TaskProgress:
    """Thread-safe progress handed to core code."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self.done, self.total, self.message = 0, 0, ""

    def step(self, done: int, total: int | None = None, message: str = "") -> None:
        with self._lock:
            self.done, self.message = done, message or self.message
            if total is not None:
                self.total = total

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def snapshot(self) -> tuple[int, int, str]:
        with self._lock:
            return self.done, self.total, self.message


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)


class _Runner(QRunnable):
    def __init__(self, fn: Callable[[TaskProgress], object], progress: TaskProgress):
        super().__init__()
        self.fn, self.progress, self.signals = fn, progress, _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


class Task(QObject):
    """A running task; keeps its runner and dialog alive until it ends."""

    done = Signal(object)
    error = Signal(object)

    def __init__(self, parent: QWidget | None, title: str, fn: Callable[[TaskProgress], object], *,
                 show_dialog: bool = True, delay_ms: int = 300):
        super().__init__(parent)
        self.progress = TaskProgress()
        self.runner = _Runner(fn, self.progress)
        self.runner.signals.finished.connect(self._finished, Qt.QueuedConnection)
        self.runner.signals.failed.connect(self._failed, Qt.QueuedConnection)
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            self.dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModal)
            self.dialog.setMinimumDuration(delay_ms)
            self.dialog.canceled.connect(self.progress.cancel)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.running = True

    def start(self) -> Task:
        _active.add(self)
        self.timer.start(100)
        _pool.start(self.runner)
        return self

    def _tick(self) -> None:
        if self.dialog is None:
            return
        done, total, message = self.progress.snapshot()
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if message:
            self.dialog.setLabelText(message)

    def _end(self) -> None:
        self.running = False
        self.timer.stop()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        _active.discard(self)

    def _finished(self, result: object) -> None:
        self._end()
        self.done.emit(result)

    def _failed(self, exc: object, trace: str) -> None:
        self._end()
        self.error.emit(exc)


_active: set[Task] = set()


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Errors meant for the user are shown as they are; anything else is logged and shown plainly,
    with the log file and a "copy details" button (never a traceback)."""
    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, CrmError):
        QMessageBox.warning(parent, _("Desktop CRM"), str(exc))
        return
    from desktop_crm.ui import error_dialog

    error_dialog.report(exc, parent, what="a background task")


def run_task(parent: QWidget | None, title: str, fn: Callable[[TaskProgress], object],
             on_done: Callable[[object], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None, *, show_dialog: bool = True) -> Task:
    """Run `fn(progress)` in the worker; `on_done(result)` / `on_error(exc)` on the GUI thread.
    Without `on_error`, errors are shown in a message box (Cancelled silently)."""
    task = Task(parent, title, fn, show_dialog=show_dialog)
    if on_done:
        task.done.connect(on_done)
    task.error.connect(on_error or (lambda exc: show_error(parent, exc)))
    return task.start()


def wait_idle(timeout_ms: int = 30000) -> bool:
    """Tests: wait until no task is running."""
    return _pool.waitForDone(timeout_ms)
