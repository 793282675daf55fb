"""The log file: details of what went wrong, where a person gets one plain line or a dialog.

Logs go to `desktop-crm.log` in the `logs` folder of the user data folder, rotated at 1 MB with
five old files kept. If that folder cannot be written, logging goes to stderr and the app runs on.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from desktop_crm.core.paths import user_data_dir

FILE_NAME = "desktop-crm.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"
_handler: logging.Handler | None = None
_path: Path | None = None


def log_path() -> Path:
    return user_data_dir() / "logs" / FILE_NAME


def setup(level: int = logging.INFO) -> Path | None:
    """Send the app's log records to the rotating file (once per process); returns its path,
    or None when only stderr could be used."""
    global _handler, _path
    root = logging.getLogger()
    if _handler is not None and _handler in root.handlers:
        return _path
    try:
        _path = log_path()
        _path.parent.mkdir(parents=True, exist_ok=True)
        _handler = logging.handlers.RotatingFileHandler(_path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                        encoding="utf-8", delay=True)
    except OSError:
        _path = None
        _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(_handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return _path


def record_unexpected(exc: BaseException, what: str) -> Path | None:
    """Write an unexpected error with its traceback to the log; returns the log file's path."""
    path = setup()
    logging.getLogger("desktop_crm").error("unexpected error in %s", what, exc_info=(type(exc), exc, exc.__traceback__))
    if _handler is not None:
        _handler.flush()
    return path
