"""The customer page's timeline tab: interactions with status changes, transfers, complaints and
planned visits, newest first; "Log interaction…" (Ctrl+L) and "Plan return visit…"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.i18n import _
from desktop_crm.core.services import interactions
from desktop_crm.ui.tasks import show_error

KIND_COLOURS = {"complaint": "#b00020", "transfer": "#6a3d9a", "status": "#1f5fa8", "visit": "#a15c00"}


def kind_label(kind: str) -> str:
    return {"interaction": _("Interaction"), "status": _("Status"), "transfer": _("Transfer"),
            "complaint": _("Complaint"), "visit": _("Return visit")}.get(kind, kind)


class TimelineTab(QWidget):
    def __init__(self, ctx, nav, customer_id: int, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav, self.customer_id = ctx, nav, customer_id
        self.entries: list[interactions.TimelineEntry] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        writable = ctx.actor.role != "viewer"
        self.log_button = QPushButton(_("Log interaction…"))
        self.log_button.setShortcut(QKeySequence("Ctrl+L"))
        self.log_button.clicked.connect(self.log_interaction)
        self.plan_button = QPushButton(_("Plan return visit…"))
        self.plan_button.clicked.connect(self.plan_visit)
        self.complaint_button = QPushButton(_("Open complaint from interaction…"))
        self.complaint_button.setToolTip(_("Register a complaint prefilled from the selected interaction"))
        self.complaint_button.clicked.connect(self.complaint_from_interaction)
        self.complaint_button.setEnabled(False)
        for b in (self.log_button, self.plan_button, self.complaint_button):
            b.setVisible(writable)
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("When"), _("Kind"), _("What"), _("Detail"), _("By")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        for col, width in ((0, 130), (1, 90), (2, 260), (4, 90)):
            self.table.setColumnWidth(col, width)
        self.table.cellDoubleClicked.connect(self.open_row)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.entries = interactions.timeline(self.ctx, self.customer_id)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            values = [e.at.strftime("%Y-%m-%d %H:%M"), kind_label(e.kind), e.title, e.detail, e.user]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if e.kind in KIND_COLOURS and col < 3:
                    item.setForeground(QBrush(QColor(KIND_COLOURS[e.kind])))
                item.setData(Qt.UserRole, row)
                if len(value) > 40:
                    item.setToolTip(value)
                self.table.setItem(row, col, item)

    def open_row(self, row: int, _col: int) -> None:
        e = self.entries[row]
        if e.kind == "complaint" and hasattr(self.nav, "open_complaint"):
            self.nav.open_complaint(e.ref_id)
        elif e.kind == "visit" and self.ctx.actor.role != "viewer":
            from desktop_crm.ui.visits.visit_dialogs import CompleteVisitDialog

            if CompleteVisitDialog(self.ctx, e.ref_id, self.nav, self).exec():
                self.refresh()

    def _selected_interaction(self) -> interactions.TimelineEntry | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.entries) and self.entries[row].kind == "interaction":
            return self.entries[row]
        return None

    def _selection_changed(self) -> None:
        self.complaint_button.setEnabled(self._selected_interaction() is not None)

    def complaint_from_interaction(self) -> None:
        """A caller's complaint recorded in a follow-up becomes a complaint in one click (issue 3)."""
        import dataclasses

        from desktop_crm.core.services import complaints

        e = self._selected_interaction()
        if e is None:
            return
        try:
            intake = complaints.open_from_feedback(self.ctx, self.customer_id, f"{e.title}\n{e.detail}".strip(),
                                                   source="interaction", channel="phone")
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return
        self.nav.new_complaint(dataclasses.asdict(intake))
        self.refresh()

    def log_interaction(self) -> None:
        from desktop_crm.ui.visits.interaction_dialog import InteractionDialog

        if InteractionDialog(self.ctx, self.customer_id, self).exec():
            self.refresh()

    def plan_visit(self) -> None:
        from desktop_crm.ui.visits.visit_dialogs import PlanVisitDialog

        if PlanVisitDialog(self.ctx, [self.customer_id], self).exec():
            self.refresh()


def timeline_tab(ctx, nav, customer_id: int, parent):  # noqa: ANN001, ANN201
    """customers/page_tabs.TABS entry."""
    return _("Timeline"), TimelineTab(ctx, nav, customer_id, parent)
