"""Pin a grade (客户分级) manually with a note, or remove the pin (managers)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from desktop_crm.core.enums import GRADE
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import customers
from desktop_crm.ui.customers.common import ERROR_STYLE, error_label


class PinGradeDialog(QDialog):
    def __init__(self, ctx, detail, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle(_("Pin grade"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(_("A pinned grade is kept when grades are computed again."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.grade = QComboBox()
        self.grade.addItem(_("(not pinned: computed)"), None)
        for key in GRADE.keys:
            self.grade.addItem(GRADE.label(key), key)
        if detail["grade_pinned"]:
            self.grade.setCurrentIndex(max(self.grade.findData(detail["grade"]), 0))
        self.note = QPlainTextEdit(str(detail["grade_note"] or ""))
        self.note.setMaximumHeight(80)
        self.note.setTabChangesFocus(True)
        self.note_error = QLabel()
        self.note_error.setStyleSheet(ERROR_STYLE)
        form.addRow(_("Grade"), self.grade)
        form.addRow(_("Note"), self.note)
        form.addRow("", self.note_error)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        self.note_error.clear()
        try:
            customers.pin_grade(self.ctx, self.detail.id, self.grade.currentData(), self.note.toPlainText())
        except ValidationError as exc:
            self.note_error.setText(exc.errors.get("grade_note", ""))
            self.error.setText(exc.errors.get("grade", ""))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
