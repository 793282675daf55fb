"""Log an interaction (跟进记录) in a few keystrokes: channel, kind, summary, outcome, next follow-up."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import INTERACTION_CHANNEL, INTERACTION_KIND
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import contacts, customers, interactions

ERROR_STYLE = "color: #b00020; font-size: 9pt;"


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class InteractionDialog(QDialog):
    def __init__(self, ctx, customer_id: int, parent: QWidget | None = None, *, kind: str = "follow_up"):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        self.result_view = None
        c = customers.get_customer(ctx, customer_id)
        self.setWindowTitle(_("Log interaction — {code} {name}").format(code=c.code, name=c.values.get("name", "")))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.channel = QComboBox()
        for key in INTERACTION_CHANNEL.keys:
            self.channel.addItem(INTERACTION_CHANNEL.label(key), key)
        self.kind = QComboBox()
        for key in INTERACTION_KIND.keys:
            self.kind.addItem(INTERACTION_KIND.label(key), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.contact = QComboBox()
        self.contact.addItem(_("(none)"), None)
        for k in contacts.list_contacts(ctx, customer_id):
            self.contact.addItem(str(k["name"]), k.id)
        self.summary = QLineEdit()
        self.summary.setPlaceholderText(_("What was said or done"))
        self.outcome = QPlainTextEdit()
        self.outcome.setMaximumHeight(70)
        self.outcome.setTabChangesFocus(True)
        self.has_next = QCheckBox(_("Next follow-up on"))
        self.next = QDateEdit(qdate(date.today()))
        self.next.setCalendarPopup(True)
        self.next.setDisplayFormat("yyyy-MM-dd")
        self.next.setEnabled(False)
        self.has_next.toggled.connect(self.next.setEnabled)
        nxt = QHBoxLayout()
        nxt.addWidget(self.has_next)
        nxt.addWidget(self.next, 1)
        self.errors = {key: error_label() for key in ("channel", "kind", "summary", "next_follow_up", "contact", "at")}
        form.addRow(_("Channel"), self.channel)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Contact"), self.contact)
        form.addRow(_("Summary"), self.summary)
        form.addRow("", self.errors["summary"])
        form.addRow(_("Outcome"), self.outcome)
        form.addRow(_("Follow-up"), nxt)
        form.addRow("", self.errors["next_follow_up"])
        layout.addLayout(form)
        self.general = error_label()
        layout.addWidget(self.general)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.summary.setFocus()

    def save(self) -> None:
        for label in (*self.errors.values(), self.general):
            label.hide()
        try:
            self.result_view = interactions.log_interaction(
                self.ctx, self.customer_id, channel=self.channel.currentData(), kind=self.kind.currentData(),
                summary=self.summary.text(), outcome=self.outcome.toPlainText(), contact_id=self.contact.currentData(),
                next_follow_up=pydate(self.next.date()) if self.has_next.isChecked() else None)
        except ValidationError as exc:
            for key, message in exc.errors.items():
                label = self.errors.get(key, self.general)
                label.setText(message if label is not self.general else f"{key}: {message}")
                label.show()
            return
        except CrmError as exc:
            self.general.setText(str(exc))
            self.general.show()
            return
        self.accept()
