"""The audit log viewer (managers, administrators, auditors): filter by user, record type, dates and text;
export to Excel; verify the hash chain. Read-only: the log cannot be changed from the app."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.i18n import _
from desktop_crm.core.services import audit_labels, audit_query, safety
from desktop_crm.core.services.audit_query import AuditFilter
from desktop_crm.ui.tasks import run_task

PAGE = 500


class AuditPage(QWidget):
    def __init__(self, ctx, nav=None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.setWindowTitle(_("Audit log"))
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.user = QComboBox()
        self.entity = QComboBox()
        self.use_dates = QCheckBox(_("Date from"))
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = QDateEdit(QDate.currentDate())
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("Text in record or values"))
        self.text.returnPressed.connect(self.refresh)
        for label, w in ((_("User"), self.user), (_("Record type"), self.entity)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.use_dates)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(_("to")))
        bar.addWidget(self.date_to)
        bar.addWidget(self.text, 1)
        layout.addLayout(bar)
        buttons = QHBoxLayout()
        self.search_button = QPushButton(_("Search"))
        self.search_button.clicked.connect(self.refresh)
        self.more_button = QPushButton(_("Show more"))
        self.more_button.clicked.connect(self.more)
        self.export_button = QPushButton(_("Export to Excel…"))
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(ctx.actor.role != "viewer" or ctx.actor.can_export)
        self.verify_button = QPushButton(_("Verify chain"))
        self.verify_button.clicked.connect(self.verify)
        for b in (self.search_button, self.more_button, self.export_button, self.verify_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.count = QLabel()
        buttons.addWidget(self.count)
        layout.addLayout(buttons)
        self.headers = [_("No."), _("Time"), _("User"), _("Record type"), _("Record"), _("Action"), _("Field"),
                        _("Old value"), _("New value")]
        self.table = QTableWidget(0, len(self.headers))
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.verticalHeader().hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(8, QHeaderView.Stretch)
        layout.addWidget(self.table)
        self.chain = QLabel()
        self.chain.setWordWrap(True)
        layout.addWidget(self.chain)
        self._fill_choices()
        self.refresh()

    def _fill_choices(self) -> None:
        names, kinds = audit_query.choices(self.ctx)
        self.user.clear()
        self.user.addItem(_("(all)"), "")
        for n in names:
            self.user.addItem(n, n)
        self.entity.clear()
        self.entity.addItem(_("(all)"), "")
        for k in sorted(kinds, key=audit_labels.entity):
            self.entity.addItem(audit_labels.entity(k), k)

    def current_filter(self) -> AuditFilter:
        dates: tuple[date | None, date | None] = (None, None)
        if self.use_dates.isChecked():
            dates = (self.date_from.date().toPython(), self.date_to.date().toPython())
        return AuditFilter(user=self.user.currentData() or "", entity=self.entity.currentData() or "",
                           date_from=dates[0], date_to=dates[1], text=self.text.text())

    def refresh(self) -> None:
        self.flt = self.current_filter()
        self.total = audit_query.count(self.ctx, self.flt)
        self.table.setRowCount(0)
        self.more()

    def more(self) -> None:
        start = self.table.rowCount()
        rows = audit_query.page(self.ctx, self.flt, offset=start, limit=PAGE)
        self.table.setRowCount(start + len(rows))
        for i, r in enumerate(rows, start=start):
            cells = (str(r.id), f"{r.at:%Y-%m-%d %H:%M:%S}", r.user, r.entity, r.record, r.action, r.field,
                     r.old, r.new)
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        shown = self.table.rowCount()
        self.count.setText(_("{shown} of {total} entries").format(shown=shown, total=self.total))
        self.more_button.setEnabled(shown < self.total)

    def export(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Export the audit log"), _("audit-log.xlsx"),
                                               _("Excel workbook (*.xlsx)"))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        flt = self.flt
        run_task(self, _("Exporting…"), lambda p: audit_query.export_xlsx(self.ctx, flt, path, p),
                 lambda n: self.chain.setText(_("{n} entries exported to {path}").format(n=n, path=path)))

    def verify(self) -> None:
        def done(report: object) -> None:
            item = next(i for i in report.items if i.name == _("Audit log chain"))  # type: ignore[attr-defined]
            self.chain.setText(f"{'✔' if item.ok else '✘'} {item.name}: {item.detail}")
            self.chain.setStyleSheet("" if item.ok else "color: #b00020; font-weight: bold;")
            if not item.ok:
                QMessageBox.critical(self, _("Audit log"), item.detail)

        run_task(self, _("Verifying the audit log…"), lambda p: safety.check(self.ctx), done)


class AuditDialog(QDialog):
    """The audit log from the main window's menu (managers and auditors have no Administration view)."""

    def __init__(self, ctx, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle(_("Audit log"))
        self.resize(1100, 650)
        layout = QVBoxLayout(self)
        self.page = AuditPage(ctx, parent, self)
        layout.addWidget(self.page)
