"""Asks for what one move of the state machine needs (reason, plan, result, compensation, informed at,
satisfaction), plus a note and when; the service decides."""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import complaint_workflow
from desktop_crm.core.services.complaint_workflow import Move
from desktop_crm.ui.complaints import common

SATISFACTION = [(5, "5 — " + "★★★★★"), (4, "4 — ★★★★"), (3, "3 — ★★★"), (2, "2 — ★★"), (1, "1 — ★")]


class MoveDialog(QDialog):
    def __init__(self, ctx, complaint_id: int, version: int, move: Move, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.complaint_id, self.version, self.move = ctx, complaint_id, version, move
        self.setWindowTitle(_(move.label))
        self.resize(520, 300)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{current} → {target}").format(
            current=common.text_of("status", move.from_states[0]) if len(move.from_states) == 1
            else " / ".join(common.text_of("status", s) for s in move.from_states),
            target=common.text_of("status", move.to_state))))
        form = QFormLayout()
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        for need in move.needs:
            if need in ("reason", "solution_plan", "result"):
                w: QWidget = QPlainTextEdit()
                w.setTabChangesFocus(True)  # type: ignore[attr-defined]
                w.setMaximumHeight(80)
            elif need == "compensation":
                w = QLineEdit("0.00")
            elif need == "customer_informed_at":
                w = QDateTimeEdit(QDateTime.currentDateTime())
                w.setDisplayFormat("yyyy-MM-dd HH:mm")  # type: ignore[attr-defined]
                w.setCalendarPopup(True)  # type: ignore[attr-defined]
            else:  # satisfaction
                w = QComboBox()
                w.addItem("", None)
                for score, label in SATISFACTION:
                    w.addItem(label, score)
            w.setObjectName(f"input_{need}")
            self._row(form, need, w)
        self.note = QPlainTextEdit()
        self.note.setObjectName("input_note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(60)
        self._row(form, "note", self.note)
        self.at = QDateTimeEdit(QDateTime.currentDateTime())
        self.at.setObjectName("input_at")
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setCalendarPopup(True)
        self._row(form, "at", self.at)
        self.opened_at = self.at.dateTime().toPython().replace(second=0, microsecond=0)
        layout.addLayout(form)
        self.general = QLabel()
        self.general.setStyleSheet("color: #b00020;")
        self.general.setWordWrap(True)
        self.general.setVisible(False)
        layout.addWidget(self.general)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(_(move.label))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _row(self, form: QFormLayout, key: str, w: QWidget) -> None:
        if key != "note" and key != "at":
            self.inputs[key] = w
        box = QVBoxLayout()
        box.setSpacing(1)
        box.addWidget(w)
        msg = QLabel()
        msg.setStyleSheet("color: #b00020; font-size: 9pt;")
        msg.setVisible(False)
        box.addWidget(msg)
        self.messages[key] = msg
        required = key in self.move.needs and key != "customer_informed_at"
        form.addRow(common.title(key) + (" *" if required else ""), box)

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, w in self.inputs.items():
            if isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText()
            elif isinstance(w, QLineEdit):
                out[key] = w.text()
            elif isinstance(w, QDateTimeEdit):
                out[key] = w.dateTime().toPython().replace(second=0, microsecond=0)
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
        return out

    def save(self) -> None:
        for msg in self.messages.values():
            msg.setVisible(False)
        self.general.setVisible(False)
        try:
            at = self.at.dateTime().toPython().replace(second=0, microsecond=0)
            complaint_workflow.move(self.ctx, self.complaint_id, self.move.to_state, note=self.note.toPlainText(),
                                    at=None if at == self.opened_at else at,
                                    version=self.version, **self.values())
        except ValidationError as exc:
            rest = []
            for key, text in exc.errors.items():
                if key in self.messages:
                    self.messages[key].setText(text)
                    self.messages[key].setVisible(True)
                else:
                    rest.append(f"{key}: {text}")
            if rest:
                self.general.setText("; ".join(rest))
                self.general.setVisible(True)
            return
        except CrmError as exc:
            self.general.setText(str(exc))
            self.general.setVisible(True)
            return
        self.accept()
