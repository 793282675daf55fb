"""Work done once a day at start-up, in the background: a checked backup (admin desks
of a SQLite database), pruning old backups, and recomputing grades when due."""

from __future__ import annotations

import importlib

from desktop_crm.core.i18n import _
from desktop_crm.core.services.context import Ctx
from desktop_crm.ui.tasks import run_task


def _jobs(ctx: Ctx, progress) -> list[str]:  # noqa: ANN001
    done: list[str] = []
    try:
        safety = importlib.import_module("desktop_crm.core.services.safety")
    except ModuleNotFoundError:
        safety = None
    if safety is not None:
        made = safety.daily_backup_if_due(ctx)
        if made:
            done.append(_("Daily backup written: {path}").format(path=made))
    try:
        grading = importlib.import_module("desktop_crm.core.services.grading")
    except ModuleNotFoundError:
        grading = None
    if grading is not None and hasattr(grading, "recompute_if_due"):
        if grading.recompute_if_due(ctx):
            done.append(_("Customer grades recomputed."))
    return done


def run(window, ctx: Ctx) -> None:  # noqa: ANN001
    def finished(messages: object) -> None:
        if messages:
            window.notify("  ".join(messages))  # type: ignore[arg-type]

    run_task(window, _("Daily jobs"), lambda p: _jobs(ctx, p), finished,
             on_error=lambda exc: window.notify(_("Daily jobs failed: {error}").format(error=exc)),
             show_dialog=False)
