"""The customer page (客户详情): a window with a header, the built-in tabs (profile, contacts,
status history, transfers, audit), the tabs other areas contribute, and the actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop_crm.core.enums import CUSTOMER_STATUS, GRADE
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import customers
from desktop_crm.ui.customers import page_parts
from desktop_crm.ui.customers.list_source import STATUS_COLOURS
from desktop_crm.ui.customers.page_tabs import load_tabs


class CustomerPage(QWidget):
    def __init__(self, ctx, nav, customer_id: int, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)
        self.ctx, self.nav, self.customer_id = ctx, nav, customer_id
        self.detail = customers.get_customer(ctx, customer_id)
        actor = ctx.actor
        self.writable = actor.role != "viewer"
        self.resize(1040, 700)
        layout = QVBoxLayout(self)

        # -- header -------------------------------------------------------------------
        head = QHBoxLayout()
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        head.addWidget(self.title, 1)
        self.merge_button = QPushButton(_("Merge…"))
        self.pin_button = QPushButton(_("Pin grade…"))
        self.status_button = QPushButton(_("Change status…"))
        self.transfer_button = QPushButton(_("Transfer…"))
        self.edit_button = QPushButton(_("Edit…"))
        for b in (self.edit_button, self.status_button, self.transfer_button, self.pin_button, self.merge_button):
            head.addWidget(b)
        manager = self.writable and actor.at_least("manager")
        self.merge_button.setVisible(manager)
        self.pin_button.setVisible(manager)
        self.transfer_button.setVisible(self.writable and actor.at_least("supervisor"))
        self.status_button.setVisible(self.writable)
        self.edit_button.setVisible(self.writable)
        layout.addLayout(head)
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.RichText)
        self.facts.setWordWrap(True)
        layout.addWidget(self.facts)
        self.grade_line = QLabel()
        self.grade_line.setObjectName("grade_explanation")
        self.grade_line.setStyleSheet("color: #555;")
        self.grade_line.setWordWrap(True)
        layout.addWidget(self.grade_line)
        pool_row = QHBoxLayout()
        self.pool_line = QLabel()
        self.pool_line.setObjectName("pool_countdown")
        self.pool_line.setWordWrap(True)
        self.keep_button = QPushButton()
        self.keep_button.setObjectName("keep_with_owner")
        self.keep_button.setVisible(self.writable and actor.at_least("manager"))
        self.keep_button.clicked.connect(self.toggle_keep)
        pool_row.addWidget(self.pool_line, 1)
        pool_row.addWidget(self.keep_button)
        layout.addLayout(pool_row)

        # -- tabs -------------------------------------------------------------------------
        self.tabs = QTabWidget()
        self.profile = page_parts.ProfileTab(self)
        self.profile.edit_button.setVisible(self.writable)
        self.contacts = page_parts.ContactsTab(self)
        self.status_tab = page_parts.HistoryTab(
            [_("When"), _("Status"), _("Previous"), _("By"), _("Reason")], [130, 90, 90, 110, 300],
            _("Change status…") if self.writable else None, self.change_status)
        self.status_tab.loader = lambda: page_parts.status_rows(ctx, customer_id)
        can_transfer = self.writable and actor.at_least("supervisor")
        self.transfer_tab = page_parts.HistoryTab(
            [_("When"), _("From"), _("To"), _("By"), _("Reason")], [130, 110, 110, 110, 300],
            _("Transfer…") if can_transfer else None, self.transfer)
        self.transfer_tab.loader = lambda: page_parts.transfer_rows(ctx, customer_id)
        self.audit_tab = page_parts.HistoryTab(
            [_("When"), _("User"), _("Record"), _("Action"), _("Field"), _("Old value"), _("New value")],
            [130, 90, 150, 80, 110, 160, 160])
        self.audit_tab.loader = lambda: page_parts.audit_rows(ctx, customer_id)
        self.tabs.addTab(self.profile, _("Profile"))
        self.tabs.addTab(self.contacts, _("Contacts"))
        self.tabs.addTab(self.status_tab, _("Status history"))
        self.tabs.addTab(self.transfer_tab, _("Transfers"))
        self.tabs.addTab(self.audit_tab, _("Audit"))
        self.extra: list[QWidget] = []
        for title, widget in load_tabs(ctx, nav, customer_id, self):
            self.tabs.addTab(widget, title)
            self.extra.append(widget)
        layout.addWidget(self.tabs, 1)

        self.edit_button.clicked.connect(self.edit)
        self.status_button.clicked.connect(self.change_status)
        self.transfer_button.clicked.connect(self.transfer)
        self.merge_button.clicked.connect(self.merge)
        self.pin_button.clicked.connect(self.pin_grade)
        self.reload(full=False)

    # -- data ---------------------------------------------------------------------------
    def reload(self, full: bool = True) -> None:
        if full:
            try:
                self.detail = customers.get_customer(self.ctx, self.customer_id)
            except CrmError as exc:
                QMessageBox.warning(self, _("Customer"), str(exc))
                self.close()
                return
        d = self.detail
        self.setWindowTitle(f"{d.code} {d['name']} — " + _("Customer"))
        self.title.setText(f"{d.code}  {d['name']}")
        self.facts.setText(self._facts_html())
        self.grade_line.setText(self._grade_explanation())
        self.grade_line.setVisible(bool(self.grade_line.text()))
        self._pool_countdown()
        for tab in (self.profile, self.contacts, self.status_tab, self.transfer_tab, self.audit_tab, *self.extra):
            if hasattr(tab, "refresh"):
                tab.refresh()
        if full and hasattr(self.nav, "refresh_views"):
            self.nav.refresh_views()

    def _pool_countdown(self) -> None:
        """When a pool rule will return the customer (a follow-up resets it), or that it is kept."""
        from desktop_crm.core.workplan import pool_rules

        owned = self.detail.owner_id is not None
        pinned = owned and pool_rules.is_pinned(self.ctx, self.customer_id)
        w = None if pinned or not owned else pool_rules.countdown(self.ctx, self.customer_id)
        if pinned:
            text, colour = _("Kept with its owner: the pool rules do not apply."), "#555"
        elif w is not None:
            text = _("Returns to the pool in {n} days — rule “{rule}”: {reason}").format(
                n=w.days_left, rule=w.rule, reason=w.reason)
            colour = "#b00020" if w.days_left <= 7 else "#555"
        else:
            text, colour = "", "#555"
        self.pool_line.setText(text)
        self.pool_line.setStyleSheet(f"color: {colour};")
        self.pool_line.setVisible(bool(text))
        self.keep_button.setText(_("Let the pool rules apply") if pinned else _("Keep with owner"))
        self.keep_button.setVisible(self.writable and self.ctx.actor.at_least("manager") and owned)

    def toggle_keep(self) -> None:
        from desktop_crm.core.workplan import pool_rules

        try:
            pool_rules.pin(self.ctx, self.customer_id, pinned=not pool_rules.is_pinned(self.ctx, self.customer_id))
        except CrmError as exc:
            QMessageBox.warning(self, _("Customer"), str(exc))
        self._pool_countdown()

    def _facts_html(self) -> str:
        d = self.detail

        def esc(text: object) -> str:
            return str(text).replace("&", "&amp;").replace("<", "&lt;")

        status = d["status"]
        colour = STATUS_COLOURS.get(status, "#333333")
        since = d["status_since"].strftime("%Y-%m-%d") if d["status_since"] else ""
        grade = GRADE.label(d["grade"]) or _("not graded yet")
        if d["grade_pinned"]:
            grade += " 📌 " + _("pinned: {note}").format(note=d["grade_note"] or "")
        owner = d.owner_name or _("Customer pool")
        def lab(text: str) -> str:
            return esc(_("{label}:").format(label=text)) + " "

        parts = [
            f"{lab(_('Status'))}<b style='color:{colour}'>{esc(CUSTOMER_STATUS.label(status))}</b>"
            + (f" <span style='color:#666'>({esc(_('since {date}').format(date=since))})</span>" if since else ""),
            f"{lab(_('Grade'))}<b>{esc(grade)}</b>",
            f"{lab(_('Owner'))}<b>{esc(owner)}</b>",
        ]
        return "&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts)

    def _grade_explanation(self) -> str:
        try:
            from desktop_crm.core.services import grading

            return _("Grade: {explanation}").format(explanation=grading.explain(self.ctx, self.customer_id).text)
        except (ImportError, AttributeError, CrmError):
            return ""

    # -- actions --------------------------------------------------------------------------
    def edit(self) -> None:
        from desktop_crm.ui.customers.edit_dialog import CustomerDialog

        if CustomerDialog(self.ctx, self.customer_id, nav=self.nav, parent=self).exec():
            self.reload()

    def change_status(self) -> None:
        from desktop_crm.ui.customers.status_dialog import StatusDialog

        if StatusDialog(self.ctx, [self.customer_id], self.detail["status"], self).exec():
            self.reload()

    def transfer(self) -> None:
        from desktop_crm.ui.customers.transfer_dialog import TransferDialog

        label = f"{self.detail.code} {self.detail['name']}"
        if TransferDialog(self.ctx, [self.customer_id], self, label=label).exec():
            self.reload()

    def merge(self) -> None:
        from desktop_crm.ui.customers.merge_dialog import MergeDialog

        if MergeDialog(self.ctx, self.customer_id, self).exec():
            self.reload()

    def pin_grade(self) -> None:
        from desktop_crm.ui.customers.grade_dialog import PinGradeDialog

        if PinGradeDialog(self.ctx, self.detail, self).exec():
            self.reload()

    def refresh(self) -> None:
        self.reload()
