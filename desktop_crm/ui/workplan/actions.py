"""What the work plan's screens share: how an item's time is shown, done / postpone / open / cancel,
and the branch of care reminders (My day and the bell)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidgetItem

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.workplan import tasks
from desktop_crm.core.workplan.tasks import TaskView
from desktop_crm.ui.tasks import show_error
from desktop_crm.ui.workplan.task_dialog import ResultDialog, TaskDialog

ID_ROLE = Qt.UserRole + 1


def when_text(t: TaskView) -> str:
    if not t.is_appointment or t.all_day:
        return t.start.date().isoformat() if t.start.date() != date.today() else _("Today")
    day = "" if t.start.date() == date.today() else t.start.strftime("%Y-%m-%d ")
    return f"{day}{t.start:%H:%M}–{(t.end or t.start):%H:%M}"


class _Actions:
    """Done / postpone / open / edit, shared by the three tabs."""

    ctx = None
    nav = None

    def _refresh_all(self) -> None:
        raise NotImplementedError

    def edit_task(self, task_id: int) -> None:
        try:
            if TaskDialog(self.ctx, self, task_id=task_id).exec():
                self._refresh_all()
        except CrmError as exc:
            show_error(self, exc)

    def done_task(self, task_id: int) -> None:
        try:
            t = tasks.get(self.ctx, task_id)
            if t.visit_id is not None:  # a return visit is done through its result (satisfaction…)
                from desktop_crm.ui.visits.visit_dialogs import CompleteVisitDialog

                if CompleteVisitDialog(self.ctx, t.visit_id, self.nav, self).exec():
                    self._refresh_all()
                return
            if ResultDialog(self.ctx, t, self).exec():
                self._refresh_all()
        except CrmError as exc:
            show_error(self, exc)

    def postpone_task(self, task_id: int) -> None:
        try:
            tasks.postpone(self.ctx, task_id)
        except CrmError as exc:
            show_error(self, exc)
        self._refresh_all()

    def cancel_task(self, task_id: int) -> None:
        try:
            tasks.cancel(self.ctx, task_id)
        except CrmError as exc:
            show_error(self, exc)
        self._refresh_all()


def add_care_reminders(tree, groups: list, *, skip: tuple[str, ...] = ()) -> None:  # noqa: ANN001
    """The care reminders (birthdays, key customers not contacted, churn, contracts…) as one branch of
    `tree`, a group per kind; an item carries ("customer", id) in ID_ROLE."""
    groups = [g for g in groups if g.kind not in skip and g.count]
    top = QTreeWidgetItem([_("Care reminders") + f" ({sum(g.count for g in groups)})"])
    font = top.font(0)
    font.setBold(True)
    top.setFont(0, font)
    tree.addTopLevelItem(top)
    today = date.today()
    for g in groups:
        sub = QTreeWidgetItem([f"{g.title} ({g.count})"])
        top.addChild(sub)
        for r in g.items:
            child = QTreeWidgetItem([r.title, r.due.isoformat() if r.due != today else _("Today"), r.customer_name])
            child.setData(0, ID_ROLE, ("customer", r.customer_id))
            if r.overdue:
                child.setForeground(1, QColor("#b00020"))
            sub.addChild(child)
    top.setExpanded(True)
