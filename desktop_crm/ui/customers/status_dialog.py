"""Change the status (客户状态) of one customer or a selection: status, optional back-dated
time, reason (required for lost)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from desktop_crm.core.enums import CUSTOMER_STATUS
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import customers
from desktop_crm.ui.customers.common import ERROR_STYLE, error_label


class StatusDialog(QDialog):
    def __init__(self, ctx, customer_ids: list[int], current: str | None = None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.ids = ctx, list(customer_ids)
        self.setWindowTitle(_("Change status"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        if len(self.ids) > 1:
            layout.addWidget(QLabel(_("Change the status of {n} customers.").format(n=len(self.ids))))
        form = QFormLayout()
        self.status = QComboBox()
        for key in CUSTOMER_STATUS.keys:
            self.status.addItem(CUSTOMER_STATUS.label(key), key)
        if current:
            self.status.setCurrentIndex(max(self.status.findData(current), 0))
        self.backdate = QCheckBox(_("Back-dated to"))
        self.at = QDateTimeEdit(QDateTime.currentDateTime())
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setCalendarPopup(True)
        self.at.setMaximumDateTime(QDateTime.currentDateTime().addSecs(60))
        self.at.setEnabled(False)
        self.backdate.toggled.connect(self.at.setEnabled)
        when = QHBoxLayout()
        when.addWidget(self.backdate)
        when.addWidget(self.at, 1)
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(80)
        self.reason.setTabChangesFocus(True)
        self.reason_hint = QLabel()
        self.reason_hint.setStyleSheet(ERROR_STYLE)
        self.reason_hint.setWordWrap(True)
        form.addRow(_("New status"), self.status)
        form.addRow(_("When"), when)
        form.addRow(_("Reason"), self.reason)
        form.addRow("", self.reason_hint)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.status.currentIndexChanged.connect(self._placeholder)
        self._placeholder()

    def _placeholder(self) -> None:
        lost = self.status.currentData() == "lost"
        self.reason.setPlaceholderText(_("Required: why was the customer lost?") if lost else _("Optional"))

    def when(self) -> datetime | None:
        if not self.backdate.isChecked():
            return None
        return self.at.dateTime().toPython().replace(second=0, microsecond=0)

    def save(self) -> None:
        self.reason_hint.clear()
        self.error.clear()
        status, reason = self.status.currentData(), self.reason.toPlainText().strip()
        if status == "lost" and not reason:
            self.reason_hint.setText(_("is required when a customer is lost"))
            return
        try:
            customers.set_status(self.ctx, self.ids, status, at=self.when(), reason=reason or None)
        except ValidationError as exc:
            if "reason" in exc.errors:
                self.reason_hint.setText(exc.errors["reason"])
            other = {k: v for k, v in exc.errors.items() if k != "reason"}
            labels = {"at": _("When"), "status": _("New status")}
            self.error.setText("; ".join(f"{labels.get(k, k)}: {v}" for k, v in other.items()))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
