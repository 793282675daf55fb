"""The small progress object long work accepts (ARCHITECTURE rule 5)."""

from __future__ import annotations

from typing import Protocol

from desktop_crm.core.errors import Cancelled


class Progress(Protocol):
    def step(self, done: int, total: int | None = None, message: str = "") -> None: ...

    def cancelled(self) -> bool: ...


class NullProgress:
    def step(self, done: int, total: int | None = None, message: str = "") -> None:
        return None

    def cancelled(self) -> bool:
        return False


def check(progress: Progress | None, done: int, total: int | None = None, message: str = "") -> None:
    """Report progress and raise Cancelled if the user asked to stop."""
    if progress is None:
        return
    if progress.cancelled():
        raise Cancelled()
    progress.step(done, total, message)


class LatestProgress:
    """Keeps the latest step for another thread to show (a timer reads `latest`)."""

    def __init__(self) -> None:
        self.latest: tuple[int, int | None, str] | None = None

    def step(self, done: int, total: int | None = None, message: str = "") -> None:
        self.latest = (done, total, message)  # one assignment: readers see a whole step

    def cancelled(self) -> bool:
        return False
