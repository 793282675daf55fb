"""Managers edit the return-visit questionnaire (both languages, kind, order)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import N_, _, gettext
from desktop_crm.core.services import visits

KINDS = [("text", N_("Free text")), ("score", N_("Score 1–5")), ("yesno", N_("Yes / no"))]


class QuestionnaireDialog(QDialog):
    def __init__(self, ctx, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Return-visit questionnaire"))
        self.resize(900, 460)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The questions asked at every return visit, in the order shown.")))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Question (English)"), _("Question (Chinese)"), _("Answer")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setColumnWidth(2, 130)
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        for text, slot in ((_("Add"), self.add), (_("Remove"), self.remove), (_("Move up"), lambda: self.move(-1)),
                           (_("Move down"), lambda: self.move(1))):
            b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.keys: list[str] = []
        for q in visits.questionnaire(ctx):
            self._append(q["key"], q["en"], q.get("zh", ""), q.get("kind", "text"))

    def _append(self, key: str, en: str, zh: str, kind: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(en))
        self.table.setItem(row, 1, QTableWidgetItem(zh))
        combo = QComboBox()
        for k, label in KINDS:
            combo.addItem(gettext(label), k)
        combo.setCurrentIndex(max(0, [k for k, _l in KINDS].index(kind) if kind in dict(KINDS) else 0))
        self.table.setCellWidget(row, 2, combo)
        self.keys.append(key)

    def add(self) -> None:
        self._append("", "", "", "text")
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.editItem(self.table.item(self.table.rowCount() - 1, 0))

    def remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            del self.keys[row]

    def move(self, step: int) -> None:
        row = self.table.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < self.table.rowCount():
            return
        items = self.items()
        items[row], items[other] = items[other], items[row]
        self.table.setRowCount(0)
        self.keys = []
        for q in items:
            self._append(q["key"], q["en"], q["zh"], q["kind"])
        self.table.setCurrentCell(other, 0)

    def items(self) -> list[dict]:
        out = []
        for row in range(self.table.rowCount()):
            en = (self.table.item(row, 0).text() if self.table.item(row, 0) else "").strip()
            zh = (self.table.item(row, 1).text() if self.table.item(row, 1) else "").strip()
            key = self.keys[row] or (re.sub(r"[^a-z0-9]+", "_", en.lower()).strip("_")[:40] or f"q{row + 1}")
            out.append({"key": key, "en": en, "zh": zh, "kind": self.table.cellWidget(row, 2).currentData()})
        return out

    def save(self) -> None:
        try:
            visits.save_questions(self.ctx, self.items())
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
