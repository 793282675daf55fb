"""Possible duplicates found on create: list them; Save anyway, Open existing or Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from desktop_crm.core.i18n import _


class DuplicateDialog(QDialog):
    """`choice` is "save", "open" (with `chosen_id`) or None."""

    def __init__(self, matches: list[dict], parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.choice: str | None = None
        self.chosen_id: int | None = None
        self.setWindowTitle(_("Possible duplicates"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(_("These customers have the same mobile, email, credit code or name:"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        for m in matches:
            item = QListWidgetItem(f"{m['code']}   {m['name']}")
            item.setData(Qt.UserRole, m["id"])
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self.open_existing())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.save_button = buttons.addButton(_("Save anyway"), QDialogButtonBox.AcceptRole)
        self.open_button = buttons.addButton(_("Open existing"), QDialogButtonBox.ActionRole)
        self.save_button.clicked.connect(self.save_anyway)
        self.open_button.clicked.connect(self.open_existing)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save_anyway(self) -> None:
        self.choice = "save"
        self.accept()

    def open_existing(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.choice, self.chosen_id = "open", item.data(Qt.UserRole)
        self.accept()
