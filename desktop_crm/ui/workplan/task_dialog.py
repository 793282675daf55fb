"""The task / appointment form (new or change one occurrence), and the small "done" form that asks
what came of it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.enums import REPEAT, TASK_KIND, TASK_PRIORITY
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import customers, users
from desktop_crm.core.services.field_names import label
from desktop_crm.core.workplan import tasks
from desktop_crm.core.workplan.tasks import TaskInput
from desktop_crm.ui.widgets.flow import flow_row

REMINDER_CHOICES = (5, 15, 30, 60, 120, 1440)  # minutes before


def reminder_label(minutes: int) -> str:
    if minutes % 1440 == 0:
        return _("{n} days before").format(n=minutes // 1440) if minutes > 1440 else _("1 day before")
    if minutes % 60 == 0:
        return _("{n} hours before").format(n=minutes // 60) if minutes > 60 else _("1 hour before")
    return _("{n} minutes before").format(n=minutes)


def _qdt(at: datetime) -> QDateTime:
    return QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute))


def _py(q: QDateTime) -> datetime:
    d, t = q.date(), q.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def _name(u: users.UserView) -> str:
    return f"{u.display_name} ({u.username})" if u.display_name and u.display_name != u.username else u.username


class TaskDialog(QDialog):
    """`task_id` None: a new item (prefilled with `start`, `all_day`, links); else change that one."""

    def __init__(self, ctx, parent: QWidget | None = None, *, task_id: int | None = None,  # noqa: ANN001
                 start: datetime | None = None, all_day: bool = False, customer_id: int | None = None,
                 complaint_id: int | None = None, opportunity_id: int | None = None, owner_id: int | None = None,
                 lead_id: int | None = None):
        super().__init__(parent)
        self.ctx, self.task_id, self.saved = ctx, task_id, None
        self.links = {"complaint_id": complaint_id, "opportunity_id": opportunity_id, "contract_id": None,
                      "contact_id": None, "lead_id": lead_id}
        self.customer_id = customer_id
        self.version = None
        self.setWindowTitle(_("New task") if task_id is None else _("Task"))
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.messages: dict[str, QLabel] = {}

        def row(key: str, title: str, widget: QWidget) -> None:
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(1)
            v.addWidget(widget)
            msg = QLabel()
            msg.setStyleSheet("color: #b00020;")
            msg.setWordWrap(True)
            msg.hide()
            v.addWidget(msg)
            self.messages[key] = msg
            form.addRow(title, box)

        self.title = QLineEdit()
        self.title.setObjectName("task_title")
        self.title.setMaxLength(200)
        row("subject", _("Subject"), self.title)
        kinds = QWidget()
        kl = QHBoxLayout(kinds)
        kl.setContentsMargins(0, 0, 0, 0)
        self.is_task = QRadioButton(_("Task (due on a day)"))
        self.is_appointment = QRadioButton(_("Appointment (from – to)"))
        self.is_task.setChecked(True)
        kl.addWidget(self.is_task)
        kl.addWidget(self.is_appointment)
        kl.addStretch(1)
        form.addRow(_("Task or appointment"), kinds)
        self.kind = QComboBox()
        for k in TASK_KIND.keys:
            self.kind.addItem(TASK_KIND.label(k), k)
        row("kind", _("Kind"), self.kind)
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        row("due", _("Due date"), self.due)
        span = QWidget()
        sl = QHBoxLayout(span)
        sl.setContentsMargins(0, 0, 0, 0)
        self.start = QDateTimeEdit()
        self.end = QDateTimeEdit()
        for e in (self.start, self.end):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.all_day = QCheckBox(_("All day"))
        sl.addWidget(self.start, 1)
        sl.addWidget(QLabel("–"))
        sl.addWidget(self.end, 1)
        sl.addWidget(self.all_day)
        row("start", _("When"), span)
        self.messages["end"] = self.messages["start"]
        self.owner = QComboBox()
        self.people = users.assignable(ctx)
        for u in self.people:
            self.owner.addItem(_name(u), u.id)
        self.owner.setCurrentIndex(max(0, self.owner.findData(owner_id or ctx.actor.id)))
        self.owner.setEnabled(self.owner.count() > 1)
        row("owner", _("Owner"), self.owner)
        self.participants = QListWidget()
        self.participants.setObjectName("task_participants")
        self.participants.setMaximumHeight(90)
        for u in users.list_users(ctx, include_inactive=False):
            if u.role == "viewer":
                continue
            item = QListWidgetItem(_name(u))
            item.setData(Qt.UserRole, u.id)
            item.setCheckState(Qt.Unchecked)
            self.participants.addItem(item)
        row("participants", _("Participants"), self.participants)
        self.priority = QComboBox()
        for k in TASK_PRIORITY.keys:
            self.priority.addItem(TASK_PRIORITY.label(k), k)
        self.priority.setCurrentIndex(self.priority.findData("normal"))
        row("priority", _("Priority"), self.priority)
        self.reminders: dict[int, QCheckBox] = {m: QCheckBox(reminder_label(m)) for m in REMINDER_CHOICES}
        row("reminders", _("Remind me"), flow_row(*self.reminders.values()))
        rep = QWidget()
        rpl = QHBoxLayout(rep)
        rpl.setContentsMargins(0, 0, 0, 0)
        self.repeat = QComboBox()
        self.repeat.addItem(_("Does not repeat"), None)
        for k in REPEAT.keys:
            self.repeat.addItem(REPEAT.label(k), k)
        self.repeat_count = QSpinBox()
        self.repeat_count.setRange(2, tasks.MAX_OCCURRENCES)
        self.repeat_count.setValue(4)
        self.repeat_count.setSuffix(" " + _("times"))
        rpl.addWidget(self.repeat)
        rpl.addWidget(self.repeat_count)
        rpl.addStretch(1)
        row("repeat", _("Repeat"), rep)
        self.messages["repeat_count"] = self.messages["repeat"]
        if customer_id is None:
            self.customer = QLineEdit()
            self.customer.setPlaceholderText(_("Customer code, e.g. C000001 (optional)"))
            row("customer", _("Customer"), self.customer)
        else:
            self.customer = None
            d = customers.get_customer(ctx, customer_id)
            row("customer", _("Customer"), QLabel(f"{d.code}  {d.values.get('name', '')}"))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(56)
        row("note", _("Note"), self.note)
        lay.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.is_appointment.toggled.connect(self._switch)
        self.all_day.toggled.connect(self._switch)
        self.repeat.currentIndexChanged.connect(self._switch)
        at = start or datetime.combine(date.today(), time(9, 0))
        if start is not None and not all_day:
            self.is_appointment.setChecked(True)
        self._set_times(at, at + timedelta(hours=1), all_day and start is not None)
        if task_id is not None:
            self._load(task_id)
        self._switch()

    def _set_times(self, start: datetime, end: datetime, all_day: bool) -> None:
        self.due.setDate(QDate(start.year, start.month, start.day))
        self.start.setDateTime(_qdt(start))
        self.end.setDateTime(_qdt(end))
        self.all_day.setChecked(all_day and self.is_appointment.isChecked())

    def _load(self, task_id: int) -> None:
        t = tasks.get(self.ctx, task_id)
        self.version = t.version
        self.title.setText(t.title)
        (self.is_appointment if t.is_appointment else self.is_task).setChecked(True)
        self.kind.setCurrentIndex(self.kind.findData(t.kind))
        self._set_times(t.start, t.end or t.start + timedelta(hours=1), t.all_day)
        if t.is_appointment and t.all_day and t.end:
            self.end.setDateTime(_qdt(t.end - timedelta(days=1)))
        if self.owner.findData(t.owner_id) < 0:
            self.owner.addItem(t.owner, t.owner_id)
        self.owner.setCurrentIndex(self.owner.findData(t.owner_id))
        for i in range(self.participants.count()):
            item = self.participants.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in t.participant_ids else Qt.Unchecked)
        self.priority.setCurrentIndex(self.priority.findData(t.priority))
        for minutes, box in self.reminders.items():
            box.setChecked(minutes in t.reminders)
        self.repeat.setEnabled(False)  # a series is set when it is created; each occurrence changes alone
        self.repeat_count.setEnabled(False)
        if t.repeat:
            self.repeat.setCurrentIndex(self.repeat.findData(t.repeat))
        self.customer_id = t.customer_id
        if self.customer is not None and t.customer_code:
            self.customer.setText(t.customer_code)
        self.note.setPlainText(t.note)
        self.links = {"complaint_id": t.complaint_id, "opportunity_id": t.opportunity_id,
                      "contract_id": t.contract_id, "contact_id": t.contact_id, "lead_id": t.lead_id}
        if t.status != "open":
            self.setEnabled(False)

    def _switch(self) -> None:
        appointment = self.is_appointment.isChecked()
        self.due.parentWidget().setVisible(not appointment)
        self.start.parentWidget().parentWidget().setVisible(appointment)
        fmt = "yyyy-MM-dd" if self.all_day.isChecked() else "yyyy-MM-dd HH:mm"
        self.start.setDisplayFormat(fmt)
        self.end.setDisplayFormat(fmt)
        self.repeat_count.setVisible(self.repeat.currentData() is not None)
        form = self.layout().itemAt(0).layout()
        if isinstance(form, QFormLayout):
            form.setRowVisible(self.due.parentWidget(), not appointment)
            form.setRowVisible(self.start.parentWidget().parentWidget(), appointment)

    def data(self) -> TaskInput:
        appointment = self.is_appointment.isChecked()
        q = self.due.date()
        data = TaskInput(
            title=self.title.text(), kind=self.kind.currentData(), is_appointment=appointment,
            due=None if appointment else date(q.year(), q.month(), q.day()),
            start=_py(self.start.dateTime()) if appointment else None,
            end=_py(self.end.dateTime()) if appointment else None,
            all_day=appointment and self.all_day.isChecked(), owner_id=self.owner.currentData(),
            participant_ids=[self.participants.item(i).data(Qt.UserRole) for i in range(self.participants.count())
                             if self.participants.item(i).checkState() == Qt.Checked],
            priority=self.priority.currentData(), note=self.note.toPlainText(),
            reminders=[m for m, box in self.reminders.items() if box.isChecked()],
            repeat=self.repeat.currentData() if self.task_id is None else None,
            repeat_count=self.repeat_count.value() if self.repeat.currentData() else None,
            customer_id=self.customer_id, **self.links)
        if data.all_day and data.end is not None and data.start is not None:
            data.end = datetime.combine(data.end.date(), time.min)
        return data

    def save(self) -> None:
        for msg in self.messages.values():
            msg.hide()
        self.error.clear()
        try:
            data = self.data()
            if self.customer is not None:
                code = self.customer.text().strip()
                data.customer_id = customers.id_by_code(self.ctx, code) if code else None
            if self.task_id is None:
                self.saved = tasks.create(self.ctx, data)[0]
            else:
                self.saved = tasks.update(self.ctx, self.task_id, data, self.version)
        except ValidationError as exc:
            other = []
            for key, problem in exc.errors.items():
                msg = self.messages.get(key)
                if msg is None:
                    other.append(f"{label(key)}: {problem}")
                else:
                    msg.setText(f"{label(key)}: {problem}" if key in ("end", "repeat_count") else problem)
                    msg.show()
            self.error.setText("\n".join(other))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class ResultDialog(QDialog):
    """Done: what came of it. For a follow-up task the text is the follow-up written on the customer."""

    def __init__(self, ctx, task: tasks.TaskView, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.task = ctx, task
        self.setWindowTitle(_("Done: {title}").format(title=task.title))
        self.setMinimumWidth(420)
        lay = QVBoxLayout(self)
        hint = (_("What came of it is written on the customer as the follow-up.") if task.interaction_id
                else _("What came of it (optional)."))
        lay.addWidget(QLabel(hint))
        self.result_edit = QPlainTextEdit()
        self.result_edit.setObjectName("task_result")
        lay.addWidget(self.result_edit)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(_("Done"))
        buttons.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def save(self) -> None:
        try:
            tasks.complete(self.ctx, self.task.id, self.result_edit.toPlainText())
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        except CrmError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
