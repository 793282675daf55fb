"""Administrators edit the phrasebook: per language, each situation's phrases, what to say and what not."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _, current_language
from desktop_crm.core.services import phrasebook
from desktop_crm.ui.customers.common import fill_table, readonly_table

LANG_LABELS = {"zh_CN": "中文", "en": "English"}


class PhrasebookEditor(QDialog):
    def __init__(self, ctx, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Phrasebook"))
        self.resize(980, 620)
        self.phrase_id: int | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Language:")))
        self.lang = QComboBox()
        for key, label in LANG_LABELS.items():
            self.lang.addItem(label, key)
        self.lang.setCurrentIndex(0 if current_language() == "zh_CN" else 1)
        top.addWidget(self.lang)
        top.addStretch(1)
        self.reset_button = QPushButton(_("Reset to shipped phrases…"))
        top.addWidget(self.reset_button)
        layout.addLayout(top)
        self.table = readonly_table([_("Situation"), "#", _("Say"), _("Never say"), _("In use")])
        self.table.setObjectName("phrase_table")
        layout.addWidget(self.table, 1)

        form = QFormLayout()
        self.situation = QComboBox()
        for key in phrasebook.SITUATIONS:
            self.situation.addItem(phrasebook.situation_label(key), key)
        self.position = QSpinBox()
        self.position.setRange(0, 999)
        self.say = QPlainTextEdit()
        self.say.setObjectName("phrase_say")
        self.say.setMaximumHeight(80)
        self.say.setTabChangesFocus(True)
        self.avoid = QPlainTextEdit()
        self.avoid.setObjectName("phrase_avoid")
        self.avoid.setMaximumHeight(50)
        self.avoid.setTabChangesFocus(True)
        self.active = QCheckBox(_("In use"))
        self.active.setChecked(True)
        form.addRow(_("Situation"), self.situation)
        form.addRow(_("Order"), self.position)
        form.addRow(_("Say"), self.say)
        form.addRow(_("Never say"), self.avoid)
        form.addRow("", self.active)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(_("New phrase"))
        self.save_button = QPushButton(_("Save"))
        self.delete_button = QPushButton(_("Delete"))
        close = QPushButton(_("Close"))
        for b in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.lang.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.itemSelectionChanged.connect(self._selected)
        self.new_button.clicked.connect(self.clear_form)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.reset_button.clicked.connect(self.reset)
        close.clicked.connect(self.accept)
        self.reload()

    def reload(self) -> None:
        self.rows = phrasebook.phrases(self.ctx, self.lang.currentData(), include_inactive=True)
        fill_table(self.table, [(phrasebook.situation_label(p.situation), p.position, p.say, p.avoid,
                                 _("Yes") if p.active else _("No")) for p in self.rows],
                   data=[p.id for p in self.rows], widths=[110, 40, 470, 220])
        self.clear_form()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        p = self.rows[rows[0].row()]
        self.phrase_id = p.id
        self.situation.setCurrentIndex(max(self.situation.findData(p.situation), 0))
        self.position.setValue(p.position)
        self.say.setPlainText(p.say)
        self.avoid.setPlainText(p.avoid)
        self.active.setChecked(p.active)
        self.delete_button.setEnabled(True)

    def clear_form(self) -> None:
        self.phrase_id = None
        self.table.clearSelection()
        self.say.clear()
        self.avoid.clear()
        self.position.setValue(0)
        self.active.setChecked(True)
        self.delete_button.setEnabled(False)
        self.error.setVisible(False)

    def save(self) -> None:
        try:
            phrasebook.save(self.ctx, phrase_id=self.phrase_id, situation=self.situation.currentData(),
                            lang=self.lang.currentData(), say=self.say.toPlainText(),
                            avoid=self.avoid.toPlainText(), position=self.position.value() or None,
                            active=self.active.isChecked())
        except (ValidationError, CrmError) as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        self.reload()

    def delete(self) -> None:
        if self.phrase_id is None:
            return
        if QMessageBox.question(self, _("Phrasebook"), _("Delete this phrase?")) != QMessageBox.Yes:
            return
        phrasebook.delete(self.ctx, self.phrase_id)
        self.reload()

    def reset(self) -> None:
        if QMessageBox.question(self, _("Phrasebook"), _("Replace every phrase by the shipped ones?"),
                                defaultButton=QMessageBox.No) != QMessageBox.Yes:
            return
        phrasebook.reset_to_shipped(self.ctx)
        self.reload()

