"""The complaints view (Ctrl+3): search, filters, the lazy list with time left / overdue colour-coded,
most urgent first by default; new complaint (Ctrl+N), open, assign, phrasebook."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import complaints, complaints_query
from desktop_crm.core.services.complaints_query import ComplaintFilter
from desktop_crm.ui.complaints import common
from desktop_crm.ui.customers.filter_panel import MultiSelect
from desktop_crm.ui.reports.list_output import output_menu_button
from desktop_crm.ui.tablemodel import LazyTableModel, ListColumn, ListSource, lazy_table_view
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.widgets.flow import flow_row, pair

COLUMNS = ["number", "next_due", "status", "severity", "category", "customer_name", "received_at", "handler",
           "channel", "order_no", "description"]
FETCH = [*COLUMNS, "overdue"]  # an extra value for the colours
RECEIVED = 2 + COLUMNS.index("received_at")
WIDTHS = {"number": 130, "next_due": 140, "status": 115, "severity": 70, "category": 110, "customer_name": 200,
          "received_at": 120, "handler": 90, "channel": 70, "order_no": 110}


class ComplaintSource:
    def __init__(self, ctx):  # noqa: ANN001
        self.ctx = ctx
        self.flt = ComplaintFilter()
        self.total = 0
        self.sort_key, self.descending = "", False

    def recount(self) -> int:
        self.total = complaints_query.count(self.ctx, self.flt)
        return self.total

    def fetch(self, offset: int, limit: int, sort_key: str, descending: bool) -> list[tuple]:
        # Clicking "Time left" sorts by urgency (the default order)
        self.sort_key, self.descending = ("" if sort_key == "next_due" else sort_key), descending
        try:
            return complaints_query.page(self.ctx, self.flt, columns=FETCH, sort=self.sort_key,
                                         descending=descending, offset=offset, limit=limit)
        except CrmError:
            return []

    @staticmethod
    def display(key: str, value: object) -> str:
        if key == "next_due":
            return common.time_left(value)  # type: ignore[arg-type]
        if key == "description":
            return str(value or "").replace("\n", " ")[:120]
        return common.text_of(key, value)

    @staticmethod
    def colour(key: str, value: object, row: tuple) -> QColor | None:
        if key == "next_due":
            c = common.time_left_colour(value, row[RECEIVED])  # type: ignore[arg-type]
            return QColor(c) if c else None
        if key == "number" and row[-1]:
            return QColor(common.RED)
        return common.colour(key, value)

    def source(self) -> ListSource:
        cols = [ListColumn(k, common.title(k)) for k in COLUMNS]
        return ListSource(columns=cols, count=lambda: self.total, fetch=self.fetch, display=self.display,
                          colour=self.colour, sort_key=self.sort_key, descending=self.descending)


class ComplaintsView(QWidget):
    def __init__(self, ctx, nav, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.data = ComplaintSource(ctx)
        writer = ctx.actor.role != "viewer"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)

        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("complaint_search")
        self.search.setPlaceholderText(_("Search number, customer, phone, order no or text…"))
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        self.overdue = QCheckBox(_("Overdue only"))
        top.addWidget(self.overdue)
        layout.addLayout(top)

        # the filters wrap onto a second line when the window is narrow (1366×768, 150 % scaling)
        units: list[QWidget] = []
        self.multi: dict[str, MultiSelect] = {}
        for key in ("status", "category", "severity", "channel"):
            enum = common.ENUMS[key]
            box = MultiSelect([(k, enum.label(k)) for k in enum.keys], self)
            box.setObjectName(f"filter_{key}")
            units.append(pair(QLabel(common.title(key)), box))
            self.multi[key] = box
        handlers = [(complaints_query.UNASSIGNED, _("(unassigned)")), *complaints_query.handlers(ctx)]
        self.multi["handler"] = MultiSelect(handlers, self)
        units.append(pair(QLabel(common.title("handler")), self.multi["handler"]))
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setSpecialValueText(" ")
            w.setMinimumDate(QDate(2000, 1, 1))
            w.setDate(w.minimumDate())
            w.setDisplayFormat("yyyy-MM-dd")
        dates = pair(QLabel(_("Received from")), self.date_from)
        units.append(pair(dates, pair(QLabel(_("to")), self.date_to)))
        self.filter_row = flow_row(*units)
        layout.addWidget(self.filter_row)

        self.new_button = QPushButton(_("New complaint"))
        self.new_button.setToolTip(_("New complaint (Ctrl+N)"))
        self.open_button = QPushButton(_("Open"))
        self.assign_button = QPushButton(_("Assign…"))
        self.phrases_button = QPushButton(_("Phrasebook…"))
        self.import_button = QPushButton(_("Import complaints…"))
        self.export_button = QPushButton(_("Export list…"))
        self.output_button = output_menu_button(self, self._output, formats=("pdf", "print"))
        self.count_label = QLabel()
        self.count_label.setObjectName("complaint_count")
        actions = QHBoxLayout()
        actions.addWidget(flow_row(self.new_button, self.open_button, self.assign_button, self.export_button,
                                   self.output_button, self.import_button, self.phrases_button), 1)
        actions.addWidget(self.count_label, 0, Qt.AlignTop)
        layout.addLayout(actions)
        self.new_button.setVisible(writer)
        self.assign_button.setVisible(writer and ctx.actor.at_least("supervisor"))
        self.phrases_button.setVisible(ctx.actor.role == "admin")
        self.import_button.setVisible(writer and ctx.actor.at_least("supervisor"))
        self.export_button.setVisible(writer or ctx.actor.can_export)
        self.output_button.setVisible(writer or ctx.actor.can_export)

        self.model = LazyTableModel(self.data.source(), parent=self)
        self.table = lazy_table_view(self.model, "complaint_table")
        header = self.table.horizontalHeader()
        header.setSortIndicator(1, Qt.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort)
        header.setStretchLastSection(True)
        for i, key in enumerate(COLUMNS):
            if key in WIDTHS:
                self.table.setColumnWidth(i, WIDTHS[key])
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        layout.addWidget(self.table, 1)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setVisible(False)
        layout.addWidget(self.error)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.overdue.toggled.connect(lambda _c: self.refresh())
        for box in self.multi.values():
            box.changed.connect(self.refresh)
        for w in (self.date_from, self.date_to):
            w.dateChanged.connect(lambda _d: self._debounce.start())
        self.new_button.clicked.connect(self.new_complaint)
        self.open_button.clicked.connect(self.open_selected)
        self.assign_button.clicked.connect(self.assign_selected)
        self.phrases_button.clicked.connect(self.edit_phrasebook)
        self.import_button.clicked.connect(self.import_complaints)
        self.export_button.clicked.connect(self.export_list)
        new_act = QAction(self)
        new_act.setShortcut(QKeySequence.New)
        new_act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        new_act.triggered.connect(self.new_complaint)
        if writer:
            self.addAction(new_act)
        self.refresh()

    def _date(self, w: QDateEdit) -> date | None:
        return None if w.date() == w.minimumDate() else w.date().toPython()

    def current_filter(self) -> ComplaintFilter:
        return ComplaintFilter(
            search=self.search.text().strip(), overdue=self.overdue.isChecked(),
            status=self.multi["status"].values(), category=self.multi["category"].values(),
            severity=self.multi["severity"].values(), channel=self.multi["channel"].values(),
            handler=self.multi["handler"].values(), received_from=self._date(self.date_from),
            received_to=self._date(self.date_to))

    def refresh(self) -> None:
        self._debounce.stop()
        self.data.flt = self.current_filter()
        try:
            self.data.recount()
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        self.error.setVisible(False)
        self.model.refresh()
        self.count_label.setText(_("{n} complaints").format(n=f"{self.data.total:,}"))

    def activated(self) -> None:
        self.refresh()

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        cid = self.selected_id()
        if cid is not None:
            self.nav.open_complaint(cid)

    def new_complaint(self) -> None:
        self.nav.new_complaint()
        self.refresh()

    def assign_selected(self) -> None:
        cid = self.selected_id()
        if cid is None:
            return
        choices = complaints_query.handlers(self.ctx)
        labels = [label for _id, label in choices]
        label, ok = QInputDialog.getItem(self, _("Assign handler"), _("Handler:"), labels, 0, False)
        if not ok:
            return
        try:
            complaints.assign(self.ctx, cid, choices[labels.index(label)][0])
        except CrmError as exc:
            show_error(self, exc)
            return
        self.refresh()

    def edit_phrasebook(self) -> None:
        from desktop_crm.ui.complaints.phrasebook_editor import PhrasebookEditor

        PhrasebookEditor(self.ctx, self).exec()

    def import_complaints(self) -> None:
        """The shared import dialog (same modes, dry run, error workbook), set to complaints."""
        from desktop_crm.ui.customers.import_dialog import ImportDialog

        dlg = ImportDialog(self.ctx, self)
        if dlg.kind.findData("complaints") < 0:
            dlg.kind.addItem(_("Complaints"), "complaints")
        dlg.kind.setCurrentIndex(dlg.kind.findData("complaints"))
        dlg.setWindowTitle(_("Import complaints"))
        dlg.exec()
        self.refresh()

    def _output(self, how: str) -> None:
        from desktop_crm.core.services.complaints_query import complaint_table
        from desktop_crm.ui.reports.list_output import output_list

        flt = self.current_filter()
        shown = [k for k in COLUMNS if k != "next_due"]  # the list as shown (the clock is live, not data)
        output_list(self, self.ctx, _("Complaints"), lambda: complaint_table(self.ctx, flt, shown), how)

    def export_list(self) -> None:
        """The list as filtered (and within the user's scope) to .xlsx or .csv, in the background."""
        from PySide6.QtWidgets import QFileDialog

        from desktop_crm.ui.tasks import run_task

        path, _f = QFileDialog.getSaveFileName(self, _("Export list…"), "complaints.xlsx",
                                               "Excel (*.xlsx);;CSV (*.csv)")
        if not path:
            return
        flt = self.current_filter()
        run_task(self, _("Export list…"), lambda progress: complaints_query.export_list(self.ctx, flt, path, progress),
                 on_done=lambda n: self.nav.notify(_("{n} complaints exported.").format(n=n)))
