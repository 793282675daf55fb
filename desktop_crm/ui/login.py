"""The login window; on a database without users it creates the administrator."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
)

from desktop_crm.core.i18n import _


class LoginDialog(QDialog):
    def __init__(self, opener, default_user: str | None = None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.opener = opener
        self.ctx = None
        self.first_run = False
        self.setWindowTitle(_("Desktop CRM — Log in"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        self.heading = QLabel(_("Customer Relationship Management"))
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.info = QLabel(_("Opening the database…"))
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.busy = QProgressBar()  # the first run's demo business being made
        self.busy.setObjectName("demo_progress")
        self.busy.hide()
        layout.addWidget(self.busy)
        form = QFormLayout()
        self.user = QLineEdit(default_user or "")
        self.user.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.Password)
        self.confirm_label = QLabel(_("Repeat password"))
        form.addRow(_("User name"), self.user)
        form.addRow(_("Password"), self.password)
        form.addRow(self.confirm_label, self.confirm)
        self.confirm.hide()
        self.confirm_label.hide()
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(_("Log in"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(_("Quit"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if default_user else self.user).setFocus()
        self._poll = QTimer(self)
        self._poll.timeout.connect(self._check_ready)
        self._poll.start(50)

    def _check_ready(self) -> None:
        if not self.opener.ready.is_set():
            self._show_progress()
            return
        self._poll.stop()
        self.busy.hide()
        if self.opener.error is not None:
            text = str(self.opener.error) or type(self.opener.error).__name__
            if getattr(self.opener, "log_file", None):
                text += "\n" + _("Details: {path}").format(path=self.opener.log_file)
            self.info.setText(text)
            self.info.setStyleSheet("color: #b00020;")
            self.buttons.button(QDialogButtonBox.Ok).setEnabled(False)
            self.adjustSize()  # the whole message (with the way back) must be readable
            return
        from desktop_crm.core.services import users

        db = self.opener.result.db
        creds = self.opener.demo_credentials
        if creds:
            self.user.setText(creds[0])
            self.password.setText(creds[1])
            self.info.setText(_("Demo database created. Log in as {user} / {password}.").format(
                user=creds[0], password=creds[1]))
        elif not users.has_users(db):
            self.first_run = True
            self.setWindowTitle(_("Desktop CRM — First run"))
            self.info.setText(_("This is a new database. Create the administrator account."))
            self.user.setText(self.user.text() or "admin")
            self.confirm.show()
            self.confirm_label.show()
            self.buttons.button(QDialogButtonBox.Ok).setText(_("Create administrator"))
        else:
            self.info.setText(_("Database: {url}").format(url=_short_url(db.url)))
        warnings = getattr(self.opener.result, "warnings", None)
        if warnings:  # e.g. a SQLite file on a network share
            self.warning = QLabel("\n".join(warnings))
            self.warning.setObjectName("warning")
            self.warning.setWordWrap(True)
            self.warning.setStyleSheet("color: #a15c00; font-weight: bold;")
            self.layout().insertWidget(2, self.warning)
            QTimer.singleShot(0, self.adjustSize)

    def _show_progress(self) -> None:
        latest = getattr(getattr(self.opener, "progress", None), "latest", None)
        if latest is None:
            return
        done, total, message = latest
        self.busy.show()
        if total:
            self.busy.setRange(0, total)
            self.busy.setValue(done)
        else:
            self.busy.setRange(0, 0)  # a busy bar: no fraction to show
        self.info.setText(_("Creating the demo business: {step}…").format(step=message or _("users")))

    def submit(self) -> None:
        self.error.clear()
        if not self.opener.ready.is_set():
            self.error.setText(_("Still opening the database…"))
            QApplication.setOverrideCursor(Qt.WaitCursor)
            try:
                while not self.opener.ready.wait(0.05):
                    QApplication.processEvents()
            finally:
                QApplication.restoreOverrideCursor()
            self._check_ready()
        if self.opener.error is not None:
            return
        from desktop_crm.core.errors import CrmError
        from desktop_crm.core.services import users
        from desktop_crm.core.services.context import Ctx

        db = self.opener.result.db
        name, password = self.user.text().strip(), self.password.text()
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            if self.first_run:
                if password != self.confirm.text():
                    self.error.setText(_("The passwords do not match."))
                    return
                users.bootstrap_admin(db, name, password)
            self.ctx = Ctx(db, users.authenticate(db, name, password))
        except CrmError as exc:
            self.error.setText(str(exc))
            self.password.selectAll()
            self.password.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


def _short_url(url: str) -> str:
    return url.replace("sqlite:///", "") if url.startswith("sqlite:///") else url.split("@")[-1]
