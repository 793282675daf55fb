"""Merge (合并) another customer into this one: pick it by search, preview, confirm (managers)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
)

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import contacts, customer_query, customers, merge
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD, EDITABLE
from desktop_crm.core.services.customer_query import CustomerFilter
from desktop_crm.ui.customers.common import error_label, shown

PREVIEW_KEYS = ["name", "kind", "status", "mobile", "phone", "email", "credit_code", "city", "address"]


class MergeDialog(QDialog):
    def __init__(self, ctx, keep_id: int, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.keep = customers.get_customer(ctx, keep_id)
        self.other_id: int | None = None
        self.setWindowTitle(_("Merge customers"))
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Merge another customer into {code} {name}. Its contacts, history and all other records "
                         "move here; empty fields are filled from it; then it is deleted.").format(
                             code=self.keep.code, name=self.keep["name"]))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find the customer to merge in: code, name, phone…"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        split = QSplitter(Qt.Horizontal)
        self.results = QListWidget()
        self.preview = QTextBrowser()
        split.addWidget(self.results)
        split.addWidget(self.preview)
        split.setSizes([260, 440])
        layout.addWidget(split, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.merge_button = self.buttons.button(QDialogButtonBox.Ok)
        self.merge_button.setText(_("Merge…"))
        self.merge_button.setEnabled(False)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.find)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.results.currentItemChanged.connect(self._chosen)
        self.preview.setHtml(self._html(None))

    def find(self) -> None:
        self.results.clear()
        text = self.search.text().strip()
        if not text:
            return
        rows = customer_query.page(self.ctx, CustomerFilter(search=text), columns=["code", "name", "city"], limit=50)
        for cid, _v, code, name, city in rows:
            if cid == self.keep.id:
                continue
            item = QListWidgetItem(f"{code}  {name}" + (f"  · {city}" if city else ""))
            item.setData(Qt.UserRole, cid)
            self.results.addItem(item)

    def choose(self, customer_id: int) -> None:
        self.other_id = customer_id
        self.preview.setHtml(self._html(customers.get_customer(self.ctx, customer_id)))
        self.merge_button.setEnabled(True)

    def _chosen(self, item, _prev=None) -> None:  # noqa: ANN001
        if item is not None:
            self.choose(item.data(Qt.UserRole))

    def _html(self, other) -> str:  # noqa: ANN001
        def esc(text: object) -> str:
            return str(text).replace("&", "&amp;").replace("<", "&lt;")

        head = (f"<tr><th></th><th align='left'>{esc(_('Kept'))}: {esc(self.keep.code)}</th>"
                f"<th align='left'>{esc(_('Merged in'))}: {esc(other.code if other else '—')}</th></tr>")
        rows = []
        for key in PREVIEW_KEYS:
            f = CUSTOMER_FIELD[key]
            mine = shown(f, self.keep[key])
            theirs = shown(f, other[key]) if other else ""
            fill = other is not None and key in EDITABLE and not mine and theirs
            mark = f" <span style='color:#1b7f3b'>({esc(_('filled in'))})</span>" if fill else ""
            rows.append(f"<tr><td>{esc(f.title)}</td><td>{esc(mine)}</td><td>{esc(theirs)}{mark}</td></tr>")
        extra = ""
        if other is not None:
            n = len(contacts.list_contacts(self.ctx, other.id))
            extra = "<p>" + esc(_("{n} contacts and all history of {code} move to {keep}.").format(
                n=n, code=other.code, keep=self.keep.code)) + "</p>"
        return f"<table cellpadding='3'>{head}{''.join(rows)}</table>{extra}"

    def confirm(self) -> None:
        if self.other_id is None:
            return
        other = customers.get_customer(self.ctx, self.other_id)
        answer = QMessageBox.question(
            self, _("Merge customers"),
            _("Merge {other} into {keep}? {other} will be deleted. This cannot be undone.").format(
                other=f"{other.code} {other['name']}", keep=f"{self.keep.code} {self.keep['name']}"))
        if answer != QMessageBox.Yes:
            return
        self.do_merge()

    def do_merge(self) -> bool:
        try:
            merge.merge_customers(self.ctx, self.keep.id, self.other_id)
        except CrmError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True
