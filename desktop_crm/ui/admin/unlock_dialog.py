"""The idle lock: the same user enters their password to continue."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users


class UnlockDialog(QDialog):
    def __init__(self, ctx, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Desktop CRM is locked"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Locked after a period without activity. Enter the password of {user}.")
                                .format(user=ctx.actor.username)))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        layout.addWidget(self.password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(_("Unlock"))
        buttons.button(QDialogButtonBox.Cancel).setText(_("Quit"))
        buttons.accepted.connect(self.unlock)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def unlock(self) -> None:
        try:
            users.authenticate(self.ctx.db, self.ctx.actor.username, self.password.text())
        except CrmError as exc:
            self.error.setText(str(exc))
            self.password.selectAll()
            return
        self.accept()
