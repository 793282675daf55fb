"""Reports (Ctrl+4): pick a report, a period (presets), a scope (limited by the role) and the
report's own parameters; the table(s) and the chart on screen; drill-down from a row to the
customers behind it; Excel, PDF, print preview and print (the PDF's layout); the monthly pack.
Reports are computed and written in the background (ui/tasks.run_task, progress with Cancel)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.i18n import _
from desktop_crm.core.reporting.builders import registry
from desktop_crm.core.reporting.builders.common import CUSTOMER, DRILL
from desktop_crm.core.reporting.builders.composition import BY_FIELDS
from desktop_crm.core.reporting.builders.params import (
    PRESETS,
    UNITS,
    ReportParams,
    parse_amount,
    preset,
    scope_choices,
)
from desktop_crm.core.reporting.model import Report
from desktop_crm.ui.reports.chart import ChartWidget
from desktop_crm.ui.reports.table_model import ReportTableModel
from desktop_crm.ui.tasks import run_task, show_error
from desktop_crm.ui.widgets.headers import keep_titles_whole


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportsView(QWidget):
    def __init__(self, ctx, nav, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.report: Report | None = None
        self.models: list[ReportTableModel] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)

        row1 = QHBoxLayout()
        self.report_box = QComboBox()
        self.report_box.setObjectName("report_choice")
        for key, d in registry.REPORTS.items():
            self.report_box.addItem(_(d.title), key)
        row1.addWidget(QLabel(_("Report:")))
        row1.addWidget(self.report_box, 1)
        self.preset_box = QComboBox()
        for key, label in PRESETS:
            self.preset_box.addItem(_(label), key)
        self.preset_box.addItem(_("Custom"), "custom")
        self.preset_box.setCurrentIndex(3)
        row1.addWidget(QLabel(_("Period:")))
        row1.addWidget(self.preset_box)
        self.from_edit, self.to_edit = QDateEdit(), QDateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        row1.addWidget(self.from_edit)
        row1.addWidget(QLabel("—"))
        row1.addWidget(self.to_edit)
        self.scope_box = QComboBox()
        self.scope_box.setObjectName("report_scope")
        self.scope_box.setMinimumWidth(180)
        row1.addWidget(QLabel(_("Scope:")))
        row1.addWidget(self.scope_box)
        layout.addLayout(row1)

        row2 = QHBoxLayout()
        self.by_label, self.by_box = QLabel(_("Group by:")), QComboBox()
        for key, (_f, _e, label) in BY_FIELDS.items():
            self.by_box.addItem(_(label), key)
        self.years_label, self.years_spin = QLabel(_("Years:")), QSpinBox()
        self.years_spin.setRange(0, 20)
        self.years_spin.setSpecialValueText(_("full years in the period"))
        self.target_label, self.target_edit = QLabel(_("Annual target:")), QLineEdit()
        self.target_edit.setPlaceholderText(_("optional amount"))
        self.target_edit.setMaximumWidth(140)
        self.unit_box = QComboBox()  # money in yuan or in 万元
        self.unit_box.setObjectName("report_unit")
        for key, label in UNITS.items():
            self.unit_box.addItem(_(label), key)
        for w in (self.by_label, self.by_box, self.years_label, self.years_spin, self.target_label, self.target_edit,
                  QLabel(_("Money in:")), self.unit_box):
            row2.addWidget(w)
        self.run_button = QPushButton(_("Run report"))
        self.run_button.setObjectName("run_report")
        self.run_button.setDefault(True)
        row2.addWidget(self.run_button)
        row2.addStretch(1)
        self.excel_button = QPushButton(_("Excel…"))
        self.pdf_button = QPushButton(_("PDF…"))
        self.preview_button = QPushButton(_("Print preview…"))
        self.print_button = QPushButton(_("Print…"))
        self.pack_button = QPushButton(_("Monthly pack…"))
        for b in (self.excel_button, self.pdf_button, self.preview_button, self.print_button, self.pack_button):
            row2.addWidget(b)
        layout.addLayout(row2)
        can_export = ctx.actor.role != "viewer" or ctx.actor.can_export
        for b in (self.excel_button, self.pdf_button, self.pack_button):
            b.setVisible(can_export)

        self.heading = QLabel()
        self.heading.setObjectName("report_heading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        split = QSplitter(Qt.Vertical)
        self.chart = ChartWidget()
        split.addWidget(self.chart)
        self.tabs = QTabWidget()
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([260, 420])
        layout.addWidget(split, 1)
        self.hint = QLabel(_("Double-click a row to see the customers behind it."))
        self.hint.setStyleSheet("color: #666;")
        layout.addWidget(self.hint)

        self.report_box.currentIndexChanged.connect(self._options)
        self.preset_box.currentIndexChanged.connect(self._apply_preset)
        self.from_edit.dateChanged.connect(self._custom)
        self.to_edit.dateChanged.connect(self._custom)
        self.run_button.clicked.connect(self.run)
        self.excel_button.clicked.connect(lambda: self.export(".xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.preview_button.clicked.connect(self.print_preview)
        self.print_button.clicked.connect(self.print_report)
        self.pack_button.clicked.connect(self.monthly_pack)
        self._setting_dates = False
        self._apply_preset()
        self._load_scopes()
        self._options()
        self._enable_outputs()

    # -- parameters ---------------------------------------------------------------------
    def _load_scopes(self) -> None:
        self.scope_box.clear()
        try:
            for key, label in scope_choices(self.ctx):
                self.scope_box.addItem(label, key)
        except Exception as exc:  # noqa: BLE001 - shown, the view still opens
            show_error(self, exc)

    def _options(self) -> None:
        options = registry.REPORTS[self.report_box.currentData()].options
        for w in (self.by_label, self.by_box):
            w.setVisible("by" in options)
        for w in (self.years_label, self.years_spin):
            w.setVisible("years" in options)
        for w in (self.target_label, self.target_edit):
            w.setVisible("target" in options)

    def _apply_preset(self) -> None:
        key = self.preset_box.currentData()
        if key == "custom":
            return
        d0, d1 = preset(key)
        self._setting_dates = True
        self.from_edit.setDate(_qdate(d0))
        self.to_edit.setDate(_qdate(d1))
        self._setting_dates = False

    def _custom(self) -> None:
        if not self._setting_dates:
            self.preset_box.blockSignals(True)
            self.preset_box.setCurrentIndex(self.preset_box.count() - 1)
            self.preset_box.blockSignals(False)

    def params(self) -> ReportParams:
        return ReportParams(_pydate(self.from_edit.date()), _pydate(self.to_edit.date()),
                            self.scope_box.currentData() or "all", by=self.by_box.currentData(),
                            years=self.years_spin.value() or None, target=parse_amount(self.target_edit.text()),
                            unit=self.unit_box.currentData() or "yuan")

    def set_report(self, key: str, params: ReportParams | None = None) -> None:
        """Select a report (and period/scope), e.g. from elsewhere in the app; does not run it."""
        self.report_box.setCurrentIndex(max(self.report_box.findData(key), 0))
        if params is not None:
            self._setting_dates = True
            self.from_edit.setDate(_qdate(params.date_from))
            self.to_edit.setDate(_qdate(params.date_to))
            self._setting_dates = False
            self._custom()
            self.scope_box.setCurrentIndex(max(self.scope_box.findData(params.scope), 0))
            if params.by:
                self.by_box.setCurrentIndex(max(self.by_box.findData(params.by), 0))

    # -- running ------------------------------------------------------------------------
    def run(self) -> None:
        try:
            params = self.params()
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        key = self.report_box.currentData()
        ctx = self.ctx
        self.run_button.setEnabled(False)
        run_task(self, _("Computing the report…"), lambda p: registry.build(ctx, key, params, p),
                 on_done=self.show_report, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        show_error(self, exc)

    def show_report(self, report: Report) -> None:
        self.run_button.setEnabled(True)
        self.report = report
        facts = [report.period, report.scope] + [f"{p.label}: {p.value}" for p in report.parameters]
        self.heading.setText(f"<b>{report.title}</b> &nbsp; " + " · ".join(str(f) for f in facts if f))
        self.chart.set_chart(report.chart)
        self.tabs.clear()
        self.models = []
        for _key, title, table in report.tables():
            model = ReportTableModel(table, self)
            view = QTableView()
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectRows)
            view.setAlternatingRowColors(True)
            view.verticalHeader().setVisible(False)
            view.verticalHeader().setDefaultSectionSize(22)
            view.horizontalHeader().setStretchLastSection(False)
            view.resizeColumnsToContents()
            keep_titles_whole(view)
            view.doubleClicked.connect(lambda index, m=model: self.drill(m, index.row()))
            self.tabs.addTab(view, title)
            self.models.append(model)
        self._enable_outputs()

    def drill(self, model: ReportTableModel, row: int) -> bool:
        """Open the customers behind a row: one customer, or the customer list with the row's filter."""
        data = model.row_data(row)
        if not data:
            return False
        if data.get(CUSTOMER):
            self.nav.open_customer(data[CUSTOMER])
            return True
        if data.get(DRILL):
            self.nav.customers_with_filter(dict(data[DRILL]))
            return True
        return False

    def _enable_outputs(self) -> None:
        ready = self.report is not None
        for b in (self.excel_button, self.pdf_button, self.preview_button, self.print_button):
            b.setEnabled(ready)

    # -- outputs ------------------------------------------------------------------------
    def export(self, suffix: str, path: str | None = None) -> None:
        if self.report is None:
            return
        if path is None:
            filters = _("Excel workbook (*.xlsx)") if suffix == ".xlsx" else _("PDF document (*.pdf)")
            path, _chosen = QFileDialog.getSaveFileName(self, _("Export report"), f"{self.report.key}{suffix}",
                                                        filters)
            if not path:
                return
            if not path.lower().endswith(suffix):
                path += suffix
        report, ctx = self.report, self.ctx
        run_task(self, _("Writing {file}…").format(file=path), lambda p: registry.write(ctx, report, path, p),
                 on_done=lambda _r: self.nav.notify(_("Saved {file}").format(file=path)))

    def print_preview(self) -> QPrintPreviewDialog | None:
        if self.report is None:
            return None
        from desktop_crm.ui.reports.print_layout import layout_pages, paint_pages

        pages = layout_pages(self.report)
        printer = QPrinter(QPrinter.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        self._preview = (dialog, printer, pages)  # the dialog does not own the printer: keep it alive
        dialog.setWindowTitle(_("Print preview — {title}").format(title=self.report.title))
        dialog.paintRequested.connect(lambda pr: paint_pages(pr, pages))
        dialog.resize(1000, 800)
        dialog.open()
        return dialog

    def print_report(self) -> None:
        if self.report is None:
            return
        from desktop_crm.ui.reports.print_layout import print_report

        printer = QPrinter(QPrinter.HighResolution)
        if QPrintDialog(printer, self).exec():
            print_report(printer, self.report)

    def monthly_pack(self) -> None:
        from desktop_crm.ui.reports.pack_dialog import PackDialog

        PackDialog(self.ctx, self.nav, self.scope_box.currentData() or "all", self).open()

    def activated(self) -> None:
        self.report_box.setFocus()
