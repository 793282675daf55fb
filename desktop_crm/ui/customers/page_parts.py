"""The built-in tabs of the customer page: profile, contacts, status history, transfers, audit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import CUSTOMER_STATUS
from desktop_crm.core.i18n import N_, _
from desktop_crm.core.services import contacts, customer_history, transfers
from desktop_crm.core.services.customer_fields import (
    CONTACT_FIELD,
    CUSTOMER_FIELD,
    CUSTOMER_FIELDS,
)
from desktop_crm.ui.customers.common import fill_table, readonly_table, shown
from desktop_crm.ui.customers.edit_dialog import GROUPS


class ProfileTab(QWidget):
    """Every field, read-only, grouped like the edit dialog."""

    def __init__(self, page, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.page = page
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.clicked.connect(page.edit)
        bar.addWidget(self.edit_button)
        outer.addLayout(bar)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        grid = QGridLayout(body)
        self.values: dict[str, QLabel] = {}
        for i, (group, title) in enumerate([*GROUPS, ("meta", N_("Record"))]):
            fields = [f for f in CUSTOMER_FIELDS if f.group == group and f.key != "code"]
            box = QGroupBox(_(title))
            form = QFormLayout(box)
            form.setLabelAlignment(Qt.AlignRight)
            for f in fields:
                value = QLabel()
                value.setTextInteractionFlags(Qt.TextSelectableByMouse)
                value.setWordWrap(True)
                value.setMinimumWidth(160)
                form.addRow(f.title, value)
                self.values[f.key] = value
            if group == "meta":
                for key, label in (("created_by", _("Created by")), ("updated_by", _("Updated by"))):
                    value = QLabel()
                    form.addRow(label, value)
                    self.values[key] = value
            grid.addWidget(box, i // 2, i % 2, Qt.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(10, 1)
        scroll.setWidget(body)
        outer.addWidget(scroll)

    def refresh(self) -> None:
        d = self.page.detail
        for key, label in self.values.items():
            if key == "owner":
                label.setText(d.owner_name or _("Customer pool"))
            elif key == "created_by":
                label.setText(d.created_by)
            elif key == "updated_by":
                label.setText(d.updated_by)
            else:
                label.setText(shown(CUSTOMER_FIELD[key], d[key]))


class ContactsTab(QWidget):
    COLUMNS = ["name", "title", "department", "mobile", "phone", "email", "wechat", "is_primary", "is_decision_maker"]

    def __init__(self, page, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.page, self.ctx = page, page.ctx
        self.rows: list = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton(_("Add contact…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))
        for b in (self.add_button, self.edit_button, self.delete_button):
            bar.addWidget(b)
            b.setEnabled(page.writable)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = readonly_table([_(CONTACT_FIELD[k].label) for k in self.COLUMNS])
        layout.addWidget(self.table)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.delete_button.clicked.connect(self.delete)
        self.table.doubleClicked.connect(lambda _i: page.writable and self.edit(self.current()))

    def refresh(self) -> None:
        self.rows = contacts.list_contacts(self.ctx, self.page.customer_id)
        fill_table(self.table, [[shown(CONTACT_FIELD[k], c[k]) for k in self.COLUMNS] for c in self.rows],
                   widths=[110, 100, 100, 130, 130, 180, 100, 60, 60])

    def current(self):  # noqa: ANN201
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def edit(self, contact) -> None:  # noqa: ANN001
        from desktop_crm.ui.customers.contact_dialog import ContactDialog

        if contact is None and self.sender() is self.edit_button:
            return
        if ContactDialog(self.ctx, self.page.customer_id, contact, self).exec():
            self.page.reload()

    def delete(self) -> None:
        c = self.current()
        if c is None:
            return
        if QMessageBox.question(self, _("Delete contact"), _("Delete the contact {name}?").format(name=c["name"])) \
                == QMessageBox.Yes:
            contacts.delete_contact(self.ctx, self.page.customer_id, c.id)
            self.page.reload()


class HistoryTab(QWidget):
    """A read-only table with an optional action button above it."""

    def __init__(self, headers: list[str], widths: list[int], button: str | None = None, action=None,  # noqa: ANN001
                 parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.widths = widths
        layout = QVBoxLayout(self)
        self.button = None
        if button:
            bar = QHBoxLayout()
            self.button = QPushButton(button)
            self.button.clicked.connect(action)
            bar.addWidget(self.button)
            bar.addStretch(1)
            layout.addLayout(bar)
        self.table = readonly_table(headers)
        layout.addWidget(self.table)
        self.loader = None

    def refresh(self) -> None:
        if self.loader is not None:
            fill_table(self.table, self.loader(), widths=self.widths)


def status_rows(ctx, customer_id: int) -> list[list]:  # noqa: ANN001
    return [[h.at, CUSTOMER_STATUS.label(h.status), CUSTOMER_STATUS.label(h.previous), h.user, h.reason]
            for h in customer_history.status_history(ctx, customer_id)]


def transfer_rows(ctx, customer_id: int) -> list[list]:  # noqa: ANN001
    return [[t.at, t.from_user, t.to_user, t.by_user, t.reason] for t in transfers.history(ctx, customer_id)]


def audit_rows(ctx, customer_id: int) -> list[list]:  # noqa: ANN001
    return [[e.at, e.user, e.record, e.action, e.field, e.old, e.new]
            for e in customer_history.audit_trail(ctx, customer_id)]
