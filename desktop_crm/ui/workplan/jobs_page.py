"""Administration → Background jobs: the recent runs of the job runner (which job, on which desk,
when, what it did or why it failed) and "Run now"."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.workplan import jobs
from desktop_crm.ui.customers.common import fill_table, readonly_table
from desktop_crm.ui.tasks import run_task, show_error


class JobsPage(QWidget):
    def __init__(self, ctx, nav, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.setWindowTitle(_("Background jobs"))
        lay = QVBoxLayout(self)
        intro = QLabel(_("While the app is open it fires due reminders every 30 seconds. A run that failed is "
                         "tried again at the next one; with several desks on one database one desk runs a job at "
                         "a time. Offices may also schedule \"desktop-crm jobs run\"."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        bar = QHBoxLayout()
        self.run_button = QPushButton(_("Run now"))
        self.run_button.clicked.connect(self.run_now)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.run_button)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.table = readonly_table([_("Job"), _("Desk"), _("Started"), _("Finished"), _("Result")])
        self.table.setObjectName("job_runs")
        lay.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        try:
            runs = jobs.recent_runs(self.ctx)
        except CrmError as exc:
            show_error(self, exc)
            return
        names = {name: job.label for name, job in jobs.registry().items()}
        rows = [(names.get(r.job, r.job), r.desk, r.started_at, r.finished_at,
                 r.result if r.ok else _("failed: {error}").format(error=r.result or r.error.strip().splitlines()[-1]
                                                                   if (r.result or r.error) else "?"))
                for r in runs]
        fill_table(self.table, rows, widths=[110, 180, 150, 150])
        for i, r in enumerate(runs):
            if r.ok is False:
                self.table.item(i, 4).setForeground(QColor("#b00020"))

    def run_now(self) -> None:
        db = self.ctx.db
        run_task(self, _("Background jobs"), lambda _p: jobs.run_due(db, force=True), lambda _r: self.refresh(),
                 show_dialog=False)
