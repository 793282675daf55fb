"""The *Tasks* tab of the customer and complaint pages, and the opportunity's task window: the
work plan's list fixed to one record, with "New task…" linked to it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktop_crm.core.i18n import _
from desktop_crm.core.workplan.tasks import TaskFilter
from desktop_crm.ui.workplan.task_list import TaskList


def linked_list(ctx, nav, fixed: TaskFilter, parent: QWidget | None = None) -> TaskList:  # noqa: ANN001
    view = TaskList(ctx, nav, None, parent, fixed=fixed)
    view.status.setCurrentIndex(view.status.findText(_("All")))
    view.refresh()
    return view


def customer_tasks_tab(ctx, nav, customer_id: int, parent) -> tuple[str, QWidget]:  # noqa: ANN001
    return _("Tasks"), linked_list(ctx, nav, TaskFilter(customer_id=customer_id), parent)


class LinkedTasksDialog(QDialog):
    def __init__(self, ctx, nav, fixed: TaskFilter, title: str, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 420)
        lay = QVBoxLayout(self)
        self.list = linked_list(ctx, nav, fixed, self)
        lay.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText(_("Close window"))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
