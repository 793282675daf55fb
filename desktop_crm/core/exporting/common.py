"""Small helpers the writers share: progress ticking, atomic files, text widths."""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop_crm.core.errors import Cancelled

TICK_ROWS = 1000


class Ticker:
    """Adapts the core `progress` object (`step(done, total)`, `cancelled()`); None is allowed.

    `tick(n)` reports every TICK_ROWS rows and raises `Cancelled` when asked to stop.
    """

    def __init__(self, progress: Any, total: int):
        self.progress = progress
        self.total = max(int(total), 1)
        self.done = 0
        self._next = TICK_ROWS

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and self.done >= self._next:
            self._next = self.done + TICK_ROWS
            self._report()

    def check(self) -> None:
        if self.progress is not None:
            self._report()

    def finish(self) -> None:
        if self.progress is not None:
            self.progress.step(self.total, self.total)

    def _report(self) -> None:
        cancelled = getattr(self.progress, "cancelled", None)
        if cancelled is not None and cancelled():
            raise Cancelled()
        self.progress.step(min(self.done, self.total), self.total)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; move it into place only when the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def display_width(text: str) -> int:
    """Width in character cells: East Asian wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
