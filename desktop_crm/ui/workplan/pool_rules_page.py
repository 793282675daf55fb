"""Administration → Pool rules: the rules that return customers to the pool by themselves (add,
change, delete), and the holding limits per role or user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import CUSTOMER_STATUS, GRADE, POOL_CONDITION, ROLE
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users
from desktop_crm.core.services.field_names import label
from desktop_crm.core.workplan import holding, pool_rules
from desktop_crm.core.workplan.pool_rules import RuleInput, RuleView
from desktop_crm.ui.customers.common import fill_table, readonly_table
from desktop_crm.ui.tasks import show_error


def _checks(keys, enum, chosen) -> QListWidget:  # noqa: ANN001
    box = QListWidget()
    box.setMaximumHeight(96)
    for k in keys:
        item = QListWidgetItem(enum.label(k))
        item.setData(Qt.UserRole, k)
        item.setCheckState(Qt.Checked if k in chosen else Qt.Unchecked)
        box.addItem(item)
    return box


def _checked(box: QListWidget) -> list[str]:
    return [box.item(i).data(Qt.UserRole) for i in range(box.count()) if box.item(i).checkState() == Qt.Checked]


class RuleDialog(QDialog):
    def __init__(self, ctx, rule: RuleView | None = None, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.rule = ctx, rule
        self.setWindowTitle(_("Pool rule"))
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(rule.name if rule else "")
        self.condition = QComboBox()
        for k in POOL_CONDITION.keys:
            self.condition.addItem(POOL_CONDITION.label(k), k)
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setSuffix(" " + _("days"))
        self.warn = QSpinBox()
        self.warn.setRange(0, 3649)
        self.warn.setSuffix(" " + _("days before"))
        self.grades = _checks(GRADE.keys, GRADE, rule.grades if rule else ())
        self.statuses = _checks(CUSTOMER_STATUS.keys, CUSTOMER_STATUS, rule.statuses if rule else ())
        self.industries = QLineEdit(", ".join(rule.industries) if rule else "")
        self.industries.setPlaceholderText(_("any; or a list separated by commas"))
        self.department = QComboBox()
        self.department.addItem(_("Any department"), None)
        for d in users.list_departments(ctx):
            self.department.addItem(d.name, d.id)
        self.contract = QCheckBox(_("Not customers with a contract in force"))
        self.deal = QSpinBox()
        self.deal.setRange(0, 3650)
        self.deal.setSpecialValueText(_("no"))
        self.deal.setSuffix(" " + _("days"))
        self.active = QCheckBox(_("Rule in force"))
        for title, w in ((_("Name"), self.name), (_("Returns customers with"), self.condition),
                              (_("for"), self.days), (_("Grades (none: any)"), self.grades),
                              (_("Statuses (none: any)"), self.statuses),
                              (_("Industries"), self.industries),
                              (_("Owners of"), self.department),
                              (_("Warn the owner"), self.warn),
                              ("", self.contract),
                              (_("Not with a deal in the last"), self.deal),
                              ("", self.active)):
            form.addRow(title, w)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.condition.setCurrentIndex(self.condition.findData(rule.condition if rule else "no_follow_up"))
        self.days.setValue(rule.days if rule else 90)
        self.warn.setValue(rule.warn_days if rule else 3)
        self.department.setCurrentIndex(max(0, self.department.findData(rule.department_id if rule else None)))
        self.contract.setChecked(rule.exempt_open_contract if rule else True)
        self.deal.setValue((rule.exempt_deal_days or 0) if rule else 0)
        self.active.setChecked(rule.active if rule else True)

    def data(self) -> RuleInput:
        return RuleInput(name=self.name.text(), condition=self.condition.currentData(), days=self.days.value(),
                         grades=_checked(self.grades), statuses=_checked(self.statuses),
                         industries=[i.strip() for i in self.industries.text().replace("，", ",").split(",")
                                     if i.strip()],
                         department_id=self.department.currentData(), warn_days=self.warn.value(),
                         exempt_open_contract=self.contract.isChecked(),
                         exempt_deal_days=self.deal.value() or None, active=self.active.isChecked())

    def save(self) -> None:
        try:
            pool_rules.save_rule(self.ctx, self.data(), self.rule.id if self.rule else None)
        except ValidationError as exc:
            self.error.setText("\n".join(f"{label(k)}: {v}" for k, v in exc.errors.items()))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class LimitDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Holding limit"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.target = QComboBox()
        for k in ("staff", "supervisor"):
            self.target.addItem(_("Role: {role}").format(role=ROLE.label(k)), ("role", k))
        for u in users.list_users(ctx, include_inactive=False):
            if u.role in ("staff", "supervisor"):
                self.target.addItem(_("User: {name}").format(name=u.display_name or u.username), ("user", u.id))
        self.max = QSpinBox()
        self.max.setRange(0, 1_000_000)
        self.max.setSpecialValueText(_("no limit"))
        self.max.setValue(300)
        self.reclaim = QSpinBox()
        self.reclaim.setRange(0, 3650)
        self.reclaim.setSpecialValueText(_("no wait"))
        self.reclaim.setSuffix(" " + _("days"))
        form.addRow(_("For"), self.target)
        form.addRow(_("Customers at most"), self.max)
        form.addRow(_("Claim back after"), self.reclaim)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def save(self) -> None:
        kind, value = self.target.currentData()
        try:
            holding.set_limit(self.ctx, role=value if kind == "role" else None,
                              user_id=value if kind == "user" else None, max_customers=self.max.value() or None,
                              reclaim_days=self.reclaim.value() or None)
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class PoolRulesPage(QWidget):
    def __init__(self, ctx, nav, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.setWindowTitle(_("Pool rules"))
        lay = QVBoxLayout(self)
        intro = QLabel(_("The rules return customers to the pool by themselves (checked every hour while the app "
                         "is open, or by \"desktop-crm jobs run\"). Owners see the customers that will go back "
                         "on My day and on the customer page; a follow-up, an order or a new opportunity resets "
                         "the count. A manager can keep a customer with its owner."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        bar = QHBoxLayout()
        self.add_button = QPushButton(_("Add rule…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))
        for b, slot in ((self.add_button, self.add), (self.edit_button, self.edit), (self.delete_button, self.delete)):
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.rules = readonly_table([_("Name"), _("In force"), _("Rule")])
        self.rules.setObjectName("pool_rules")
        self.rules.doubleClicked.connect(lambda *_a: self.edit())
        lay.addWidget(self.rules, 2)
        lbar = QHBoxLayout()
        lbar.addWidget(QLabel("<b>" + _("Holding limits") + "</b>"))
        lbar.addStretch(1)
        self.limit_button = QPushButton(_("Set a limit…"))
        self.limit_button.clicked.connect(self.set_limit)
        lbar.addWidget(self.limit_button)
        lay.addLayout(lbar)
        self.limits = readonly_table([_("Role"), _("User"), _("Customers at most"), _("Claim back after (days)")])
        self.limits.setObjectName("holding_limits")
        lay.addWidget(self.limits, 1)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.views = pool_rules.list_rules(self.ctx)
            limits = holding.list_limits(self.ctx)
        except CrmError as exc:
            show_error(self, exc)
            return
        fill_table(self.rules, [(r.name, _("yes") if r.active else _("no"), r.describe()) for r in self.views],
                   widths=[180, 70])
        fill_table(self.limits, [(ROLE.label(lim.role) if lim.role else "", lim.user,
                                  lim.max_customers if lim.max_customers is not None else _("no limit"),
                                  lim.reclaim_days if lim.reclaim_days is not None else "") for lim in limits],
                   widths=[120, 160, 140])

    def _current(self) -> RuleView | None:
        row = self.rules.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    def add(self) -> None:
        if RuleDialog(self.ctx, None, self).exec():
            self.refresh()

    def edit(self) -> None:
        rule = self._current()
        if rule is not None and RuleDialog(self.ctx, rule, self).exec():
            self.refresh()

    def delete(self) -> None:
        rule = self._current()
        if rule is None:
            return
        if QMessageBox.question(self, _("Pool rules"), _("Delete the rule “{name}”?").format(name=rule.name)) \
                != QMessageBox.Yes:
            return
        try:
            pool_rules.delete_rule(self.ctx, rule.id)
        except CrmError as exc:
            show_error(self, exc)
        self.refresh()

    def set_limit(self) -> None:
        if LimitDialog(self.ctx, self).exec():
            self.refresh()
