"""Leads (Ctrl+Shift+L): the list with search, status and the lead pool; add and change a lead, log a
contact, qualify or disqualify, take one from the pool or give it to someone, plan its tasks, and
convert it into a customer after a look at the likely duplicates in the archive."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import INTERACTION_CHANNEL, LEAD_STATUS, SOURCE
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.leads import service as leads
from desktop_crm.core.leads.service import LeadFilter, LeadView
from desktop_crm.core.services import users
from desktop_crm.ui.customers.common import fill_table, phone_text, readonly_table
from desktop_crm.ui.leads.dialogs import ContactDialog, ConvertDialog, LeadDialog
from desktop_crm.ui.tablemodel import LazyTableModel, ListColumn, ListSource, lazy_table_view
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.widgets.flow import flow_row

STATUS_COLOURS = {"new": "#1565c0", "contacted": "#6a1b9a", "qualified": "#2e7d32", "disqualified": "#9e9e9e",
                  "converted": "#ef6c00"}




class LeadsView(QWidget):
    def __init__(self, ctx, nav, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        lay = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search name, company, phone, e-mail, campaign"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.status = QComboBox()
        self.status.addItem(_("Open leads"), leads.OPEN)
        for k in LEAD_STATUS.keys:
            self.status.addItem(LEAD_STATUS.label(k), (k,))
        self.status.addItem(_("All"), ())
        self.pool = QCheckBox(_("Lead pool only"))
        self.count_label = QLabel()
        lay.addWidget(flow_row(QLabel("<b>" + _("Leads") + "</b>"), self.search, self.status, self.pool,
                               self.count_label))
        self.search.textChanged.connect(lambda *_a: self.refresh())
        self.status.currentIndexChanged.connect(lambda *_a: self.refresh())
        self.pool.toggled.connect(lambda *_a: self.refresh())
        columns = [ListColumn("created_at", _("Created")), ListColumn("name", _("Name")),
                   ListColumn("company", _("Company")), ListColumn("phone", _("Phone")),
                   ListColumn("source", _("Source")), ListColumn("owner", _("Owner")),
                   ListColumn("status", _("Status")), ListColumn("customer", _("Customer"))]
        self.source = ListSource(columns, self._count, self._fetch, self._display, self._colour, sort_key="created_at",
                                 descending=True)
        self.model = LazyTableModel(self.source, parent=self)
        self.table = lazy_table_view(self.model, "lead_table")
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.DescendingOrder)  # newest first
        for c, w in enumerate((120, 100, 220, 120, 110, 90, 90, 90)):
            self.table.setColumnWidth(c, w)
        self.table.doubleClicked.connect(lambda *_a: self.edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.show_history())
        self.history = readonly_table([_("When"), _("Who"), _("What"), _("Note")])
        self.history.setObjectName("lead_history")
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.history)
        split.setSizes([420, 160])
        lay.addWidget(split, 1)
        writer = ctx.actor.role != "viewer"
        self.buttons: dict[str, QPushButton] = {}
        row = []
        for key, text, slot in (("new", _("New lead…"), self.new), ("edit", _("Edit…"), self.edit),
                                ("contact", _("Log contact…"), self.contact),
                                ("qualify", _("Mark qualified"), lambda: self.set_status("qualified")),
                                ("disqualify", _("Disqualify…"), self.disqualify),
                                ("claim", _("Take from the pool"), self.claim),
                                ("assign", _("Give to…"), self.assign), ("tasks", _("Tasks…"), self.tasks),
                                ("convert", _("Convert into a customer…"), self.convert),
                                ("import", _("Import leads…"), self.import_file)):
            b = QPushButton(text)
            b.setObjectName(f"lead_{key}")
            b.clicked.connect(slot)
            b.setVisible(writer or key == "tasks")
            self.buttons[key] = b
            row.append(b)
        self.buttons["assign"].setVisible(writer and ctx.actor.at_least("supervisor"))
        lay.addWidget(flow_row(*row))
        self.refresh()

    # -- data -------------------------------------------------------------------------------
    def filter(self) -> LeadFilter:
        return LeadFilter(search=self.search.text(), statuses=self.status.currentData() or (),
                          pool=self.pool.isChecked())

    def _count(self) -> int:
        try:
            return leads.count(self.ctx, self.filter())
        except CrmError:
            return 0

    def _fetch(self, offset: int, limit: int, sort: str, desc: bool) -> list[tuple]:
        try:
            rows = leads.page(self.ctx, self.filter(), sort=sort or "created_at", descending=desc, offset=offset,
                              limit=limit)
        except CrmError:
            return []
        return [(v.id, v.version, v.created_at, v.name, v.company, v.phone, v.source, v.owner or _("Lead pool"),
                 v.status, v.customer_code, v) for v in rows]

    @staticmethod
    def _display(key: str, value: object) -> str:
        if key == "created_at":
            return value.strftime("%Y-%m-%d")  # type: ignore[union-attr]
        if key == "source":
            return SOURCE.label(str(value)) if value else ""
        if key == "phone":
            return phone_text(value)
        if key == "status":
            return LEAD_STATUS.label(str(value))
        return "" if value is None else str(value)

    @staticmethod
    def _colour(key: str, value: object, row: tuple) -> QColor | None:
        return QColor(STATUS_COLOURS[str(value)]) if key == "status" and value in STATUS_COLOURS else None

    def refresh(self) -> None:
        self.model.refresh()
        self.count_label.setText(_("{n} leads").format(n=self.model.rowCount()))
        self.show_history()

    def activated(self) -> None:
        self.refresh()

    def current(self) -> LeadView | None:
        index = self.table.currentIndex()
        row = self.model.row(index.row()) if index.isValid() else None
        return row[-1] if row else None

    def show_history(self) -> None:
        lead = self.current()
        kinds = {"contact": _("Contact"), "status": _("Status"), "convert": _("Converted"), "note": _("Note")}
        rows = []
        if lead is not None:
            try:
                rows = [(e.at, e.user, kinds.get(e.kind, e.kind) + (f" · {INTERACTION_CHANNEL.label(e.channel)}"
                                                                    if e.channel else ""), e.text)
                        for e in leads.history(self.ctx, lead.id)]
            except CrmError:
                rows = []
        fill_table(self.history, rows, widths=[130, 90, 130])

    # -- actions ----------------------------------------------------------------------------
    def _run(self, fn) -> None:  # noqa: ANN001
        try:
            fn()
        except CrmError as exc:
            show_error(self, exc)
        self.refresh()

    def new(self) -> None:
        if LeadDialog(self.ctx, None, self).exec():
            self.refresh()

    def edit(self) -> None:
        lead = self.current()
        if lead is not None and LeadDialog(self.ctx, lead, self).exec():
            self.refresh()

    def contact(self) -> None:
        lead = self.current()
        if lead is not None and ContactDialog(self.ctx, lead, self).exec():
            self.refresh()

    def set_status(self, status: str, reason: str = "") -> None:
        lead = self.current()
        if lead is not None:
            self._run(lambda: leads.set_status(self.ctx, lead.id, status, reason))

    def disqualify(self) -> None:
        if self.current() is None:
            return
        reason, ok = QInputDialog.getText(self, _("Disqualify the lead"), _("Why?"))
        if ok:
            self.set_status("disqualified", reason)

    def claim(self) -> None:
        lead = self.current()
        if lead is not None:
            self._run(lambda: leads.claim(self.ctx, lead.id))

    def assign(self) -> None:

        lead = self.current()
        if lead is None:
            return
        people = users.assignable(self.ctx)
        labels = [_("Lead pool")] + [u.display_name or u.username for u in people]
        choice, ok = QInputDialog.getItem(self, _("Give the lead to"), _("Owner"), labels, 0, False)
        if ok:
            owner = None if labels.index(choice) == 0 else people[labels.index(choice) - 1].id
            self._run(lambda: leads.assign(self.ctx, lead.id, owner))

    def tasks(self) -> None:
        from desktop_crm.core.workplan.tasks import TaskFilter
        from desktop_crm.ui.workplan.tasks_tab import LinkedTasksDialog

        lead = self.current()
        if lead is not None:
            LinkedTasksDialog(self.ctx, self.nav, TaskFilter(lead_id=lead.id),
                              _("Tasks of the lead {name}").format(name=lead.name), self).exec()

    def convert(self) -> None:
        lead = self.current()
        if lead is None:
            return
        try:
            dialog = ConvertDialog(self.ctx, lead, self)
        except CrmError as exc:
            show_error(self, exc)
            return
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            self.nav.notify(_("{name} is now customer {code}.").format(name=lead.name, code=dialog.saved.customer_code))
            if dialog.saved.customer_id:
                self.nav.open_customer(dialog.saved.customer_id)

    def import_file(self) -> None:
        from desktop_crm.ui.customers.import_dialog import ImportDialog

        ImportDialog(self.ctx, self, kind="leads").exec()
        self.refresh()
