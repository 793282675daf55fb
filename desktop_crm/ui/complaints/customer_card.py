"""The customer of a complaint, as its handler may see it when the customer is another rep's:
name, how to reach them, contacts, and their complaints the handler may see — no archive."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_crm.core.enums import COMPLAINT_STATE
from desktop_crm.core.i18n import _
from desktop_crm.core.services.complaints_query import CustomerCard
from desktop_crm.ui.customers.common import fill_table, phone_text, readonly_table


class CustomerCardDialog(QDialog):
    def __init__(self, card: CustomerCard, nav=None, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.card, self.nav = card, nav
        self.setWindowTitle(_("Customer {code} {name}").format(code=card.code, name=card.name))
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{card.code} {card.name}</b><br>" + _("Phone: {phone}").format(
            phone=phone_text(card.phone) or "—") + "<br>" + _("Looked after by {owner}").format(
            owner=card.owner or _("the customer pool")))
        head.setTextFormat(Qt.RichText)
        layout.addWidget(head)
        note = QLabel(_("This customer is another colleague's: you see what the complaint needs — the customer's "
                        "contacts and the complaints you may see. The customer's archive is for its rep."))
        note.setObjectName("scope_note")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(QLabel(_("Contacts")))
        self.contacts = readonly_table([_("Name"), _("Title"), _("Phone")])
        fill_table(self.contacts, [(n, t, phone_text(p)) for n, t, p in card.contacts], widths=(140, 140, 160))
        layout.addWidget(self.contacts)
        layout.addWidget(QLabel(_("Complaints")))
        self.history = readonly_table([_("Number"), _("Received"), _("State"), _("Description")])
        fill_table(self.history, [(n, at, COMPLAINT_STATE.label(st), text) for _i, n, at, st, text in card.complaints],
                   data=[i for i, *_rest in card.complaints], widths=(150, 130, 90, 300))
        self.history.doubleClicked.connect(self._open_complaint)
        layout.addWidget(self.history, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        buttons.button(QDialogButtonBox.Ok).setText(_("OK"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(720, 480)

    def _open_complaint(self, index) -> None:  # noqa: ANN001
        item = self.history.item(index.row(), 0)
        if item is not None and self.nav is not None:
            self.nav.open_complaint(int(item.data(Qt.UserRole)))
