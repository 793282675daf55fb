"""Administration (admins): users, departments, and the further admin pages of other areas."""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop_crm.core.i18n import _
from desktop_crm.ui.admin.departments_tab import DepartmentsTab
from desktop_crm.ui.admin.users_tab import UsersTab

# Further pages ("module:Class", built as Class(ctx, nav, parent)) added by other areas.
EXTRA_PAGES: list[str] = [
    "desktop_crm.ui.admin.backup_page:BackupPage",
    "desktop_crm.ui.admin.audit_page:AuditPage",
    "desktop_crm.ui.workplan.pool_rules_page:PoolRulesPage",
    "desktop_crm.ui.workplan.jobs_page:JobsPage",
]


class AdminView(QWidget):
    def __init__(self, ctx, nav, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.users = UsersTab(ctx, nav, self)
        self.departments = DepartmentsTab(ctx, self)
        self.tabs.addTab(self.users, _("Users"))
        self.tabs.addTab(self.departments, _("Departments"))
        for target in EXTRA_PAGES:
            module, name = target.split(":")
            try:
                cls = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                continue
            page = cls(ctx, nav, self)
            self.tabs.addTab(page, page.windowTitle())
        self.departments.changed.connect(self.users.refresh)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.users.refresh()
        self.departments.refresh()
