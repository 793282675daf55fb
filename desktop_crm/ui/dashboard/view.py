"""The dashboard (Ctrl+1, the start screen): the user's due items by group with counts, each one
click (double-click / Enter) from its customer or complaint and marked done from here; for
supervisors and managers their team's overdue items and headline figures."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.i18n import _
from desktop_crm.core.services import dashboard, reminders
from desktop_crm.ui.tasks import show_error

ITEM_ROLE = Qt.UserRole + 1
OVERDUE = QColor("#b00020")
KIND_LABELS = {"contact_birthday": "birthday"}
FOLDED = {"churn", "key_no_contact", "opportunity_stale", "contract_anniversary"}  # folded at first
FIGURES_PER_ROW = 3  # two rows of tiles fit a 1366×768 screen


def item_kind_label(kind: str) -> str:
    return {"follow_up": _("Follow-up"), "visit": _("Return visit"), "complaint": _("Complaint"),
            "birthday": _("Birthday"), "contact_birthday": _("Contact birthday"),
            "key_no_contact": _("Key customer"), "churn": _("Churn warning"), "contract_end": _("Contract"),
            "contract_anniversary": _("Anniversary"),
            "opportunity_stale": _("Opportunity")}.get(kind, kind)


class ReminderTree(QTreeWidget):
    """Groups as top-level rows with counts; reminders as children."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setColumnCount(4)
        self.setHeaderLabels([_("Due"), _("Customer"), _("What"), _("Kind")])
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.resizeSection(0, 200)
        header.resizeSection(1, 230)
        header.resizeSection(2, 300)

    def fill(self, groups: list[tuple[str, int, tuple[reminders.Reminder, ...]]], today: date,
             kinds: list[str] | None = None) -> None:
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        for i, (title, count, items) in enumerate(groups):
            kind = kinds[i] if kinds else ""
            top = QTreeWidgetItem([f"{title} ({count})", "", "", ""])
            top.setFont(0, bold)
            if not count:
                top.setForeground(0, QBrush(QColor("#888888")))
            self.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            for r in items:
                due = r.due.isoformat()
                if r.overdue:
                    due += "  " + _("overdue {n} d").format(n=(today - r.due).days)
                elif r.due == today:
                    due += "  " + _("today")
                child = QTreeWidgetItem([due, f"{r.customer_code} {r.customer_name}", r.title,
                                         item_kind_label(r.kind)])
                child.setData(0, ITEM_ROLE, r)
                if r.overdue:
                    for col in range(4):
                        child.setForeground(col, QBrush(OVERDUE))
                top.addChild(child)
            if count > len(items):
                more = QTreeWidgetItem([_("… and {n} more").format(n=count - len(items))])
                top.addChild(more)
                more.setFirstColumnSpanned(True)
            # the long lists of care reminders stay folded: the follow-ups, visits and complaints come first
            top.setExpanded(count > 0 and kind not in FOLDED)
        self._fit_due_column()

    def _fit_due_column(self) -> None:
        """The due column as wide as its longest text ("2026-01-05  overdue 333 d"): never elided."""
        metrics = self.fontMetrics()
        widest = 0
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            for k in range(top.childCount()):
                widest = max(widest, metrics.horizontalAdvance(top.child(k).text(0)))
        if widest:
            self.header().resizeSection(0, max(self.header().sectionSize(0), widest + 2 * self.indentation() + 16))

    def current(self) -> reminders.Reminder | None:
        item = self.currentItem()
        return item.data(0, ITEM_ROLE) if item is not None else None


class DashboardView(QWidget):
    def __init__(self, ctx, nav, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav = ctx, nav
        self.data: dashboard.Dashboard | None = None
        self.lead = ctx.actor.at_least("supervisor") or ctx.actor.role == "viewer"
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel()
        font = QFont(self.font())
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.heading.setFont(font)
        top.addWidget(self.heading, 1)
        self.heading.setWordWrap(True)
        self.notify_box = QCheckBox(_("Desktop notifications"))
        self.notify_box.setToolTip(_("Show a notification at start and when an item falls due (this desk)."))
        top.addWidget(self.notify_box)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setShortcut(QKeySequence.Refresh)
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        if ctx.actor.at_least("supervisor") and ctx.actor.role != "viewer":
            self.handover_button = QPushButton(_("Hand over a leaving user…"))
            self.handover_button.clicked.connect(self.handover)
            top.addWidget(self.handover_button)
        layout.addLayout(top)
        self.figures = QGridLayout()
        self.figure_labels: dict[str, QLabel] = {}
        self.figure_frame = QFrame()
        self.figure_frame.setLayout(self.figures)
        self.figure_frame.setVisible(self.lead)
        layout.addWidget(self.figure_frame)

        self.tree = ReminderTree()
        self.tree.itemActivated.connect(lambda *_a: self.open_current())
        self.tree.currentItemChanged.connect(lambda *_a: self._update_buttons())
        mine = QWidget()
        mine_layout = QVBoxLayout(mine)
        mine_layout.setContentsMargins(0, 0, 0, 0)
        mine_layout.addWidget(QLabel("<b>" + _("My due items") + "</b>"))
        mine_layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(_("Open customer"))
        self.open_button.clicked.connect(self.open_current)
        self.done_button = QPushButton(_("Mark done"))
        self.done_button.setShortcut(QKeySequence("Ctrl+D"))
        self.done_button.clicked.connect(self.mark_done)
        self.log_button = QPushButton(_("Log interaction…"))
        self.log_button.setShortcut(QKeySequence("Ctrl+L"))
        self.log_button.clicked.connect(self.log_interaction)
        for b in (self.open_button, self.done_button, self.log_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        mine_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(mine)
        self.team_tree = ReminderTree()
        self.team_tree.itemActivated.connect(lambda *_a: self.open_current(self.team_tree))
        self.team_label = QLabel()
        self.team_label.setWordWrap(True)  # a long team line wraps; it never widens the window
        team = QWidget()
        team_layout = QVBoxLayout(team)
        team_layout.setContentsMargins(0, 0, 0, 0)
        team_layout.addWidget(self.team_label)
        team_layout.addWidget(self.team_tree, 1)
        team.setVisible(self.lead)
        self.splitter.addWidget(team)
        layout.addWidget(self.splitter, 1)
        QShortcut(QKeySequence(Qt.Key_Return), self.tree, activated=self.open_current,
                  context=Qt.WidgetShortcut)
        self.notifier = None
        self.refresh()
        self._start_notifier()

    # -- data ------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.data = dashboard.load(self.ctx)
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            show_error(self, exc)
            return
        d = self.data
        self.heading.setText(_("{user}: {n} items due").format(user=self.ctx.actor.label, n=d.total_due))
        self.tree.fill([(g.title, g.count, g.items) for g in d.groups], d.today, [g.kind for g in d.groups])
        first = next((self.tree.topLevelItem(i).child(0) for i in range(self.tree.topLevelItemCount())
                      if self.tree.topLevelItem(i).childCount()), None)
        if first is not None and self.tree.current() is None:
            self.tree.setCurrentItem(first)
        if self.lead:
            self._fill_figures(d)
            total = sum(t.overdue_follow_ups + t.overdue_visits for t in d.team)
            lines = ", ".join(_("{user}: {n}").format(user=t.user, n=t.overdue_follow_ups + t.overdue_visits)
                              for t in d.team[:8])
            self.team_label.setText("<b>" + _("Team overdue ({n})").format(n=total) + "</b>  " + lines)
            self.team_tree.fill([(_("Overdue follow-ups and return visits"), total, d.team_items)], d.today)
        self._update_buttons()

    def _fill_figures(self, d: dashboard.Dashboard) -> None:
        for i, f in enumerate(d.figures):
            label = self.figure_labels.get(f.key)
            if label is None:
                label = QLabel()
                label.setAlignment(Qt.AlignCenter)
                label.setFrameShape(QFrame.StyledPanel)
                label.setMinimumHeight(56)
                label.setWordWrap(True)
                self.figures.addWidget(label, i // FIGURES_PER_ROW, i % FIGURES_PER_ROW)
                self.figure_labels[f.key] = label
            colour = "#b00020" if f.key == "overdue_complaints" and f.value else "#1f3a5f"
            detail = f"<br><span style='color:#555555'>{f.detail}</span>" if f.detail else ""
            label.setText(f"<span style='font-size:18pt; color:{colour}'><b>{f.text or f.value}</b></span>"
                          f"<br>{f.label}{detail}")

    def activated(self) -> None:
        self.refresh()

    def _update_buttons(self) -> None:
        r = self.tree.current()
        self.open_button.setEnabled(r is not None)
        writable = self.ctx.actor.role != "viewer"
        self.done_button.setEnabled(writable and r is not None and r.kind != "complaint")
        self.log_button.setEnabled(writable and r is not None and r.customer_id is not None)

    # -- actions ---------------------------------------------------------------------
    def open_current(self, tree: ReminderTree | None = None) -> None:
        r = (tree or self.tree).current()
        if r is None:
            return
        if r.kind == "complaint":
            self.nav.open_complaint(r.ref_id)
        elif r.customer_id is not None:
            self.nav.open_customer(r.customer_id)

    def mark_done(self) -> None:
        r = self.tree.current()
        if r is None:
            return
        try:
            if r.kind == "visit":
                from desktop_crm.ui.visits.visit_dialogs import CompleteVisitDialog

                if not CompleteVisitDialog(self.ctx, r.ref_id, self.nav, self).exec():
                    return
            else:
                reminders.mark_done(self.ctx, r)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.refresh()

    def log_interaction(self) -> None:
        r = self.tree.current()
        if r is None or r.customer_id is None:
            return
        from desktop_crm.ui.visits.interaction_dialog import InteractionDialog

        if InteractionDialog(self.ctx, r.customer_id, self).exec():
            self.refresh()

    def handover(self) -> None:
        from desktop_crm.ui.visits.handover_wizard import HandoverWizard

        HandoverWizard(self.ctx, self).exec()
        self.refresh()

    def _start_notifier(self) -> None:
        from desktop_crm.ui.dashboard.notify import Notifier

        initial = reminders.flat(list(self.data.groups)) if self.data is not None else None
        self.notifier = Notifier(self.ctx, self, self.notify_box, initial=initial)
