"""Users: create, edit role/department, reset password, deactivate with handover."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import ROLE
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users
from desktop_crm.ui.admin.password_dialog import PasswordDialog
from desktop_crm.ui.admin.user_dialogs import DeactivateDialog, UserDialog


class UsersTab(QWidget):
    def __init__(self, ctx, nav, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (("add", _("New user…"), self.add), ("edit", _("Edit…"), self.edit),
                                ("password", _("Reset password…"), self.reset_password),
                                ("deactivate", _("Deactivate…"), self.deactivate),
                                ("handover", _("Handover wizard…"), self.handover)):
            b = QPushButton(text)
            b.setObjectName(f"user_{key}")
            b.clicked.connect(slot)
            bar.addWidget(b)
            self.buttons[key] = b
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([_("User name"), _("Name"), _("Role"), _("Department"),
                                              _("Customers"), _("In use"), _("Email")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.doubleClicked.connect(self.edit)
        layout.addWidget(self.table)
        self.rows: list[users.UserView] = []
        self.refresh()

    def refresh(self) -> None:
        self.rows = users.list_users(self.ctx, with_counts=True)
        self.table.setRowCount(len(self.rows))
        for i, u in enumerate(self.rows):
            values = (u.username, u.display_name, ROLE.label(u.role), u.department, str(u.customers),
                      _("Yes") if u.active else _("No"), u.email or "")
            for j, text in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def selected(self) -> users.UserView | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def add(self) -> None:
        if UserDialog(self.ctx, None, self).exec():
            self.refresh()

    def edit(self) -> None:
        u = self.selected()
        if u is not None and UserDialog(self.ctx, u, self).exec():
            self.refresh()

    def reset_password(self) -> None:
        u = self.selected()
        if u is not None and PasswordDialog(self.ctx, u.id, self).exec():
            QMessageBox.information(self, _("Users"), _("Password of {user} changed.").format(user=u.username))

    def handover(self) -> None:
        from desktop_crm.ui.visits.handover_wizard import HandoverWizard

        u = self.selected()
        HandoverWizard(self.ctx, self, user_id=u.id if u else None).exec()
        self.refresh()

    def deactivate(self) -> None:
        u = self.selected()
        if u is None or not u.active:
            return
        if DeactivateDialog(self.ctx, u, self).exec():
            self.refresh()
