"""Edit dialogs: order, contract, opportunity, and the stage move of an opportunity."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from desktop_crm.core.enums import CONTRACT_STATUS, OPPORTUNITY_STAGE
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import contracts, customers, opportunities, orders
from desktop_crm.ui.orders.common import OptionalDate, text_of, title

DATE_FIELDS = {"date", "due_date", "signed_on", "start_on", "end_on", "expected_close"}


class _FormDialog(QDialog):
    """A form of line edits / date fields / combos; `save()` calls a service and shows field errors."""

    def __init__(self, ctx, window_title: str, keys: list[str], customer_id: int | None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.customer_id, self.saved = ctx, customer_id, None
        self.setWindowTitle(window_title)
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        self.form = QFormLayout()
        self.widgets: dict[str, object] = {}
        if customer_id is None:
            self.customer = QLineEdit()
            self.customer.setPlaceholderText(_("Customer code, e.g. C000001"))
            self.form.addRow(_("Customer"), self.customer)
        else:
            d = customers.get_customer(ctx, customer_id)
            self.form.addRow(_("Customer"), QLabel(f"{d.code}  {d['name']}"))
        for key in keys:
            w = self._widget(key)
            self.widgets[key] = w
            self.form.addRow(title(key), w)
        lay.addLayout(self.form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept_form)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _widget(self, key: str):  # noqa: ANN202
        if key in DATE_FIELDS:
            return OptionalDate(None)
        if key == "status":
            box = QComboBox()
            for k in CONTRACT_STATUS.keys:
                box.addItem(CONTRACT_STATUS.label(k), k)
            return box
        if key == "notes":
            edit = QPlainTextEdit()
            edit.setFixedHeight(60)
            return edit
        return QLineEdit()

    def set_values(self, values: dict[str, object]) -> None:
        for key, w in self.widgets.items():
            v = values.get(key)
            if isinstance(w, OptionalDate):
                w.set_value(v)
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(v)))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(str(v or ""))
            else:
                w.setText("" if v is None else text_of(key, v).replace("¥", "").replace(",", ""))

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, w in self.widgets.items():
            if isinstance(w, OptionalDate):
                out[key] = w.value()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText()
            else:
                out[key] = w.text()
        return out

    def resolve_customer(self) -> int:
        if self.customer_id is not None:
            return self.customer_id
        code = self.customer.text().strip()
        if not code:
            raise ValidationError({"customer": _("is required")})
        return customers.id_by_code(self.ctx, code)

    def accept_form(self) -> None:
        try:
            self.saved = self.save()
        except ValidationError as exc:
            self.error.setText("\n".join(f"{title(k)}: {v}" for k, v in exc.errors.items()))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def save(self):  # noqa: ANN201
        raise NotImplementedError


class OrderDialog(_FormDialog):
    KEYS = ["order_no", "date", "product", "category", "quantity", "amount", "cost", "paid_amount", "due_date",
            "notes"]

    def __init__(self, ctx, order_id: int | None = None, customer_id: int | None = None, parent=None):  # noqa: ANN001
        self.order = orders.get_order(ctx, order_id) if order_id else None
        cid = self.order.customer_id if self.order else customer_id
        super().__init__(ctx, _("Edit order") if order_id else _("New order"), self.KEYS, cid, parent)
        if self.order:
            self.set_values(self.order.values)

    def save(self):  # noqa: ANN201
        if self.order:
            return orders.update_order(self.ctx, self.order.id, self.values(), expected_version=self.order.version)
        return orders.create_order(self.ctx, self.resolve_customer(), self.values())


class ContractDialog(_FormDialog):
    KEYS = ["number", "title", "signed_on", "start_on", "end_on", "amount", "status", "notes"]

    def __init__(self, ctx, contract_id: int | None = None, customer_id: int | None = None, parent=None):  # noqa: ANN001
        self.contract = contracts.get_contract(ctx, contract_id) if contract_id else None
        cid = self.contract.customer_id if self.contract else customer_id
        super().__init__(ctx, _("Edit contract") if contract_id else _("New contract"), self.KEYS, cid, parent)
        if self.contract:
            self.set_values({k: getattr(self.contract, k) for k in self.KEYS})
        else:
            self.set_values({"status": "active"})

    def save(self):  # noqa: ANN201
        if self.contract:
            return contracts.update_contract(self.ctx, self.contract.id, self.values(),
                                             expected_version=self.contract.version)
        return contracts.create_contract(self.ctx, self.resolve_customer(), self.values())


class OpportunityDialog(_FormDialog):
    KEYS = ["name", "amount", "expected_close", "notes"]

    def __init__(self, ctx, opp_id: int | None = None, customer_id: int | None = None, parent=None):  # noqa: ANN001
        self.opp = opportunities.get_opportunity(ctx, opp_id) if opp_id else None
        cid = self.opp.customer_id if self.opp else customer_id
        super().__init__(ctx, _("Edit opportunity") if opp_id else _("New opportunity"), self.KEYS, cid, parent)
        if self.opp:
            self.set_values({k: getattr(self.opp, k) for k in self.KEYS})

    def save(self):  # noqa: ANN201
        if self.opp:
            return opportunities.update_opportunity(self.ctx, self.opp.id, self.values(),
                                                    expected_version=self.opp.version)
        return opportunities.create_opportunity(self.ctx, self.resolve_customer(), self.values())


class MoveDialog(QDialog):
    """Move an opportunity to another stage; lost needs a reason."""

    def __init__(self, ctx, opp_id: int, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.opp_id = ctx, opp_id
        opp = opportunities.get_opportunity(ctx, opp_id)
        self.setWindowTitle(_("Move opportunity"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(_("Opportunity"), QLabel(opp.name))
        self.stage = QComboBox()
        for k in OPPORTUNITY_STAGE.keys:
            if k != opp.stage:
                self.stage.addItem(OPPORTUNITY_STAGE.label(k), k)
        self.reason = QLineEdit()
        form.addRow(_("Stage"), self.stage)
        form.addRow(_("Reason"), self.reason)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(_("Move"))
        buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.move)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def move(self) -> None:
        try:
            opportunities.move(self.ctx, self.opp_id, self.stage.currentData(), reason=self.reason.text())
        except ValidationError as exc:
            self.error.setText("\n".join(f"{_(k.capitalize())}: {v}" for k, v in exc.errors.items()))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
