"""Handover wizard (DOMAIN §4): choose the leaving user, see what they own, split it among
colleagues by rule (city, grade, round-robin) or by hand and/or release to the pool, confirm
once — one service call, one transaction, all logged — and deactivate the account."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop_crm.core.enums import GRADE
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _, gettext
from desktop_crm.core.services import handover, users

POOL_KEY = -1  # list/combo data for "the customer pool"


def _target_label(names: dict, target: int | None) -> str:
    return _("Customer pool") if target is None else names.get(target, "?")


class ChooseUserPage(QWizardPage):
    def __init__(self, wizard: HandoverWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_("Who is leaving?"))
        self.setSubTitle(_("Choose the user whose customers and open work are handed over."))
        layout = QVBoxLayout(self)
        self.user = QComboBox()
        for u in wizard.colleagues:
            if u.id != wizard.ctx.actor.id:
                self.user.addItem(f"{u.display_name or u.username} ({u.username}) — "
                                  + _("{n} customers").format(n=u.customers), u.id)
        self.user.currentIndexChanged.connect(lambda *_a: self.load())
        layout.addWidget(self.user)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        self.load()

    def load(self) -> None:
        uid = self.user.currentData()
        if uid is None:
            return
        try:
            inv = handover.inventory(self.w.ctx, uid)
        except CrmError as exc:
            self.summary.setText(str(exc))
            self.w.inventory = None
            return
        self.w.inventory = inv
        self.summary.setText(
            "<p>" + _("{user} owns:").format(user=inv.label) + "</p><ul>"
            + "".join(f"<li>{line}</li>" for line in (
                _("{n} customers").format(n=len(inv.customers)),
                _("{n} open complaints").format(n=inv.open_complaints),
                _("{n} planned return visits").format(n=inv.planned_visits),
                _("{n} pending follow-ups").format(n=inv.pending_follow_ups))) + "</ul>")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.w.inventory is not None


class SplitPage(QWizardPage):
    def __init__(self, wizard: HandoverWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_("Split among colleagues"))
        self.setSubTitle(_("Choose who takes over, propose a split by rule, adjust by hand."))
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.targets = QListWidget()
        self.targets.setMaximumHeight(140)
        top.addWidget(self.targets, 1)
        side = QFormLayout()
        self.rule = QComboBox()
        for key, label in handover.RULES:
            self.rule.addItem(gettext(label), key)
        self.propose_button = QPushButton(_("Propose"))
        self.propose_button.clicked.connect(self.propose)
        side.addRow(_("Rule"), self.rule)
        side.addRow("", self.propose_button)
        top.addLayout(side)
        layout.addLayout(top)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Code"), _("Name"), _("City"), _("Grade"), _("New owner")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(24)
        for col, width in ((0, 90), (2, 90), (3, 130), (4, 130)):
            self.table.setColumnWidth(col, width)
        layout.addWidget(self.table, 1)
        hand = QHBoxLayout()
        hand.addWidget(QLabel(_("Selected rows go to")))
        self.hand_target = QComboBox()
        hand.addWidget(self.hand_target, 1)
        self.hand_button = QPushButton(_("Set"))
        self.hand_button.clicked.connect(self.set_selected)
        hand.addWidget(self.hand_button)
        layout.addLayout(hand)
        rest = QFormLayout()
        self.rest_to = QComboBox()
        rest.addRow(_("Other open work (on customers they do not own) goes to"), self.rest_to)
        self.deactivate = QCheckBox(_("Deactivate the account at the end"))
        is_admin = wizard.ctx.actor.role == "admin"
        self.deactivate.setChecked(is_admin)
        self.deactivate.setEnabled(is_admin)
        if not is_admin:
            self.deactivate.setToolTip(_("Only administrators deactivate users."))
        rest.addRow("", self.deactivate)
        layout.addLayout(rest)
        self.status = QLabel()
        layout.addWidget(self.status)

    def initializePage(self) -> None:  # noqa: N802
        inv = self.w.inventory
        self.targets.clear()
        self.hand_target.clear()
        self.rest_to.clear()
        for u in self.w.colleagues:
            if u.id == inv.user_id or not u.active or u.role == "viewer":
                continue
            item = QListWidgetItem(u.display_name or u.username)
            item.setData(Qt.UserRole, u.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.targets.addItem(item)
            self.hand_target.addItem(u.display_name or u.username, u.id)
            self.rest_to.addItem(u.display_name or u.username, u.id)
        pool_item = QListWidgetItem(_("Customer pool"))
        pool_item.setData(Qt.UserRole, POOL_KEY)
        pool_item.setFlags(pool_item.flags() | Qt.ItemIsUserCheckable)
        pool_item.setCheckState(Qt.Unchecked)
        self.targets.addItem(pool_item)
        self.hand_target.addItem(_("Customer pool"), POOL_KEY)
        self.w.assignment = {}
        self.fill()

    def chosen(self) -> list[int | None]:
        out: list[int | None] = []
        for i in range(self.targets.count()):
            item = self.targets.item(i)
            if item.checkState() == Qt.Checked:
                uid = item.data(Qt.UserRole)
                out.append(None if uid == POOL_KEY else uid)
        return out

    def propose(self) -> None:
        rule = self.rule.currentData()
        targets = self.chosen()
        if rule == "hand":
            targets = targets[:1] or [None]
        try:
            self.w.assignment = handover.split(self.w.inventory.customers, "round_robin" if rule == "hand" else rule,
                                               targets)
        except CrmError as exc:
            self.status.setText(str(exc))
            return
        self.fill()

    def set_selected(self) -> None:
        uid = self.hand_target.currentData()
        target = None if uid == POOL_KEY else uid
        for index in self.table.selectionModel().selectedRows():
            cid = self.table.item(index.row(), 0).data(Qt.UserRole)
            self.w.assignment[cid] = target
        self.fill()

    def fill(self) -> None:
        inv = self.w.inventory
        names = self.w.names
        self.table.setRowCount(len(inv.customers))
        for row, c in enumerate(inv.customers):
            target = self.w.assignment.get(c.id, "")
            values = [c.code, c.name, c.city, GRADE.label(c.grade) if c.grade else "",
                      "" if target == "" else _target_label(names, target)]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.UserRole, c.id)
                self.table.setItem(row, col, item)
        missing = len(inv.customers) - len(self.w.assignment)
        self.status.setText(_("{n} customers still need a new owner.").format(n=missing) if missing
                            else _("Every customer has a new owner."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return len(self.w.assignment) == len(self.w.inventory.customers) or not self.deactivate.isChecked()


class ConfirmPage(QWizardPage):
    def __init__(self, wizard: HandoverWizard):
        super().__init__()
        self.w = wizard
        self.setTitle(_("Confirm the handover"))
        self.setSubTitle(_("Everything below happens in one step, or nothing does."))
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.RichText)
        layout.addWidget(self.text)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        inv, split = self.w.inventory, self.w.split_page
        counts = Counter(self.w.assignment.values())
        lines = [_("{n} customers → {who}").format(n=n, who=_target_label(self.w.names, t))
                 for t, n in counts.most_common()]
        rest = split.rest_to.currentText()
        lines.append(_("Their planned visits, follow-ups and complaints follow the customers; the rest goes to {who}.")
                     .format(who=rest))
        if split.deactivate.isChecked():
            lines.append(_("Then {user}'s account is deactivated.").format(user=inv.label))
        self.text.setText("<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")
        self.error.clear()

    def validatePage(self) -> bool:  # noqa: N802
        split = self.w.split_page
        try:
            self.w.result_data = handover.execute(
                self.w.ctx, self.w.inventory.user_id, dict(self.w.assignment), rest_to=split.rest_to.currentData(),
                deactivate=split.deactivate.isChecked())
        except CrmError as exc:
            self.error.setText(str(exc))
            return False
        return True


class HandoverWizard(QWizard):
    def __init__(self, ctx, parent: QWidget | None = None, *, user_id: int | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Hand over a leaving user"))
        self.setMinimumSize(760, 560)
        self.setWizardStyle(QWizard.ClassicStyle)
        self.inventory: handover.Inventory | None = None
        self.assignment: dict[int, int | None] = {}
        self.result_data: handover.HandoverResult | None = None
        everyone = users.list_users(ctx, include_inactive=False)
        self.colleagues = [u for u in everyone
                           if ctx.actor.sees_all or u.department_id == ctx.actor.department_id]
        self.names = {u.id: u.display_name or u.username for u in everyone}
        self.choose_page = ChooseUserPage(self)
        self.split_page = SplitPage(self)
        self.confirm_page = ConfirmPage(self)
        for page in (self.choose_page, self.split_page, self.confirm_page):
            self.addPage(page)
        self.setButtonText(QWizard.FinishButton, _("Hand over"))
        self.setButtonText(QWizard.NextButton, _("Next >"))
        self.setButtonText(QWizard.BackButton, _("< Back"))
        self.setButtonText(QWizard.CancelButton, _("Cancel"))
        if user_id is not None:
            index = self.choose_page.user.findData(user_id)
            if index >= 0:
                self.choose_page.user.setCurrentIndex(index)
