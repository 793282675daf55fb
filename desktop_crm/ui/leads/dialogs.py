"""The lead's dialogs: the form (new or changed), a contact, and the conversion into a customer with
the likely duplicates of the archive offered."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import INTERACTION_CHANNEL, SOURCE
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.leads import service as leads
from desktop_crm.core.leads.service import LeadView
from desktop_crm.core.services.field_names import label


def _error_box() -> QLabel:
    box = QLabel()
    box.setStyleSheet("color: #b00020;")
    box.setWordWrap(True)
    return box


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
    buttons.rejected.connect(dialog.reject)
    return buttons


class LeadDialog(QDialog):
    """A new lead (owner: you, or the lead pool) or changes to one."""

    def __init__(self, ctx, lead: LeadView | None = None, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.lead, self.saved = ctx, lead, None
        self.setWindowTitle(_("Lead") if lead else _("New lead"))
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit | QComboBox | QPlainTextEdit] = {}
        for key, title in (("name", _("Name")), ("company", _("Company")), ("phone", _("Phone")),
                           ("email", _("Email")), ("campaign", _("Campaign"))):
            edit = QLineEdit(getattr(lead, key) if lead else "")
            self.fields[key] = edit
            form.addRow(title, edit)
        source = QComboBox()
        source.addItem("", None)
        for k in SOURCE.keys:
            source.addItem(SOURCE.label(k), k)
        source.setCurrentIndex(max(0, source.findData(lead.source if lead and lead.source else None)))
        self.fields["source"] = source
        form.addRow(_("Source"), source)
        notes = QPlainTextEdit(lead.notes if lead else "")
        notes.setFixedHeight(60)
        self.fields["notes"] = notes
        form.addRow(_("Notes"), notes)
        self.to_pool = QCheckBox(_("Put it in the lead pool (no owner)"))
        self.to_pool.setVisible(lead is None)
        form.addRow("", self.to_pool)
        lay.addLayout(form)
        self.error = _error_box()
        lay.addWidget(self.error)
        buttons = _buttons(self, _("Save"))
        buttons.accepted.connect(self.save)
        lay.addWidget(buttons)

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, w in self.fields.items():
            out[key] = (w.currentData() if isinstance(w, QComboBox) else
                        w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text())
        return out

    def save(self) -> None:
        try:
            if self.lead is None:
                self.saved = leads.add(self.ctx, self.values(), owner_id=None if self.to_pool.isChecked() else "self")
            else:
                self.saved = leads.update_lead(self.ctx, self.lead.id, self.values(), version=self.lead.version)
        except ValidationError as exc:
            self.error.setText("\n".join(f"{label(k)}: {v}" for k, v in exc.errors.items()))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class ContactDialog(QDialog):
    def __init__(self, ctx, lead: LeadView, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.lead = ctx, lead
        self.setWindowTitle(_("Contact with {name}").format(name=lead.name))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.channel = QComboBox()
        for k in INTERACTION_CHANNEL.keys:
            self.channel.addItem(INTERACTION_CHANNEL.label(k), k)
        self.summary = QPlainTextEdit()
        form.addRow(_("Channel"), self.channel)
        form.addRow(_("Summary"), self.summary)
        lay.addLayout(form)
        self.error = _error_box()
        lay.addWidget(self.error)
        buttons = _buttons(self, _("Save"))
        buttons.accepted.connect(self.save)
        lay.addWidget(buttons)

    def save(self) -> None:
        try:
            leads.log_contact(self.ctx, self.lead.id, channel=self.channel.currentData(),
                              text=self.summary.toPlainText())
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class ConvertDialog(QDialog):
    """New customer, or the lead joins a customer the archive already has (the likely duplicates are
    listed); optionally an opportunity."""

    def __init__(self, ctx, lead: LeadView, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.lead, self.saved = ctx, lead, None
        self.setWindowTitle(_("Convert {name} into a customer").format(name=lead.name))
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        self.dups = leads.duplicates(ctx, lead.id)
        self.choice = QButtonGroup(self)
        self.new_customer = QRadioButton(_("A new customer: {name}").format(name=lead.company or lead.name))
        self.new_customer.setChecked(True)
        self.choice.addButton(self.new_customer)
        lay.addWidget(self.new_customer)
        self.existing: list[tuple[QRadioButton, int]] = []
        if self.dups:
            lay.addWidget(QLabel(_("The archive may already have this customer:")))
            for d in self.dups[:8]:
                b = QRadioButton(_("Add to {code} {name}").format(code=d["code"], name=d["name"]))
                self.choice.addButton(b)
                self.existing.append((b, d["id"]))
                lay.addWidget(b)
            self.new_customer.setText(self.new_customer.text() + " " + _("(even so)"))
        form = QFormLayout()
        self.opportunity = QLineEdit()
        self.opportunity.setPlaceholderText(_("amount, e.g. 50000 (optional)"))
        form.addRow(_("Open an opportunity of"), self.opportunity)
        lay.addLayout(form)
        self.error = _error_box()
        lay.addWidget(self.error)
        buttons = _buttons(self, _("Convert"))
        buttons.accepted.connect(self.save)
        lay.addWidget(buttons)

    def save(self) -> None:
        existing = next((cid for b, cid in self.existing if b.isChecked()), None)
        try:
            self.saved = leads.convert(self.ctx, self.lead.id, opportunity_amount=self.opportunity.text().strip() or None,
                                       existing_customer_id=existing, allow_duplicates=bool(self.dups))
        except ValidationError as exc:
            self.error.setText("\n".join(f"{label(k)}: {v}" for k, v in exc.errors.items()))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
