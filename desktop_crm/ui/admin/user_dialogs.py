"""Create/edit a user; deactivate a user with the handover of their customers in the same step."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from desktop_crm.core.enums import ROLE
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


class UserDialog(QDialog):
    def __init__(self, ctx, user: users.UserView | None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_("New user") if user is None else _("Edit user {name}").format(name=user.username))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.username = QLineEdit(user.username if user else "")
        self.username.setEnabled(user is None)
        self.display = QLineEdit(user.display_name if user else "")
        self.role = QComboBox()
        for key in ROLE.keys:
            self.role.addItem(ROLE.label(key), key)
        self.role.setCurrentIndex(ROLE.keys.index(user.role) if user else ROLE.keys.index("staff"))
        self.department = QComboBox()
        self.department.addItem(_("(none)"), None)
        for d in users.list_departments(ctx):
            self.department.addItem(d.name, d.id)
            if user and user.department_id == d.id:
                self.department.setCurrentIndex(self.department.count() - 1)
        self.email = QLineEdit(user.email or "" if user else "")
        self.phone = QLineEdit(user.phone or "" if user else "")
        self.can_export = QCheckBox(_("May export (read-only users)"))
        self.can_export.setChecked(bool(user and user.can_export))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        form.addRow(_("User name"), self.username)
        form.addRow(_("Name"), self.display)
        form.addRow(_("Role"), self.role)
        form.addRow(_("Department"), self.department)
        form.addRow(_("Email"), self.email)
        form.addRow(_("Phone"), self.phone)
        form.addRow("", self.can_export)
        if user is None:
            form.addRow(_("Password"), self.password)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        labels = {"username": _("User name"), "role": _("Role"), "password": _("Password"),
                  "department": _("Department")}
        try:
            if self.user is None:
                users.create_user(self.ctx, self.username.text(), self.role.currentData(), self.password.text(),
                                  department_id=self.department.currentData(), display_name=self.display.text(),
                                  email=self.email.text() or None, phone=self.phone.text() or None,
                                  can_export=self.can_export.isChecked())
            else:
                users.update_user(self.ctx, self.user.id, role=self.role.currentData(),
                                  department_id=self.department.currentData(), display_name=self.display.text(),
                                  email=self.email.text(), phone=self.phone.text(),
                                  can_export=self.can_export.isChecked())
        except ValidationError as exc:
            self.error.setText("\n".join(f"{labels.get(k, k)}: {m}" for k, m in exc.errors.items()))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class DeactivateDialog(QDialog):
    """Deactivation locks the account at once; their customers go to a colleague or the pool."""

    def __init__(self, ctx, user: users.UserView, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_("Deactivate {name}").format(name=user.username))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{name} owns {n} customers. They are handed over in the same step.")
                                .format(name=user.username, n=user.customers)))
        form = QFormLayout()
        self.target = QComboBox()
        self.target.setObjectName("handover_to")
        self.target.addItem(_("Customer pool"), None)
        for u in users.list_users(ctx, include_inactive=False):
            if u.id != user.id:
                self.target.addItem(f"{u.display_name or u.username} ({u.username})", u.id)
        self.reason = QLineEdit(_("Handover: {user} left").format(user=user.username))
        form.addRow(_("Hand customers over to"), self.target)
        form.addRow(_("Reason"), self.reason)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(_("Deactivate"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            users.deactivate_user(self.ctx, self.user.id, handover_to=self.target.currentData(),
                                  reason=self.reason.text())
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
