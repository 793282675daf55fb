"""Set a password: one's own, or any user's for an administrator."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users


class PasswordDialog(QDialog):
    def __init__(self, ctx, user_id: int, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.user_id = ctx, user_id
        self.setWindowTitle(_("Set password"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.Password)
        form.addRow(_("New password"), self.password)
        form.addRow(_("Repeat password"), self.confirm)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        if self.password.text() != self.confirm.text():
            self.error.setText(_("The passwords do not match."))
            return
        try:
            users.reset_password(self.ctx, self.user_id, self.password.text())
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
