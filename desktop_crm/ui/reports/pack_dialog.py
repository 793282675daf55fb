"""The manager's monthly pack: a month, the reports (the remembered set), PDF or workbook."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QVBoxLayout,
)

from desktop_crm.core.i18n import _
from desktop_crm.core.reporting.builders import pack, registry
from desktop_crm.core.reporting.builders.params import add_months
from desktop_crm.ui.tasks import run_task, show_error


class PackDialog(QDialog):
    def __init__(self, ctx, nav, scope: str = "all", parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav, self.scope = ctx, nav, scope
        self.setWindowTitle(_("Monthly report pack"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.month = QDateEdit()
        self.month.setDisplayFormat("yyyy-MM")
        last = add_months(date.today().replace(day=1), -1)
        self.month.setDate(QDate(last.year, last.month, 1))
        form.addRow(_("Month:"), self.month)
        layout.addLayout(form)
        box = QGroupBox(_("Reports in the pack"))
        grid = QGridLayout(box)
        try:
            chosen = set(pack.chosen(ctx))
        except Exception:  # noqa: BLE001
            chosen = set(registry.REPORTS)
        self.checks: dict[str, QCheckBox] = {}
        for i, (key, d) in enumerate(registry.REPORTS.items()):
            check = QCheckBox(_(d.title))
            check.setChecked(key in chosen)
            grid.addWidget(check, i // 2, i % 2)
            self.checks[key] = check
        layout.addWidget(box)
        self.remember = QCheckBox(_("Remember this choice for everyone"))
        self.remember.setVisible(ctx.actor.at_least("manager") and ctx.actor.role != "viewer")
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.pdf_button = buttons.addButton(_("PDF…"), QDialogButtonBox.AcceptRole)
        self.xlsx_button = buttons.addButton(_("Excel…"), QDialogButtonBox.AcceptRole)
        self.pdf_button.clicked.connect(lambda: self.produce(".pdf"))
        self.xlsx_button.clicked.connect(lambda: self.produce(".xlsx"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def keys(self) -> list[str]:
        return [k for k, c in self.checks.items() if c.isChecked()]

    def month_text(self) -> str:
        d = self.month.date()
        return f"{d.year()}-{d.month():02d}"

    def produce(self, suffix: str, path: str | None = None) -> None:
        keys, month = self.keys(), self.month_text()
        if not keys:
            show_error(self, ValueError(_("Choose at least one report.")))
            return
        if path is None:
            filters = _("PDF document (*.pdf)") if suffix == ".pdf" else _("Excel workbook (*.xlsx)")
            path, _c = QFileDialog.getSaveFileName(self, _("Monthly report pack"), f"report-{month}{suffix}", filters)
            if not path:
                return
            if not path.lower().endswith(suffix):
                path += suffix
        try:
            if self.remember.isChecked():
                pack.remember(self.ctx, keys)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        ctx, scope, nav = self.ctx, self.scope, self.nav
        run_task(self.parent(), _("Producing the monthly pack…"),
                 lambda p: pack.write_pack(ctx, month, path, keys, scope, p),
                 on_done=lambda files: nav.notify(_("Saved {file}").format(file=", ".join(map(str, files)))))
        self.accept()
