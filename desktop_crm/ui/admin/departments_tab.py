"""Departments: list, add, rename, deactivate."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users


class DepartmentsTab(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        for text, slot in ((_("Add…"), self.add), (_("Rename…"), self.rename), (_("Activate / deactivate"), self.toggle)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Department"), _("Users"), _("In use")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        layout.addWidget(self.table)
        self.rows: list = []
        self.refresh()

    def refresh(self) -> None:
        self.rows = users.list_departments(self.ctx)
        self.table.setRowCount(len(self.rows))
        for i, d in enumerate(self.rows):
            for j, text in enumerate((d.name, str(d.users), _("Yes") if d.active else _("No"))):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def _selected(self):  # noqa: ANN202
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _save(self, name: str, dept_id: int | None, active: bool = True) -> None:
        try:
            users.save_department(self.ctx, name, department_id=dept_id, active=active)
        except CrmError as exc:
            QMessageBox.warning(self, _("Departments"), str(exc))
            return
        self.refresh()
        self.changed.emit()

    def add(self) -> None:
        name, ok = QInputDialog.getText(self, _("Add department"), _("Name"))
        if ok:
            self._save(name, None)

    def rename(self) -> None:
        d = self._selected()
        if d is None:
            return
        name, ok = QInputDialog.getText(self, _("Rename department"), _("Name"), text=d.name)
        if ok:
            self._save(name, d.id, d.active)

    def toggle(self) -> None:
        d = self._selected()
        if d is not None:
            self._save(d.name, d.id, not d.active)
