"""The customer pool (公海, Ctrl+7): unowned customers; staff claim within the daily limit; a
manager returns customers with no interaction for N days to the pool in one action."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import pool, settings
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD, display
from desktop_crm.ui.tablemodel import ROW_ID_ROLE, LazyTableModel, ListColumn, ListSource
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.widgets.headers import keep_titles_whole


class PoolView(QWidget):
    def __init__(self, ctx, nav, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.search_text = ""
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        title = QLabel("<b>" + _("Customer pool") + "</b>")
        bar.addWidget(title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search code, name, phone, pinyin…"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.apply_search)
        bar.addWidget(self.search, 1)
        self.count_label = QLabel()
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        columns = [ListColumn(k, CUSTOMER_FIELD[k].title) for k in pool.COLUMNS]
        self.source = ListSource(columns=columns, count=self._count, fetch=self._fetch, display=self._display,
                                 sort_key="code")
        self.model = LazyTableModel(self.source, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.AscendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.doubleClicked.connect(lambda index: self.nav.open_customer(self.model.id_at(index.row())))
        for col, width in enumerate((90, 240, 80, 80, 110, 90, 110, 130, 130)):
            self.table.setColumnWidth(col, width)
        keep_titles_whole(self.table)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.claim_button = QPushButton(_("Claim selected"))
        self.claim_button.clicked.connect(self.claim)
        self.claim_button.setVisible(ctx.actor.role != "viewer")
        self.left_label = QLabel()
        actions.addWidget(self.claim_button)
        actions.addWidget(self.left_label)
        actions.addStretch(1)
        self.return_button = QPushButton(_("Return customers with no interaction…"))
        self.return_button.clicked.connect(self.return_stale)
        self.return_button.setVisible(ctx.actor.role in ("manager", "admin"))
        actions.addWidget(self.return_button)
        layout.addLayout(actions)
        self.refresh()

    # -- source -----------------------------------------------------------------------
    def _count(self) -> int:
        try:
            return pool.count(self.ctx, self.search_text)
        except CrmError:
            return 0

    def _fetch(self, offset: int, limit: int, sort_key: str, descending: bool) -> list[tuple]:
        try:
            return pool.page(self.ctx, self.search_text, sort=sort_key or "code", descending=descending,
                             offset=offset, limit=limit)
        except CrmError:
            return []

    @staticmethod
    def _display(key: str, value: object) -> str:
        return display(CUSTOMER_FIELD[key], value)

    # -- actions ------------------------------------------------------------------------
    def apply_search(self) -> None:
        self.search_text = self.search.text().strip()
        self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        self.count_label.setText(_("{n} customers in the pool").format(n=self.model.rowCount()))
        if self.ctx.actor.role != "viewer":
            try:
                left = pool.claims_left(self.ctx)
            except CrmError:
                left = 0
            self.left_label.setText(_("{n} claims left today").format(n=left))

    def activated(self) -> None:
        self.refresh()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.index(r, 0).data(ROW_ID_ROLE) for r in rows]

    def claim(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.nav.notify(_("Select customers to claim first."))
            return
        try:
            result = pool.claim(self.ctx, ids)
        except CrmError as exc:
            show_error(self, exc)
            return
        self.nav.notify(_("{n} customers claimed; {left} claims left today.").format(n=result.claimed,
                                                                                    left=result.left_today))
        self.refresh()

    def return_stale(self) -> None:
        try:
            default = int(settings.get(self.ctx, "pool_return_after_days")) or 90
        except CrmError:
            default = 90
        days, ok = QInputDialog.getInt(self, _("Return to the pool"),
                                       _("Return customers with no interaction for how many days?"), default, 1, 3650)
        if not ok:
            return
        try:
            n = pool.stale_count(self.ctx, days)
            if n == 0:
                QMessageBox.information(self, _("Return to the pool"), _("No customer qualifies."))
                return
            if QMessageBox.question(self, _("Return to the pool"),
                                    _("Return {n} customers with no interaction for {days} days to the pool?")
                                    .format(n=n, days=days)) != QMessageBox.Yes:
                return
            moved = pool.return_stale(self.ctx, days)
        except CrmError as exc:
            show_error(self, exc)
            return
        self.nav.notify(_("{n} customers returned to the pool.").format(n=moved))
        self.refresh()
