"""Administration → Backups: the list of backups, "Back up now", "Restore…" (with confirmation), "Check"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.i18n import N_, _
from desktop_crm.core.services import safety
from desktop_crm.ui.tasks import run_task

REASONS = {"daily": N_("Daily"), "manual": N_("Manual"), "pre-upgrade": N_("Before upgrade"),
           "before-restore": N_("Before restore")}


class BackupPage(QWidget):
    def __init__(self, ctx, nav, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.setWindowTitle(_("Backups"))
        layout = QVBoxLayout(self)
        self.intro = QLabel(_(
            "A checked backup is written automatically once a day at start and before every upgrade; the newest "
            "ones are kept (Settings → Backups to keep). Restoring keeps the current data as a backup first."))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        bar = QHBoxLayout()
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button = QPushButton(_("Restore…"))
        self.restore_button.clicked.connect(lambda: self.restore())
        self.check_button = QPushButton(_("Check database"))
        self.check_button.clicked.connect(self.check)
        for b in (self.backup_button, self.restore_button, self.check_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Made at"), _("Kind"), _("Size"), _("File")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.doubleClicked.connect(lambda *_a: self.restore(self._selected()))
        layout.addWidget(self.table)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.rows: list[safety.BackupInfo] = []
        self.refresh()

    def refresh(self) -> None:
        self.rows = safety.list_backups(self.ctx)
        self.table.setRowCount(len(self.rows))
        for i, b in enumerate(self.rows):
            kind = _(REASONS[b.reason]) if b.reason in REASONS else b.reason
            cells = (f"{b.made_at:%Y-%m-%d %H:%M:%S}", kind, _("{n} KB").format(n=max(1, b.size // 1024)), str(b.path))
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        if self.rows:
            self.table.selectRow(0)

    def _selected(self) -> Path | None:
        row = self.table.currentRow()
        return self.rows[row].path if 0 <= row < len(self.rows) else None

    def back_up(self) -> None:
        def done(info: object) -> None:
            self.refresh()
            self.status.setText(_("Backup written and checked: {path}").format(path=info.path))  # type: ignore[attr-defined]

        run_task(self, _("Backing up…"), lambda p: safety.backup_now(self.ctx), done)

    def restore(self, path: Path | None = None) -> None:
        """Restore `path`, or a file chosen in a dialog (opened on the selected backup)."""
        if path is None:
            start = self._selected()
            chosen, _f = QFileDialog.getOpenFileName(self, _("Restore from a backup"), str(start or ""),
                                                     _("Backups (*.sqlite3 *.crmarchive);;All files (*)"))
            if not chosen:
                return
            path = Path(chosen)
        answer = self.confirm(path)
        if answer != QMessageBox.Yes:
            return
        self._run_restore(path)

    def confirm(self, path: Path) -> int:
        return QMessageBox.warning(
            self, _("Restore the database?"),
            _("Replace ALL data of the database by the backup\n{path}?\n\nEveryone's changes since that backup "
              "are replaced. The current data is kept as a backup first, so this can be undone. Other desks "
              "should close the app before you go on.").format(path=path),
            QMessageBox.Yes | QMessageBox.Cancel, QMessageBox.Cancel)

    def _run_restore(self, path: Path) -> None:
        def done(result: object) -> None:
            self.refresh()
            kept = getattr(result, "kept", None)
            QMessageBox.information(self, _("Restored"), _(
                "The database was restored from {path}.\nThe replaced data was kept as {kept}.").format(
                path=path, kept=kept or "-"))
            if hasattr(self.nav, "refresh_views"):
                self.nav.refresh_views()

        run_task(self, _("Restoring…"), lambda p: safety.restore(self.ctx, path), done)

    def check(self) -> None:
        def done(report: object) -> None:
            lines = [f"{'✔' if i.ok else '✘'} {i.name}: {i.detail}" for i in report.items]  # type: ignore[attr-defined]
            self.status.setText("\n".join(lines))
            if not report.ok:  # type: ignore[attr-defined]
                QMessageBox.critical(self, _("Check database"), "\n".join(lines) + "\n\n" + _(
                    "Restore the latest good backup (Restore…)."))

        run_task(self, _("Checking the database…"), lambda p: safety.check(self.ctx), done)
