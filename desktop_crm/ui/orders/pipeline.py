"""The opportunities pipeline (Ctrl+6): a board with one column per stage, each with its count and amount;
opportunities without an action this month are flagged. New, edit, move, log an action."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import OPPORTUNITY_STAGE
from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import opportunities
from desktop_crm.ui.orders.common import money
from desktop_crm.ui.tasks import show_error

STALE = QColor("#b26a00")


class PipelineView(QWidget):
    def __init__(self, ctx, nav=None, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.owner = QComboBox()
        self.owner.addItem(_("All owners"), None)
        from desktop_crm.ui.customers.common import user_choices

        for uid, label in user_choices(ctx, pool=False):
            self.owner.addItem(label, uid)
        self.owner.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(QLabel(_("Owner")))
        bar.addWidget(self.owner)
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        self.buttons = {}
        for key, text, slot in (("new", _("New opportunity…"), self.new), ("edit", _("Edit…"), self.edit),
                                ("move", _("Move to stage…"), self.move), ("action", _("Log action…"), self.action),
                                ("tasks", _("Tasks…"), self.tasks)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            b.setEnabled(ctx.actor.role != "viewer" or key == "tasks")
            bar.addWidget(b)
            self.buttons[key] = b
        lay.addLayout(bar)
        board = QHBoxLayout()
        self.headers: dict[str, QLabel] = {}
        self.lists: dict[str, QListWidget] = {}
        for stage in OPPORTUNITY_STAGE.keys:
            col = QFrame()
            col.setFrameShape(QFrame.StyledPanel)
            v = QVBoxLayout(col)
            v.setContentsMargins(4, 4, 4, 4)
            head = QLabel()
            head.setWordWrap(True)
            head.setAlignment(Qt.AlignCenter)
            lst = QListWidget()
            lst.setObjectName(f"stage_{stage}")
            lst.setWordWrap(True)
            lst.setSpacing(3)
            lst.itemSelectionChanged.connect(lambda s=stage: self._selected(s))
            lst.itemDoubleClicked.connect(lambda _i: self.edit())
            v.addWidget(head)
            v.addWidget(lst, 1)
            board.addWidget(col, 1)
            self.headers[stage], self.lists[stage] = head, lst
        lay.addLayout(board, 1)
        self.refresh()

    def refresh(self) -> None:
        owner = self.owner.currentData()
        rows = opportunities.list_opportunities(self.ctx, owner_id=owner)
        by_stage = {s.stage: s for s in opportunities.pipeline(self.ctx, owner_id=owner)}
        for stage, lst in self.lists.items():
            lst.clear()
            s = by_stage[stage]
            text = f"<b>{OPPORTUNITY_STAGE.label(stage)}</b><br>{s.count} · {money(s.amount)}"
            if s.stale:
                text += "<br><span style='color:#b26a00'>" + _("{n} without action this month").format(
                    n=s.stale) + "</span>"
            self.headers[stage].setText(text)
        for r in rows:
            label = f"{r.name}\n{r.customer_name}\n{money(r.amount)}"
            if r.expected_close:
                label += "\n" + _("close {date}").format(date=r.expected_close.isoformat())
            item = QListWidgetItem(("⚠ " if r.stale else "") + label)
            item.setData(Qt.UserRole, r.id)
            if r.stale:
                item.setForeground(QBrush(STALE))
                item.setToolTip(_("No action logged this month"))
            self.lists[r.stage].addItem(item)
        total = sum((s.amount for st, s in by_stage.items() if st not in ("won", "lost")), start=0)
        open_n = sum(s.count for st, s in by_stage.items() if st not in ("won", "lost"))
        self.summary.setText(_("Open: {n} opportunities, {amount}").format(n=open_n, amount=money(total)))

    def _selected(self, stage: str) -> None:
        if self.lists[stage].selectedItems():
            for other, lst in self.lists.items():
                if other != stage:
                    lst.blockSignals(True)
                    lst.clearSelection()
                    lst.blockSignals(False)

    def selected_id(self) -> int | None:
        for lst in self.lists.values():
            items = lst.selectedItems()
            if items:
                return int(items[0].data(Qt.UserRole))
        return None

    def tasks(self) -> None:
        from desktop_crm.core.workplan.tasks import TaskFilter
        from desktop_crm.ui.workplan.tasks_tab import LinkedTasksDialog

        oid = self.selected_id()
        if oid is None:
            return
        o = opportunities.get_opportunity(self.ctx, oid)
        LinkedTasksDialog(self.ctx, self.nav, TaskFilter(opportunity_id=oid, customer_id=o.customer_id),
                          _("Tasks of the opportunity {name}").format(name=o.name), self).exec()

    def new(self) -> None:
        from desktop_crm.ui.orders.dialogs import OpportunityDialog

        if OpportunityDialog(self.ctx, parent=self).exec():
            self.refresh()

    def edit(self) -> None:
        from desktop_crm.ui.orders.dialogs import OpportunityDialog

        oid = self.selected_id()
        if oid is not None and self.ctx.actor.role != "viewer" and OpportunityDialog(
                self.ctx, opp_id=oid, parent=self).exec():
            self.refresh()

    def move(self) -> None:
        from desktop_crm.ui.orders.dialogs import MoveDialog

        oid = self.selected_id()
        if oid is not None and MoveDialog(self.ctx, oid, self).exec():
            self.refresh()

    def action(self) -> None:
        oid = self.selected_id()
        if oid is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, _("Log action"), _("What was done:"))
        if not ok or not text.strip():
            return
        try:
            opportunities.add_action(self.ctx, oid, text)
        except CrmError as exc:
            show_error(self, exc)
        self.refresh()
