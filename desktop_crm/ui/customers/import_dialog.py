"""Import customers, contacts, contracts or opportunities from .xlsx/.xls/.csv: file, mode, dry run; then the four counts
and a button to save the error workbook. The import runs in the background (ui/tasks)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from desktop_crm.core.i18n import N_, _
from desktop_crm.ui.customers.common import error_label
from desktop_crm.ui.tasks import run_task, show_error

MODE_LABELS = {"create": N_("Create new only"), "update": N_("Update existing only"),
               "upsert": N_("Create or update (by code)")}
KIND_LABELS = {"customers": N_("Customers"), "contacts": N_("Contacts"), "contracts": N_("Contracts"),
               "opportunities": N_("Opportunities"), "leads": N_("Leads")}


class ImportDialog(QDialog):
    def __init__(self, ctx, parent=None, kind: str = "customers"):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.import_result = None
        self.task = None
        self._tmp = tempfile.TemporaryDirectory(prefix="crm-import-")
        self.setWindowTitle(_("Import"))  # customers, contacts, contracts or opportunities
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind.addItem(_(label), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.path = QLineEdit()
        self.path.setPlaceholderText(_("An .xlsx, .xls or .csv file"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.mode = QComboBox()
        for key, label in MODE_LABELS.items():
            self.mode.addItem(_(label), key)
        self.dry_run = QCheckBox(_("Dry run: check the file, change nothing"))
        form.addRow(_("Records"), self.kind)
        form.addRow(_("File"), row)
        form.addRow(_("Mode"), self.mode)
        form.addRow("", self.dry_run)
        self.skip_invalid = QCheckBox(_("Import the good rows; leave out the rows with errors (kept in the error "
                                        "workbook)"))
        self.skip_invalid.setObjectName("skip_invalid")
        form.addRow("", self.skip_invalid)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(140)
        layout.addWidget(self.details, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.run_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ActionRole)
        self.save_errors_button = self.buttons.addButton(_("Save error workbook…"), QDialogButtonBox.ActionRole)
        self.save_errors_button.setVisible(False)
        self.run_button.clicked.connect(self.start)
        self.save_errors_button.clicked.connect(self.save_errors)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Choose a file to import"), "",
                                               _("Spreadsheets (*.xlsx *.xls *.csv);;All files (*)"))
        if path:
            self.path.setText(path)

    def errors_path(self) -> str:
        return str(Path(self._tmp.name) / "import-errors.xlsx")

    def start(self) -> None:
        path = self.path.text().strip()
        self.error.clear()
        if not path:
            self.error.setText(_("Choose a file first."))
            return
        from desktop_crm.core.importing import run_import

        ctx, kind, mode, dry, out = self.ctx, self.kind.currentData(), self.mode.currentData(), \
            self.dry_run.isChecked(), self.errors_path()
        skip = self.skip_invalid.isChecked()
        self.run_button.setEnabled(False)
        self.task = run_task(self, _("Importing…"),
                             lambda p: run_import(ctx, kind, path, mode=mode, dry_run=dry, errors_out=out, progress=p,
                                                  skip_invalid=skip),
                             on_done=self.on_finished, on_error=self.on_failed)

    def on_failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        from desktop_crm.core.errors import CrmError

        if isinstance(exc, CrmError):
            self.error.setText(str(exc))
        else:
            show_error(self, exc)

    def on_finished(self, result) -> None:  # noqa: ANN001
        self.import_result = result
        self.run_button.setEnabled(True)
        lines = [result.summary()]
        if result.dry_run:
            lines.append(_("Dry run: nothing was saved."))
        if result.cancelled:
            lines.append(_("Cancelled."))
        if getattr(result, "stopped", ""):
            lines.append(result.stopped)
        self.summary.setText("\n".join(lines))
        problems = self.error_lines(result) + [w if isinstance(w, str) else (w[1] if w[0] is None else
                                           _("row {n}: {problems}").format(n=w[0], problems=w[1]))
                                           for w in result.warnings]
        self.details.setPlainText("\n".join(problems[:500]))
        self.details.setVisible(bool(problems))
        has_book = bool(result.failed) and Path(result.errors_path or self.errors_path()).exists()
        self.save_errors_button.setVisible(has_book)

    def error_lines(self, result) -> list[str]:  # noqa: ANN001
        """Row problems with the field names as the user knows them."""
        from desktop_crm.core.services.customer_fields import CONTACT_FIELD, CUSTOMER_FIELD

        fields = CONTACT_FIELD if self.kind.currentData() == "contacts" else CUSTOMER_FIELD
        if self.kind.currentData() == "contacts":
            fields = {**fields, "customer_code": CUSTOMER_FIELD["code"]}
        if self.kind.currentData() in ("contracts", "opportunities", "leads"):  # their spec's column labels
            from desktop_crm.core.importing import get_spec

            columns = {c.key: _(c.label) for c in get_spec(self.kind.currentData()).columns if c.label}
            return [_("row {n}: {problems}").format(n=n, problems="; ".join(
                f"{columns.get(k, k)}: {v}" for k, v in errs.items())) for n, errs in result.errors]

        def label(key: str) -> str:
            return fields[key].title if key in fields else key

        return [_("row {n}: {problems}").format(n=n, problems="; ".join(f"{label(k)}: {v}" for k, v in errs.items()))
                for n, errs in result.errors]

    def save_errors(self, target: str | None = None) -> None:
        source = (self.import_result.errors_path if self.import_result else None) or self.errors_path()
        if target is None:
            target, _f = QFileDialog.getSaveFileName(self, _("Save error workbook"), "import-errors.xlsx",
                                                     _("Excel workbook (*.xlsx)"))
        if target:
            shutil.copyfile(source, target)

    def done(self, r: int) -> None:  # noqa: N802 - QDialog API
        super().done(r)
        self._tmp.cleanup()
