"""Transfer (转交) one customer or a selection to a user or the customer pool, with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import transfers
from desktop_crm.ui.customers.common import ERROR_STYLE, error_label, user_choices


class TransferDialog(QDialog):
    def __init__(self, ctx, customer_ids: list[int], parent=None, *, label: str = ""):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.ids = ctx, list(customer_ids)
        self.moved = 0
        self.setWindowTitle(_("Transfer customers"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        what = label or _("{n} selected customers").format(n=len(self.ids))
        intro = QLabel(_("Hand over {what} to another user or to the customer pool.").format(what=what))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.to = QComboBox()
        for value, text in user_choices(ctx):
            self.to.addItem(text, value)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(_("Why is the customer handed over?"))
        self.reason.setMaximumHeight(80)
        self.reason.setTabChangesFocus(True)
        self.reason_error = QLabel()
        self.reason_error.setStyleSheet(ERROR_STYLE)
        form.addRow(_("Transfer to"), self.to)
        form.addRow(_("Reason"), self.reason)
        form.addRow("", self.reason_error)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(_("Transfer"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def target(self) -> int | None:
        value = self.to.currentData()
        return None if value == "pool" else int(value)

    def save(self) -> None:
        self.reason_error.clear()
        self.error.clear()
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.reason_error.setText(_("is required for a transfer"))
            return
        try:
            self.moved = transfers.transfer(self.ctx, self.ids, self.target(), reason)
        except ValidationError as exc:
            if "reason" in exc.errors:
                self.reason_error.setText(exc.errors["reason"])
            self.error.setText("; ".join(v for k, v in exc.errors.items() if k != "reason"))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
