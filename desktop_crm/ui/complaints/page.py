"""The complaint page: header with status and SLA clocks, the record, the timeline, and the next
allowed moves as buttons (each asks for what it needs)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.errors import CrmError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import complaint_workflow, complaints, complaints_query
from desktop_crm.ui.complaints import common
from desktop_crm.ui.complaints.move_dialog import MoveDialog
from desktop_crm.ui.customers.common import fill_table, readonly_table
from desktop_crm.ui.tasks import show_error

FIELDS = ["channel", "category", "severity", "received_at", "received_by", "caller", "caller_phone", "order_no",
          "handler", "department", "response_due", "resolution_due", "first_response_at", "resolved_at",
          "closed_at", "customer_informed_at", "compensation", "satisfaction", "root_cause", "claim_amount",
          "claim_approved", "claim_paid_on", "source"]
TEXTS = ["description", "demand", "solution_plan", "result"]


class ComplaintPage(QWidget):
    def __init__(self, ctx, nav, complaint_id: int, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)
        self.ctx, self.nav, self.complaint_id = ctx, nav, complaint_id
        self.resize(1000, 680)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("complaint_title")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        head.addWidget(self.title, 1)
        self.edit_button = QPushButton(_("Edit…"))
        self.customer_button = QPushButton(_("Customer…"))
        head.addWidget(self.edit_button)
        head.addWidget(self.customer_button)
        layout.addLayout(head)
        self.clocks = QLabel()
        self.clocks.setObjectName("complaint_clocks")
        self.clocks.setTextFormat(Qt.RichText)
        layout.addWidget(self.clocks)
        self.moves_bar = QHBoxLayout()
        self.moves_label = QLabel(_("Next step:"))
        layout.addLayout(self.moves_bar)
        self.move_buttons: dict[str, QPushButton] = {}

        split = QSplitter(Qt.Horizontal)
        details = QWidget()
        self.grid = QGridLayout(details)
        self.grid.setHorizontalSpacing(10)
        self.values: dict[str, QLabel] = {}
        row = 0
        for i, key in enumerate(FIELDS):
            r, c = row + i // 2, (i % 2) * 2
            label = QLabel(common.title(key) + ":")
            label.setStyleSheet("color: #555;")
            value = QLabel()
            value.setObjectName(f"value_{key}")
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            self.grid.addWidget(label, r, c, Qt.AlignRight | Qt.AlignTop)
            self.grid.addWidget(value, r, c + 1, Qt.AlignTop)
            self.values[key] = value
        row += (len(FIELDS) + 1) // 2
        for key in TEXTS:
            label = QLabel(common.title(key) + ":")
            label.setStyleSheet("color: #555;")
            value = QLabel()
            value.setObjectName(f"value_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            self.grid.addWidget(label, row, 0, Qt.AlignRight | Qt.AlignTop)
            self.grid.addWidget(value, row, 1, 1, 3)
            self.values[key] = value
            row += 1
        self.grid.setRowStretch(row, 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(details)
        split.addWidget(scroll)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        tl_head = QHBoxLayout()
        tl_head.addWidget(QLabel(_("Handling timeline")))
        tl_head.addStretch(1)
        self.note_button = QPushButton(_("Add note…"))
        self.assign_button = QPushButton(_("Assign…"))
        tl_head.addWidget(self.assign_button)
        tl_head.addWidget(self.note_button)
        rl.addLayout(tl_head)
        self.timeline = readonly_table([_("When"), _("Who"), _("Step"), _("Note")])
        self.timeline.setObjectName("complaint_timeline")
        self.timeline.setWordWrap(True)
        rl.addWidget(self.timeline, 1)
        from desktop_crm.core.workplan.tasks import TaskFilter
        from desktop_crm.ui.workplan.tasks_tab import linked_list

        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(right, _("Handling timeline"))
        self.tasks = linked_list(ctx, nav, TaskFilter(complaint_id=complaint_id), self)
        self.side_tabs.addTab(self.tasks, _("Tasks"))
        split.addWidget(self.side_tabs)
        split.setSizes([520, 480])
        layout.addWidget(split, 1)
        writer = ctx.actor.role != "viewer"
        self.note_button.setVisible(writer)
        self.edit_button.setVisible(writer)
        self.edit_button.clicked.connect(self.edit)
        self.assign_button.setVisible(writer and ctx.actor.at_least("supervisor"))
        self.customer_button.clicked.connect(self.open_customer)
        self.note_button.clicked.connect(self.add_note)
        self.assign_button.clicked.connect(self.assign)
        self.reload()

    def reload(self) -> None:
        d = self.detail = complaints.get(self.ctx, self.complaint_id)
        self.setWindowTitle(_("Complaint {number}").format(number=d.number))
        status = d.status
        colour = common.STATUS_COLOURS.get(status, "#333")
        self.title.setText(f"{d.number}  ·  {d.customer_name}  ·  {common.text_of('status', status)}")
        self.title.setStyleSheet(f"color: {colour};")
        self.clocks.setText(self._clocks_html())
        values = dict(d.values)
        values.update(received_by=d.received_by, handler=d.handler or _("(unassigned)"), department=d.department,
                      caller=d.contact_name or d["caller"])
        for key, label in self.values.items():
            label.setText(common.text_of(key, values.get(key)))
        rows = []
        for e in d.timeline:
            if e.kind in ("register", "move", "import"):
                step = (f"{common.text_of('status', e.from_state)} → " if e.from_state else "") + \
                    common.text_of("status", e.to_state)
            elif e.kind == "assign":
                step = _("Assigned")
            else:
                step = _("Note")
            rows.append((e.at, e.user, step, e.note))
        fill_table(self.timeline, rows, widths=[115, 70, 140])
        self.timeline.resizeRowsToContents()
        self._build_moves()

    def _clocks_html(self) -> str:
        d, now = self.detail, datetime.now()
        parts = []
        for label, due, done in ((_("Response"), d["response_due"], d["first_response_at"]),
                                 (_("Resolution"), d["resolution_due"], d["resolved_at"])):
            if done is not None:
                late = done > due
                text = _("done {when}").format(when=common.text_of("at", done)) + (
                    " (" + _("late") + ")" if late else "")
                colour = common.RED if late else common.GREEN
            elif d.status in ("rejected", "closed"):
                text, colour = "—", "#888"
            else:
                text = common.time_left(due, now)
                colour = common.time_left_colour(due, d["received_at"], now) or "#333"
            parts.append(f"<b>{escape(label)}</b>: <span style='color:{colour};'>{escape(text)}</span>")
        return "&nbsp;&nbsp;&nbsp;".join(parts)

    def _build_moves(self) -> None:
        while self.moves_bar.count():
            item = self.moves_bar.takeAt(0)
            if item.widget() is not None and item.widget() is not self.moves_label:
                item.widget().deleteLater()
        self.move_buttons.clear()
        d = self.detail
        moves = complaint_workflow.allowed(self.ctx.actor, d.status, handler_id=d["handler_id"],
                                           severity=str(d["severity"]))
        self.moves_bar.addWidget(self.moves_label)
        for mv in moves:
            b = QPushButton(_(mv.label) + "…")
            b.setObjectName(f"move_{mv.key}")
            b.clicked.connect(lambda _c=False, m=mv: self.make_move(m))
            self.moves_bar.addWidget(b)
            self.move_buttons[mv.key] = b
        if not moves:
            hint = QLabel(_("No step is open to you now."))
            hint.setStyleSheet("color: #888;")
            self.moves_bar.addWidget(hint)
        self.moves_bar.addStretch(1)

    def make_move(self, move: complaint_workflow.Move) -> bool:
        dlg = MoveDialog(self.ctx, self.complaint_id, self.detail.version, move, self)
        if dlg.exec():
            self.reload()
            return True
        return False

    def add_note(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self, _("Add note"), _("Note:"))
        if ok and text.strip():
            try:
                complaints.add_note(self.ctx, self.complaint_id, text)
            except CrmError as exc:
                show_error(self, exc)
            self.reload()

    def assign(self) -> None:
        choices = complaints_query.handlers(self.ctx)
        labels = [label for _id, label in choices]
        current = labels.index(self.detail.handler) if self.detail.handler in labels else 0
        label, ok = QInputDialog.getItem(self, _("Assign handler"), _("Handler:"), labels, current, False)
        if not ok:
            return
        try:
            complaints.assign(self.ctx, self.complaint_id, choices[labels.index(label)][0],
                              version=self.detail.version)
        except CrmError as exc:
            show_error(self, exc)
        self.reload()

    def edit(self) -> None:
        from desktop_crm.ui.complaints.edit_dialog import ComplaintEditDialog

        if ComplaintEditDialog(self.ctx, self.detail, self).exec():
            self.reload()

    def open_customer(self) -> None:
        """The customer page when the customer is in one's scope; else what the complaint needs of it."""
        try:
            card = complaints_query.customer_card(self.ctx, self.complaint_id)
        except CrmError as exc:
            show_error(self, exc)
            return
        if card.full_access and self.nav is not None:
            self.nav.open_customer(card.customer_id)
            return
        from desktop_crm.ui.complaints.customer_card import CustomerCardDialog

        CustomerCardDialog(card, self.nav, self).exec()

    def refresh(self) -> None:
        self.reload()
