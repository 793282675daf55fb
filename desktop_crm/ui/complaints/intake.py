"""The fast intake dialog: find the customer by phone or name as you type (or create them), register
the complaint in the customer's own words, with the phrasebook beside it. Keyboard only:
type → ↓/Enter picks the customer → Tab through the fields → Ctrl+Enter registers."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import complaints, complaints_query, settings
from desktop_crm.ui.complaints import common
from desktop_crm.ui.complaints.phrase_panel import PhrasePanel


def find_customers(ctx, text: str, limit: int = 8) -> list[tuple]:  # noqa: ANN001
    """Customers matching a phone number or fragment, a name, a code or pinyin."""
    return complaints_query.lookup_customers(ctx, text, limit)


class IntakeDialog(QDialog):
    """`saved` holds the ComplaintDetail after registering."""

    def __init__(self, ctx, nav=None, prefill: dict | object | None = None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.saved = None
        self.customer_id: int | None = None
        self.source = "desk"
        self.setWindowTitle(_("New complaint"))
        self.resize(1000, 620)
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        outer.addLayout(left, 3)

        # -- customer look-up --------------------------------------------------------------
        self.lookup = QLineEdit()
        self.lookup.setObjectName("customer_lookup")
        self.lookup.setPlaceholderText(_("Customer: type a phone number, name or code…"))
        self.lookup.setClearButtonEnabled(True)
        row = QHBoxLayout()
        row.addWidget(self.lookup, 1)
        self.new_customer_button = QPushButton(_("New customer…"))
        self.new_customer_button.setFocusPolicy(Qt.NoFocus)
        row.addWidget(self.new_customer_button)
        left.addLayout(row)
        self.results = QListWidget()
        self.results.setObjectName("customer_results")
        self.results.setMaximumHeight(130)
        self.results.setVisible(False)
        left.addWidget(self.results)
        self.customer_label = QLabel(_("No customer chosen yet."))
        self.customer_label.setObjectName("customer_chosen")
        self.customer_label.setStyleSheet("color: #888;")
        left.addWidget(self.customer_label)
        self.msg_customer = self._msg("customer_id")
        left.addWidget(self.msg_customer)

        # -- the complaint -----------------------------------------------------------------
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.channel = common.enum_combo("channel", default="hotline")
        self.category = common.enum_combo("category", blank="")
        self.severity = common.enum_combo("severity", default="normal")
        self.received_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.received_at.setObjectName("received_at")
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received_at.setCalendarPopup(True)
        self.order_no = QLineEdit()
        self.order_no.setObjectName("order_no")
        self.caller = QLineEdit()
        self.caller.setObjectName("caller")
        self.caller_phone = QLineEdit()
        self.caller_phone.setObjectName("caller_phone")
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(_("The customer's own words"))
        self.demand = QPlainTextEdit()
        self.demand.setObjectName("demand")
        self.demand.setTabChangesFocus(True)
        self.demand.setMaximumHeight(70)
        self.messages: dict[str, QLabel] = {"customer_id": self.msg_customer}
        for key, w in (("channel", self.channel), ("category", self.category), ("severity", self.severity),
                       ("received_at", self.received_at), ("order_no", self.order_no), ("caller", self.caller),
                       ("caller_phone", self.caller_phone), ("description", self.description),
                       ("demand", self.demand)):
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(w)
            msg = self._msg(key)
            box.addWidget(msg)
            self.messages[key] = msg
            label = QLabel(common.title(key) + (" *" if key in ("channel", "category", "severity", "description")
                                                else ""))
            label.setBuddy(w)
            form.addRow(label, box)
        left.addLayout(form, 1)
        self.open_after = QCheckBox(_("Open the complaint after registering"))
        left.addWidget(self.open_after)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(_("Register (Ctrl+Enter)"))
        self.buttons.button(QDialogButtonBox.Save).setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        left.addWidget(self.buttons)

        # -- phrasebook beside the form -------------------------------------------------------
        try:
            company = str(settings.get(ctx, "company_name") or "")
        except CrmError:
            company = ""
        self.phrases = PhrasePanel(ctx, self, company=company, agent=ctx.actor.label)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        rl.addWidget(self.phrases)
        outer.addWidget(right, 2)

        # -- behaviour ------------------------------------------------------------------
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.run_lookup)
        self.lookup.textEdited.connect(lambda _t: self._debounce.start())
        self.lookup.returnPressed.connect(self._pick_first)
        for w in (self.lookup, self.description, self.demand, self.order_no, self.caller, self.caller_phone):
            w.installEventFilter(self)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)
        self.new_customer_button.clicked.connect(self.create_customer)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.save)
        self.lookup.setFocus()
        if prefill is not None:
            self.apply_prefill(prefill)

    @staticmethod
    def _msg(key: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"msg_{key}")
        label.setStyleSheet("color: #b00020; font-size: 9pt;")
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    # -- look-up ---------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        if event.type() in (event.Type.KeyPress, event.Type.ShortcutOverride) \
                and event.key() in (Qt.Key_Return, Qt.Key_Enter) and event.modifiers() & Qt.ControlModifier:
            if event.type() == event.Type.KeyPress:
                self.save()
            event.accept()
            return True  # text fields would otherwise take Ctrl+Enter as a line break
        if obj is self.lookup and event.type() == event.Type.KeyPress and event.key() == Qt.Key_Down \
                and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        return super().eventFilter(obj, event)

    def run_lookup(self) -> None:
        self._debounce.stop()
        try:
            rows = find_customers(self.ctx, self.lookup.text())
        except CrmError:
            rows = []
        self.results.clear()
        for r in rows:
            code, name, mobile, phone, city = r[2:]
            item = QListWidgetItem("  ".join(x for x in (code, name, mobile or phone or "", city or "") if x))
            item.setData(Qt.UserRole, (r[0], code, name, mobile or phone or ""))
            self.results.addItem(item)
        self.results.setVisible(bool(rows) or len(self.lookup.text().strip()) >= 2)
        if not rows and len(self.lookup.text().strip()) >= 2:
            item = QListWidgetItem(_("No customer found — use “New customer…”"))
            item.setFlags(Qt.NoItemFlags)
            self.results.addItem(item)

    def _pick_first(self) -> None:
        self.run_lookup()
        if self.results.count() and self.results.item(0).data(Qt.UserRole):
            self._pick(self.results.item(0))

    def _pick(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.UserRole)
        if not data:
            return
        cid, code, name, phone = data
        self.set_customer(cid, f"{code}  {name}  {phone}")
        if not self.caller_phone.text() and phone:
            self.caller_phone.setText(phone)
        self.results.setVisible(False)
        self.channel.setFocus()

    def set_customer(self, customer_id: int, label: str) -> None:
        self.customer_id = customer_id
        self.customer_label.setText("✔ " + label)
        self.customer_label.setStyleSheet("color: #1b7f3b; font-weight: bold;")
        self.msg_customer.setVisible(False)

    def create_customer(self) -> None:
        from desktop_crm.ui.customers.edit_dialog import CustomerDialog

        dlg = CustomerDialog(self.ctx, None, self.nav, self)
        text = self.lookup.text().strip()
        if text:
            key = "mobile" if any(ch.isdigit() for ch in text) else "name"
            try:
                dlg.editor(key).set_value(text)
            except (KeyError, AttributeError):
                pass
        if dlg.exec() and dlg.saved is not None:
            s = dlg.saved
            self.set_customer(s.id, f"{s.code}  {s['name']}  {s['mobile'] or ''}")

    # -- prefill and save ----------------------------------------------------------------
    def apply_prefill(self, prefill: dict | object) -> None:
        data = dataclasses.asdict(prefill) if dataclasses.is_dataclass(prefill) else dict(prefill)  # type: ignore[arg-type]
        if data.get("customer_id"):
            label = data.get("customer_label") or "  ".join(
                str(x) for x in (data.get("customer_code"), data.get("customer_name"), data.get("phone")) if x)
            self.set_customer(int(data["customer_id"]), label)
        for key, w in (("channel", self.channel), ("category", self.category), ("severity", self.severity)):
            if data.get(key):
                w.setCurrentIndex(max(w.findData(data[key]), 0))
        if data.get("description"):
            self.description.setPlainText(str(data["description"]))
        if data.get("order_no"):
            self.order_no.setText(str(data["order_no"]))
        if data.get("phone"):
            self.caller_phone.setText(str(data["phone"]))
        if isinstance(data.get("received_at"), datetime):
            self.received_at.setDateTime(QDateTime(data["received_at"]))
        self.source = str(data.get("source") or "desk")
        self.contact_id = data.get("contact_id")
        if self.customer_id:
            (self.category if self.category.currentData() is None else self.description).setFocus()

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.messages.items():
            text = errors.get(key, "")
            label.setText(text)
            label.setVisible(bool(text))
        first = next((k for k in self.messages if k in errors), None)
        widget = {"customer_id": self.lookup, "channel": self.channel, "category": self.category,
                  "severity": self.severity, "description": self.description, "received_at": self.received_at,
                  "order_no": self.order_no, "caller": self.caller, "caller_phone": self.caller_phone,
                  "demand": self.demand}.get(first or "")
        if widget is not None:
            widget.setFocus()

    def save(self) -> None:
        if self.customer_id is None:
            self.show_errors({"customer_id": _("Find the customer first (or create them).")})
            return
        try:
            self.saved = complaints.register(
                self.ctx, customer_id=self.customer_id, channel=self.channel.currentData(),
                category=self.category.currentData(), severity=self.severity.currentData(),
                description=self.description.toPlainText(), demand=self.demand.toPlainText(),
                received_at=self.received_at.dateTime().toPython().replace(second=0, microsecond=0),
                order_no=self.order_no.text(), caller=self.caller.text(), caller_phone=self.caller_phone.text(),
                contact_id=getattr(self, "contact_id", None), source=self.source)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except CrmError as exc:
            self.show_errors({"customer_id": str(exc)})
            return
        if self.nav is not None:
            self.nav.notify(_("Complaint {number} registered.").format(number=self.saved.number))
            if self.open_after.isChecked():
                self.nav.open_complaint(self.saved.id)
        self.accept()
