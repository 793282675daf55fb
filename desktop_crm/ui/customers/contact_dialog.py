"""Add or edit a contact (联系人) of a customer, with inline validation under each field."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QVBoxLayout

from desktop_crm.core.errors import ConflictError, CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import contacts
from desktop_crm.core.services.contacts import ContactView
from desktop_crm.core.services.customer_fields import CONTACT_FIELDS
from desktop_crm.ui.customers.common import FieldGrid, error_label


class ContactDialog(QDialog):
    def __init__(self, ctx, customer_id: int, contact: ContactView | None = None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.customer_id, self.contact = ctx, customer_id, contact
        self.saved: ContactView | None = None
        self.setWindowTitle(_("Edit contact") if contact else _("New contact"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.form = FieldGrid(CONTACT_FIELDS, ctx)
        layout.addWidget(self.form)
        if contact is not None:
            self.form.set_values(contact.values)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        self.form.clear_messages()
        self.error.clear()
        data = self.form.values()
        if not str(data.get("name") or "").strip():
            self.form.show_messages({"name": _("is required")})
            return
        try:
            self.saved = contacts.save_contact(
                self.ctx, self.customer_id, data, contact_id=self.contact.id if self.contact else None,
                expected_version=self.contact.version if self.contact else None)
        except ValidationError as exc:
            shown = self.form.show_messages(exc.errors, exc.warnings)
            rest = {k: v for k, v in exc.errors.items() if k not in shown}
            self.error.setText("; ".join(f"{k}: {v}" for k, v in rest.items()))
            return
        except ConflictError as exc:
            QMessageBox.warning(self, _("Contact changed"), str(exc))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
