"""The customer list (客户列表): search box, filter panel, saved filters, lazy table with
database sorting, column chooser, count, multi-select with bulk actions, import and export."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import customer_query
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELD, CUSTOMER_FIELDS
from desktop_crm.core.services.customer_query import IDS, CustomerFilter
from desktop_crm.ui.customers import list_actions
from desktop_crm.ui.customers.filter_panel import FilterPanel
from desktop_crm.ui.customers.list_source import (
    CustomerSource,
    choosable,
    column_width,
    load_columns,
    save_columns,
)
from desktop_crm.ui.tablemodel import LazyTableModel, lazy_table_view


class CustomerListView(QWidget):
    def __init__(self, ctx, nav, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.data = CustomerSource(ctx, load_columns())
        writer = ctx.actor.role != "viewer"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)

        # -- search and filters row ------------------------------------------------
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("customer_search")
        self.search.setPlaceholderText(_("Search code, name, contact, phone, email or pinyin…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        top.addWidget(self.search, 1)
        self.filter_button = QToolButton()
        self.filter_button.setText(_("Filters"))
        self.filter_button.setCheckable(True)
        self.filter_button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        top.addWidget(self.filter_button)
        top.addWidget(QLabel(_("Saved filter:")))
        self.saved = QComboBox()
        self.saved.setMinimumWidth(160)
        top.addWidget(self.saved)
        self.save_filter_button = QPushButton(_("Save…"))
        self.delete_filter_button = QPushButton(_("Delete"))
        top.addWidget(self.save_filter_button)
        top.addWidget(self.delete_filter_button)
        layout.addLayout(top)

        self.drill_ids: list[int] | None = None
        self.drill_bar = QWidget()
        drill = QHBoxLayout(self.drill_bar)
        drill.setContentsMargins(0, 0, 0, 0)
        self.drill_label = QLabel()
        show_all = QPushButton(_("Show all customers"))
        show_all.clicked.connect(self.clear_drill)
        drill.addWidget(self.drill_label)
        drill.addWidget(show_all)
        drill.addStretch(1)
        self.drill_bar.setVisible(False)
        layout.addWidget(self.drill_bar)
        self.filter_panel = FilterPanel(ctx, self)
        self.filter_panel.setVisible(False)
        layout.addWidget(self.filter_panel)
        self.filter_error = QLabel()
        self.filter_error.setStyleSheet("color: #b00020;")
        self.filter_error.setVisible(False)
        layout.addWidget(self.filter_error)

        # -- actions row -------------------------------------------------------------
        actions = QHBoxLayout()
        self.new_button = QPushButton(_("New customer"))
        self.new_button.setToolTip(_("New customer (Ctrl+N)"))
        self.open_button = QPushButton(_("Open"))
        self.transfer_button = QPushButton(_("Transfer…"))
        self.status_button = QPushButton(_("Set status…"))
        self.export_button = QToolButton()
        self.export_button.setText(_("Export"))
        self.export_button.setPopupMode(QToolButton.InstantPopup)
        export_menu = QMenu(self.export_button)
        self.export_selection_action = export_menu.addAction(_("Export selection…"))
        self.export_list_action = export_menu.addAction(_("Export list…"))
        self.list_pdf_action = export_menu.addAction(_("List to PDF…"))
        self.print_list_action = export_menu.addAction(_("Print list…"))
        self.export_button.setMenu(export_menu)
        self.import_button = QPushButton(_("Import customers…"))
        self.plan_visits_button = QPushButton(_("Plan return visits…"))
        self.plan_visits_button.setToolTip(_("For the selected customers, or the whole list when none is selected"))
        self.plan_visits_button.clicked.connect(lambda: list_actions.plan_visits(self))
        for b in (self.new_button, self.open_button, self.transfer_button, self.status_button,
                  self.plan_visits_button):
            actions.addWidget(b)
        actions.addWidget(self.export_button)
        actions.addWidget(self.import_button)
        actions.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("customer_count")
        actions.addWidget(self.count_label)
        layout.addLayout(actions)
        self.new_button.setVisible(writer)
        self.status_button.setVisible(writer)
        self.plan_visits_button.setVisible(writer)
        self.import_button.setVisible(writer)
        self.transfer_button.setVisible(writer and ctx.actor.at_least("supervisor"))
        self.export_button.setVisible(ctx.actor.role != "viewer" or ctx.actor.can_export)

        # -- table ---------------------------------------------------------------------
        self.model = LazyTableModel(self.data.source(), parent=self)
        self.table = lazy_table_view(self.model, "customer_table", multi_select=True)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self._apply_widths()

        # -- signals -------------------------------------------------------------------
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.filter_panel.changed.connect(self.refresh)
        self.filter_button.toggled.connect(self.filter_panel.setVisible)
        self.saved.activated.connect(self._load_saved)
        self.save_filter_button.clicked.connect(self.save_current_filter)
        self.delete_filter_button.clicked.connect(self.delete_saved_filter)
        self.new_button.clicked.connect(self.new_customer)
        self.open_button.clicked.connect(self.open_selected)
        self.transfer_button.clicked.connect(lambda: list_actions.transfer_selection(self))
        self.status_button.clicked.connect(lambda: list_actions.status_selection(self))
        self.export_selection_action.triggered.connect(lambda: list_actions.export(self, selection=True))
        self.export_list_action.triggered.connect(lambda: list_actions.export(self, selection=False))
        self.list_pdf_action.triggered.connect(lambda: self._list_output("pdf"))
        self.print_list_action.triggered.connect(lambda: self._list_output("print"))
        self.import_button.clicked.connect(lambda: list_actions.import_customers(self))
        new_act = QAction(self)
        new_act.setShortcut(QKeySequence.New)
        new_act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        new_act.triggered.connect(self.new_customer)
        self.addAction(new_act)
        self._reload_saved()
        self.refresh()

    # -- filter ------------------------------------------------------------------------
    def current_filter(self) -> CustomerFilter:
        fields = self.filter_panel.filters()
        if self.drill_ids is not None:
            fields[IDS] = list(self.drill_ids)
        return CustomerFilter(search=self.search.text().strip(), fields=fields)

    def clear_drill(self) -> None:
        self.drill_ids = None
        self.drill_bar.setVisible(False)
        self.refresh()

    def refresh(self) -> None:
        """Re-count and reload with the search box and the filter panel."""
        self._debounce.stop()
        self.data.flt = self.current_filter()
        try:
            self.data.recount()
        except ValidationError as exc:
            self.filter_panel.show_errors(exc.errors)
            self.filter_panel.setVisible(True)
            self.filter_button.setChecked(True)
            self.filter_error.setText(_("Check the filter: {error}").format(
                error="; ".join(f"{CUSTOMER_FIELD[k].title if k in CUSTOMER_FIELD else k}: {v}"
                                for k, v in exc.errors.items())))
            self.filter_error.setVisible(True)
            return
        self.filter_panel.show_errors({})
        self.filter_error.setVisible(False)
        self.model.refresh()
        self.table.scrollToTop()
        self._update_count()

    def _update_count(self) -> None:
        n = self.data.total
        active = self.filter_panel.active_count()
        text = _("{n} customers").format(n=f"{n:,}")
        if active:
            text += "  " + _("({k} filters)").format(k=active)
        self.count_label.setText(text)
        self.filter_button.setText(_("Filters") + (f" ({active})" if active else ""))

    def apply_filter(self, fields: dict) -> None:
        """Drill-down from reports: show exactly these conditions (search cleared)."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        ids = (fields or {}).get(IDS)
        self.drill_ids = list(ids) if ids is not None else None
        self.drill_label.setText(_("Showing the {n} customers behind a report row.").format(n=len(ids or [])))
        self.drill_bar.setVisible(ids is not None)
        fields = {k: v for k, v in (fields or {}).items() if k in CUSTOMER_FIELD}
        self.filter_panel.set_filters(fields)
        if fields:
            self.filter_panel.setVisible(True)
            self.filter_button.setChecked(True)
        self.saved.setCurrentIndex(0)
        self.refresh()

    def activated(self) -> None:
        self.search.setFocus()

    def _list_output(self, how: str) -> None:
        from desktop_crm.ui.reports.list_output import customer_list_output

        customer_list_output(self, how)

    # -- saved filters -------------------------------------------------------------------
    def _reload_saved(self, select: str | None = None) -> None:
        self.saved.blockSignals(True)
        self.saved.clear()
        self.saved.addItem(_("(none)"), None)
        try:
            self._saved = customer_query.saved_filters(self.ctx)
        except CrmError:
            self._saved = {}
        for name in self._saved:
            self.saved.addItem(name, name)
        if select:
            self.saved.setCurrentIndex(max(self.saved.findData(select), 0))
        self.saved.blockSignals(False)
        self.delete_filter_button.setEnabled(bool(self._saved))

    def _load_saved(self, index: int) -> None:
        name = self.saved.itemData(index)
        if name is None or name not in self._saved:
            return
        flt = self._saved[name]
        self.search.blockSignals(True)
        self.search.setText(flt.search)
        self.search.blockSignals(False)
        self.filter_panel.set_filters(flt.fields)
        self.refresh()

    def save_current_filter(self, name: str | None = None) -> None:
        if name is None:
            current = self.saved.currentData() or ""
            name, ok = QInputDialog.getText(self, _("Save filter"), _("Name of the filter:"), text=current)
            if not ok:
                return
        try:
            customer_query.save_filter(self.ctx, name, self.current_filter())
        except CrmError as exc:
            QMessageBox.warning(self, _("Save filter"), str(exc))
            return
        self._reload_saved(select=name.strip())

    def delete_saved_filter(self) -> None:
        name = self.saved.currentData()
        if not name:
            return
        if QMessageBox.question(self, _("Delete filter"), _("Delete the saved filter “{name}”?").format(name=name)) \
                != QMessageBox.Yes:
            return
        customer_query.delete_filter(self.ctx, name)
        self._reload_saved()

    # -- columns and sorting -------------------------------------------------------------
    def _sort(self, section: int, order: Qt.SortOrder) -> None:
        if 0 <= section < len(self.data.columns):
            self.data.sort_key, self.data.descending = self.data.columns[section], order == Qt.DescendingOrder
        self.model.sort(section, order)

    def _apply_widths(self) -> None:
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for i, key in enumerate(self.data.columns):
            enum = CUSTOMER_FIELD[key].enum
            # a list of labels (grade, status, kind…) is never elided: as wide as its longest label
            longest = max((metrics.horizontalAdvance(enum.label(k)) + 16 for k in enum.keys), default=0) if enum else 0
            header.resizeSection(i, max(column_width(key), longest))

    def _column_menu(self, pos) -> None:  # noqa: ANN001
        menu = QMenu(self)
        for key in choosable():
            act = menu.addAction(CUSTOMER_FIELD[key].title)
            act.setCheckable(True)
            act.setChecked(key in self.data.columns)
            act.setData(key)
        menu.addSeparator()
        reset = menu.addAction(_("Default columns"))
        chosen = menu.exec(self.table.horizontalHeader().mapToGlobal(pos))
        if chosen is None:
            return
        if chosen is reset:
            self.set_columns(list(customer_query.DEFAULT_COLUMNS))
        else:
            self.toggle_column(chosen.data())

    def toggle_column(self, key: str) -> None:
        cols = list(self.data.columns)
        if key in cols:
            if len(cols) > 1:
                cols.remove(key)
        else:
            order = [f.key for f in CUSTOMER_FIELDS]
            cols.append(key)
            cols.sort(key=order.index)
        self.set_columns(cols)

    def set_columns(self, keys: list[str]) -> None:
        self.data.columns = keys
        save_columns(keys)
        if self.data.sort_key not in keys and self.data.sort_key != "code":
            self.data.sort_key, self.data.descending = "code", False
        self.model.set_source(self.data.source())
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        idx = keys.index(self.data.sort_key) if self.data.sort_key in keys else -1
        header.setSortIndicator(idx, Qt.DescendingOrder if self.data.descending else Qt.AscendingOrder)
        header.blockSignals(False)
        self._apply_widths()

    # -- selection and opening -----------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.table.selectionModel().selectedRows())

    def selected_ids(self) -> list[int]:
        """Ids of the selected rows; a whole-list selection is resolved by the database."""
        ranges = self.table.selectionModel().selection()
        total = sum(r.bottom() - r.top() + 1 for r in ranges if r.left() == 0)
        if total and total >= self.model.rowCount():
            return customer_query.ids(self.ctx, self.data.flt)
        out: list[int] = []
        for r in ranges:
            if r.left() != 0:
                continue
            for row in range(r.top(), r.bottom() + 1):
                cid = self.model.id_at(row)
                if cid is not None and cid not in out:
                    out.append(cid)
        return out

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        cid = self.model.id_at(index.row()) if index.isValid() else None
        if cid is None:
            ids = self.selected_ids()
            cid = ids[0] if ids else None
        if cid is not None:
            self.nav.open_customer(cid)

    def new_customer(self) -> None:
        if self.ctx.actor.role == "viewer":
            return
        from desktop_crm.ui.customers.edit_dialog import CustomerDialog

        dialog = CustomerDialog(self.ctx, nav=self.nav, parent=self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            self.nav.open_customer(dialog.saved.id)

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        from PySide6.QtCore import QEvent

        if obj is self.table and event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.open_selected()
            return True
        return super().eventFilter(obj, event)
