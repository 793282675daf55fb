"""Edit a complaint's record (not its workflow): channel, category, severity, order no, caller, the
customer's words and demand, root cause, and the claim (amount claimed, approved, paid date)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import complaints
from desktop_crm.core.services.complaints import ComplaintDetail
from desktop_crm.ui.complaints import common

ENUM_KEYS = ("channel", "category", "severity", "root_cause")
LINE_KEYS = ("order_no", "caller", "caller_phone", "claim_amount", "claim_approved", "claim_paid_on")
TEXT_KEYS = ("description", "demand")


class ComplaintEditDialog(QDialog):
    def __init__(self, ctx, detail: ComplaintDetail, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle(_("Edit complaint {number}").format(number=detail.number))
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.widgets: dict[str, object] = {}
        self.messages: dict[str, QLabel] = {}
        for key in ("channel", "category", "severity", "order_no", "caller", "caller_phone", "description",
                    "demand", "root_cause", "claim_amount", "claim_approved", "claim_paid_on"):
            if key in ENUM_KEYS:
                w = common.enum_combo(key, blank="" if key == "root_cause" else None, default=detail[key])
            elif key in TEXT_KEYS:
                w = QPlainTextEdit(str(detail[key] or ""))
                w.setTabChangesFocus(True)
                w.setMaximumHeight(80)
            else:
                value = detail[key]
                w = QLineEdit("" if value is None else (f"{value:.2f}" if key.startswith("claim_a")
                                                         else str(value)))
                if key == "claim_paid_on":
                    w.setPlaceholderText("YYYY-MM-DD")
            w.setObjectName(f"edit_{key}")
            self.widgets[key] = w
            msg = QLabel()
            msg.setStyleSheet("color: #b00020; font-size: 9pt;")
            msg.setVisible(False)
            self.messages[key] = msg
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(w)
            box.addWidget(msg)
            form.addRow(common.title(key), box)
        layout.addLayout(form)
        self.general = QLabel()
        self.general.setStyleSheet("color: #b00020;")
        self.general.setWordWrap(True)
        self.general.setVisible(False)
        layout.addWidget(self.general)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, w in self.widgets.items():
            if key in ENUM_KEYS:
                out[key] = w.currentData()  # type: ignore[attr-defined]
            elif key in TEXT_KEYS:
                out[key] = w.toPlainText()  # type: ignore[attr-defined]
            else:
                out[key] = w.text().strip()  # type: ignore[attr-defined]
        return out

    def save(self) -> None:
        for msg in self.messages.values():
            msg.setVisible(False)
        self.general.setVisible(False)
        try:
            complaints.update(self.ctx, self.detail.id, self.detail.version, **self.values())
        except ValidationError as exc:
            for key, text in exc.errors.items():
                target = self.messages.get(key)
                if target is not None:
                    target.setText(text)
                    target.setVisible(True)
                else:
                    self.general.setText(f"{key}: {text}")
                    self.general.setVisible(True)
            return
        except CrmError as exc:
            self.general.setText(str(exc))
            self.general.setVisible(True)
            return
        self.accept()
