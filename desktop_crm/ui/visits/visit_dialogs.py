"""Plan return visits (one customer or many) and record a visit's result with the questionnaire,
satisfaction 1–5 and feedback tags; "open a complaint from this feedback" prefills a complaint."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import INTERACTION_CHANNEL, VISIT_FEEDBACK, VISIT_PURPOSE
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import users, visits
from desktop_crm.ui.visits.interaction_dialog import error_label, pydate, qdate


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
    box.rejected.connect(dialog.reject)
    return box


class PlanVisitDialog(QDialog):
    """Plan a return visit for the given customers (a selection or a whole filtered list)."""

    def __init__(self, ctx, customer_ids: list[int], parent: QWidget | None = None, *, label: str = ""):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.ids = ctx, list(customer_ids)
        self.created: list[int] = []
        self.setWindowTitle(_("Plan return visits"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label or _("{n} customers").format(n=len(self.ids))))
        form = QFormLayout()
        self.due = QDateEdit(qdate(date.today() + timedelta(days=7)))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.assignee = QComboBox()
        me = ctx.actor.id
        self.assignee.addItem(ctx.actor.label, me)
        if ctx.actor.at_least("supervisor"):
            for u in users.assignable(ctx):
                if u.id != me:
                    self.assignee.addItem(u.display_name or u.username, u.id)
        self.purpose = QComboBox()
        for key in VISIT_PURPOSE.keys:
            self.purpose.addItem(VISIT_PURPOSE.label(key), key)
        self.note = QLineEdit()
        form.addRow(_("Due date"), self.due)
        form.addRow(_("Assignee"), self.assignee)
        form.addRow(_("Purpose"), self.purpose)
        form.addRow(_("Note"), self.note)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        box = _buttons(self, _("Plan"))
        box.accepted.connect(self.save)
        layout.addWidget(box)

    def save(self) -> None:
        try:
            self.created = visits.plan_visits(self.ctx, self.ids, pydate(self.due.date()),
                                              assignee_id=self.assignee.currentData(),
                                              purpose=self.purpose.currentData(), note=self.note.text())
        except CrmError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()


class CompleteVisitDialog(QDialog):
    def __init__(self, ctx, visit_id: int, nav=None, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.nav, self.visit_id = ctx, nav, visit_id
        self.visit = visits.get_visit(ctx, visit_id)
        v = self.visit
        self.setWindowTitle(_("Return visit — {code} {name}").format(code=v.customer_code, name=v.customer_name))
        self.setMinimumSize(560, 600)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{purpose}, due {date}, assigned to {who}").format(
            purpose=VISIT_PURPOSE.label(v.purpose), date=v.due.isoformat(), who=v.assignee or "—")))
        questions = QGroupBox(_("Questionnaire"))
        qform = QFormLayout(questions)
        self.answers: dict[str, object] = {}
        for q in visits.questions(ctx):
            text = QLabel(q.text)
            text.setWordWrap(True)
            if q.kind == "score":
                w = QComboBox()
                w.addItem("", "")
                for n in range(5, 0, -1):
                    w.addItem(str(n), str(n))
            elif q.kind == "yesno":
                w = QComboBox()
                for value, label in (("", ""), ("yes", _("Yes")), ("no", _("No"))):
                    w.addItem(label, value)
            else:
                w = QLineEdit()
            self.answers[q.key] = w
            qform.addRow(text)
            qform.addRow(w)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(questions)
        layout.addWidget(scroll, 1)
        form = QFormLayout()
        score_row = QHBoxLayout()
        self.score = QButtonGroup(self)
        for n in range(1, 6):
            rb = QRadioButton(str(n))
            self.score.addButton(rb, n)
            score_row.addWidget(rb)
        score_row.addStretch(1)
        self.score_error = error_label()
        tag_row = QHBoxLayout()
        self.tags: dict[str, QCheckBox] = {}
        for key in VISIT_FEEDBACK.keys:
            box = QCheckBox(VISIT_FEEDBACK.label(key))
            self.tags[key] = box
            tag_row.addWidget(box)
        tag_row.addStretch(1)
        self.feedback = QPlainTextEdit()
        self.feedback.setMaximumHeight(70)
        self.feedback.setTabChangesFocus(True)
        self.channel = QComboBox()
        for key in ("phone", "visit", "wechat", "email", "sms", "other"):
            self.channel.addItem(INTERACTION_CHANNEL.label(key), key)
        self.note = QLineEdit()
        form.addRow(_("Satisfaction (1–5)"), score_row)
        form.addRow("", self.score_error)
        form.addRow(_("Feedback tags"), tag_row)
        form.addRow(_("Feedback"), self.feedback)
        form.addRow(_("Channel"), self.channel)
        form.addRow(_("Note"), self.note)
        layout.addLayout(form)
        self.complaint_box = QCheckBox(_("Open a complaint from this feedback after saving"))
        self.can_open_complaint = nav is not None and hasattr(nav, "new_complaint")
        self.complaint_box.setVisible(self.can_open_complaint)
        self.tags["complaint"].toggled.connect(self.complaint_box.setChecked)
        layout.addWidget(self.complaint_box)
        self.error = error_label()
        layout.addWidget(self.error)
        box = _buttons(self, _("Save result"))
        box.accepted.connect(self.save)
        self.cancel_visit_button = QPushButton(_("Cancel this visit…"))
        box.addButton(self.cancel_visit_button, QDialogButtonBox.ResetRole)
        self.cancel_visit_button.clicked.connect(self.cancel_visit)
        layout.addWidget(box)

    def answer_values(self) -> dict[str, str]:
        out = {}
        for key, w in self.answers.items():
            out[key] = w.currentData() if isinstance(w, QComboBox) else w.text()
        return {k: v for k, v in out.items() if v}

    def save(self) -> None:
        self.error.hide()
        self.score_error.hide()
        try:
            self.visit = visits.complete_visit(
                self.ctx, self.visit_id, score=self.score.checkedId() if self.score.checkedId() > 0 else 0,
                tags=[k for k, b in self.tags.items() if b.isChecked()], feedback=self.feedback.toPlainText(),
                answers=self.answer_values(), note=self.note.text(), channel=self.channel.currentData())
        except ValidationError as exc:
            if "score" in exc.errors:
                self.score_error.setText(exc.errors["score"])
                self.score_error.show()
            rest = {k: v for k, v in exc.errors.items() if k != "score"}
            if rest:
                self.error.setText("; ".join(f"{k}: {v}" for k, v in rest.items()))
                self.error.show()
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        if self.complaint_box.isChecked() and self.can_open_complaint:
            self.open_complaint()
        self.accept()

    def open_complaint(self) -> None:
        try:
            intake = visits.complaint_intake(self.ctx, self.visit_id)
        except CrmError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.nav.new_complaint(dataclasses.asdict(intake))

    def cancel_visit(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        reason, ok = QInputDialog.getText(self, _("Cancel this visit…"), _("Reason"))
        if not ok:
            return
        try:
            visits.cancel_visit(self.ctx, self.visit_id, reason)
        except CrmError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()


def plan_for_list(view) -> None:  # noqa: ANN001
    """For the customer list (a menu line there): plan return visits for the selected customers, or
    for every customer of the current filter when nothing is selected (e.g. last month's new ones)."""
    from desktop_crm.core.services import customer_query

    ids = view.selected_ids()
    label = _("{n} selected customers").format(n=len(ids))
    if not ids:
        try:
            ids = customer_query.ids(view.ctx, view.data.flt)
        except CrmError as exc:
            view.nav.notify(str(exc))
            return
        label = _("{n} customers of the current list").format(n=len(ids))
    dialog = PlanVisitDialog(view.ctx, ids, view, label=label)
    if dialog.exec():
        view.nav.notify(_("{n} return visits planned.").format(n=len(dialog.created)))
