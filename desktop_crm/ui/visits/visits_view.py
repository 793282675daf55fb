"""Return visits (Ctrl+8): planned, done or all visits in the user's scope; record a result; plan
visits for many customers at once (e.g. every new customer of last month)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import VISIT_FEEDBACK, VISIT_PURPOSE
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import customer_query, visits
from desktop_crm.core.services.customer_query import CustomerFilter
from desktop_crm.ui.tablemodel import LazyTableModel, ListColumn, ListSource
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.widgets.headers import keep_titles_whole


def status_label(status: str) -> str:
    return {"planned": _("Planned"), "done": _("Done"), "cancelled": _("Cancelled")}.get(status, status)


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class VisitsView(QWidget):
    def __init__(self, ctx, nav, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>" + _("Return visits") + "</b>"))
        self.status = QComboBox()
        for key, label in (("planned", _("Planned")), ("done", _("Done")), ("cancelled", _("Cancelled")),
                           ("", _("All"))):
            self.status.addItem(label, key)
        self.status.currentIndexChanged.connect(lambda *_a: self.refresh())
        self.mine = QCheckBox(_("Only mine"))
        self.mine.setChecked(ctx.actor.role == "staff")
        self.mine.toggled.connect(lambda *_a: self.refresh())
        self.blind = QCheckBox(_("Assignee may not see the customer"))  # visits to reassign
        self.blind.setObjectName("blind_assignments")
        self.blind.setVisible(ctx.actor.at_least("supervisor") and ctx.actor.role != "viewer")
        self.blind.toggled.connect(lambda *_a: self.refresh())
        bar.addWidget(self.status)
        bar.addWidget(self.mine)
        bar.addWidget(self.blind)
        bar.addStretch(1)
        self.count_label = QLabel()
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        columns = [ListColumn("due", _("Due")), ListColumn("code", _("Code")), ListColumn("name", _("Customer")),
                   ListColumn("purpose", _("Purpose")), ListColumn("assignee", _("Assignee")),
                   ListColumn("status", _("Status")), ListColumn("score", _("Satisfaction"), True),
                   ListColumn("tags", _("Feedback tags"))]
        self.source = ListSource(columns, self._count, self._fetch, self._display, self._colour)
        self.model = LazyTableModel(self.source, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.doubleClicked.connect(lambda *_a: self.record())
        for col, width in enumerate((90, 90, 220, 140, 100, 80, 90, 160)):
            self.table.setColumnWidth(col, width)
        keep_titles_whole(self.table)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        writable = ctx.actor.role != "viewer"
        self.record_button = QPushButton(_("Record result…"))
        self.record_button.clicked.connect(self.record)
        self.open_button = QPushButton(_("Open customer"))
        self.open_button.clicked.connect(self.open_customer)
        self.plan_new_button = QPushButton(_("Plan for last month's new customers…"))
        self.plan_new_button.clicked.connect(self.plan_last_month)
        self.reassign_button = QPushButton(_("Reassign…"))
        self.reassign_button.clicked.connect(self.reassign)
        self.reassign_button.setVisible(writable and ctx.actor.at_least("supervisor"))
        self.questions_button = QPushButton(_("Questionnaire…"))
        self.questions_button.clicked.connect(self.edit_questions)
        self.questions_button.setVisible(writable and ctx.actor.at_least("manager"))
        for b in (self.record_button, self.open_button, self.reassign_button, self.plan_new_button,
                  self.questions_button):
            actions.addWidget(b)
        self.record_button.setVisible(writable)
        self.plan_new_button.setVisible(writable)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.refresh()

    def edit_questions(self) -> None:
        from desktop_crm.ui.visits.questionnaire_dialog import QuestionnaireDialog

        QuestionnaireDialog(self.ctx, self).exec()

    def _filters(self) -> dict:
        return {"status": self.status.currentData() or None,
                "assignee_id": self.ctx.actor.id if self.mine.isChecked() else None}

    def _count(self) -> int:
        try:
            if self.blind.isChecked():
                return len(visits.mismatched(self.ctx))
            return visits.count_visits(self.ctx, **self._filters())
        except CrmError:
            return 0

    def _fetch(self, offset: int, limit: int, _sort: str, _desc: bool) -> list[tuple]:
        try:
            if self.blind.isChecked():
                rows = visits.mismatched(self.ctx)[offset:offset + limit]
            else:
                rows = visits.list_visits(self.ctx, offset=offset, limit=limit, **self._filters())
        except CrmError:
            return []
        return [(v.id, 0, v.due, v.customer_code, v.customer_name, v.purpose, v.assignee, v.status, v.score, v.tags,
                 v.customer_id) for v in rows]

    @staticmethod
    def _display(key: str, value: object) -> str:
        if value is None:
            return ""
        if key == "due":
            return value.isoformat()  # type: ignore[union-attr]
        if key == "purpose":
            return VISIT_PURPOSE.label(str(value))
        if key == "status":
            return status_label(str(value))
        if key == "tags":
            return ", ".join(VISIT_FEEDBACK.label(t) for t in value)  # type: ignore[union-attr]
        return str(value)

    @staticmethod
    def _colour(key: str, value: object, row: tuple) -> QColor | None:
        if key == "due" and row[7] == "planned" and row[2] < date.today():
            return QColor("#b00020")
        return None

    def refresh(self) -> None:
        self.model.refresh()
        self.count_label.setText(_("{n} visits").format(n=self.model.rowCount()))

    def activated(self) -> None:
        self.refresh()

    def _current(self) -> tuple | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def record(self) -> None:
        row = self._current()
        if row is None or row[7] != "planned" or self.ctx.actor.role == "viewer":
            return
        from desktop_crm.ui.visits.visit_dialogs import CompleteVisitDialog

        try:
            if CompleteVisitDialog(self.ctx, row[0], self.nav, self).exec():
                self.refresh()
        except CrmError as exc:
            show_error(self, exc)

    def reassign(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from desktop_crm.core.services import users

        row = self._current()
        if row is None or row[7] != "planned":
            return
        team = [u for u in users.assignable(self.ctx) if u.role in ("staff", "supervisor")]
        labels = [f"{u.display_name} ({u.username})" if u.display_name else u.username for u in team]
        choice, ok = QInputDialog.getItem(self, _("Reassign the return visit"), _("Assign to"), labels, 0, False)
        if not ok or not choice:
            return
        try:
            visits.reassign(self.ctx, [row[0]], team[labels.index(choice)].id)
        except CrmError as exc:
            show_error(self, exc)
        self.refresh()

    def open_customer(self) -> None:
        row = self._current()
        if row is not None:
            self.nav.open_customer(row[-1])

    def plan_last_month(self) -> None:
        from desktop_crm.ui.visits.visit_dialogs import PlanVisitDialog

        start, end = last_month(date.today())
        try:
            ids = customer_query.ids(self.ctx, CustomerFilter(fields=customer_query.created_between(start, end)))
        except CrmError as exc:
            show_error(self, exc)
            return
        label = _("{n} customers created {start} – {end}").format(n=len(ids), start=start, end=end)
        dialog = PlanVisitDialog(self.ctx, ids, self, label=label)
        dialog.purpose.setCurrentIndex(max(0, dialog.purpose.findData("new_customer")))
        if dialog.exec():
            self.nav.notify(_("{n} return visits planned.").format(n=len(dialog.created)))
            self.refresh()
