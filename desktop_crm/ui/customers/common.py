"""Small pieces the customer screens share: field editors built from FieldDef, inline
error labels under each field, user choices and read-only tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.i18n import _
from desktop_crm.core.services.customer_fields import FieldDef, display

ERROR_STYLE = "color: #b00020; font-size: 9pt;"
WARNING_STYLE = "color: #a15c00; font-size: 9pt;"


def user_choices(ctx, *, pool: bool = True) -> list[tuple[object, str]]:  # noqa: ANN001
    """(value, label) of active users; "pool" first for the customer pool."""
    from desktop_crm.core.services import users

    out: list[tuple[object, str]] = [("pool", _("Customer pool"))] if pool else []
    for u in users.list_users(ctx, include_inactive=False):
        if u.role in ("viewer",):
            continue
        label = f"{u.display_name} ({u.username})" if u.display_name else u.username
        out.append((u.id, label))
    return out


def industries(ctx) -> list[str]:  # noqa: ANN001
    from desktop_crm.core.services import settings

    try:
        value = settings.get(ctx, "industries")
    except Exception:  # noqa: BLE001 - a missing setting only loses the suggestions
        return []
    return [str(x) for x in value] if isinstance(value, list) else []


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def phone_text(value: object) -> str:
    """A stored number in the one screen form (rules.validation.display_phone): 138 0013 8000, 010 7306 0062."""
    from desktop_crm.core.rules.validation import display_phone

    return display_phone(str(value or ""))


def shown(f: FieldDef, value: object) -> str:
    """customer_fields.display, with phones formatted for reading."""
    return phone_text(value) if f.kind == "phone" else display(f, value)


class FieldEditor:
    """One editor for a FieldDef: `widget`, `value()`, `set_value()`."""

    def __init__(self, f: FieldDef, ctx=None):  # noqa: ANN001
        self.f = f
        if f.kind == "enum":
            w = QComboBox()
            w.addItem("", None)
            for key in f.enum.keys:  # type: ignore[union-attr]
                w.addItem(f.enum.label(key), key)  # type: ignore[union-attr]
        elif f.kind == "longtext":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setMinimumHeight(60)
            w.setMaximumHeight(90)
        elif f.kind == "bool":
            w = QCheckBox()
        elif f.key == "industry" and ctx is not None:
            w = QComboBox()
            w.setEditable(True)
            w.addItem("")
            w.addItems(industries(ctx))
        else:
            w = QLineEdit()
            w.setMaxLength(f.max_len if f.kind not in ("money", "int", "date") else 40)
            hint = {"date": "YYYY-MM-DD", "phone": _("e.g. 138 0013 8000"), "email": "name@example.com",
                    "tags": _("comma separated"), "money": "0.00"}.get(f.kind)
            if hint:
                w.setPlaceholderText(hint)
        self.widget = w

    def value(self) -> object:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData() if not w.isEditable() else w.currentText().strip()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        return w.text()

    def set_value(self, value: object) -> None:
        w = self.widget
        if isinstance(w, QComboBox) and not w.isEditable():
            i = w.findData(value)
            w.setCurrentIndex(max(i, 0))
        elif isinstance(w, QComboBox):
            w.setEditText(text_of(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(text_of(value))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif self.f.kind == "tags":
            w.setText(str(value or "").strip(",").replace(",", ", "))
        else:
            w.setText(text_of(value))


class FieldGrid(QWidget):
    """Rows of label + editor with a message line under each editor (errors in red, warnings in amber)."""

    def __init__(self, fields: Sequence[FieldDef], ctx=None, columns: int = 1, parent=None,  # noqa: ANN001
                 extra: Sequence[tuple[str, str, QWidget]] = ()):
        """`extra` = (key, label, widget) rows placed first (not FieldDefs, e.g. status and owner)."""
        super().__init__(parent)
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, QLabel] = {}
        self.grid = grid = QGridLayout(self)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self._row, self._col, self._columns = 0, 0, max(columns, 1)
        for key, title, widget in extra:
            self._place(key, title, widget, wide=False)
        for f in fields:
            editor = FieldEditor(f, ctx)
            self.editors[f.key] = editor
            self._place(f.key, f.title, editor.widget, wide=f.kind == "longtext")
        grid.setRowStretch(self._row + 1, 1)
        for c in range(self._columns):
            grid.setColumnStretch(c * 2 + 1, 1)

    def _place(self, key: str, title: str, widget: QWidget, wide: bool) -> None:
        grid = self.grid
        if wide and self._col:
            self._row, self._col = self._row + 1, 0
        label = QLabel(title)
        label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        label.setMinimumHeight(max(widget.sizeHint().height(), 24) if not wide else 24)
        label.setBuddy(widget)
        msg = QLabel()
        msg.setWordWrap(True)
        msg.setVisible(False)
        msg.setObjectName(f"msg_{key}")
        box = QVBoxLayout()
        box.setSpacing(1)
        box.addWidget(widget)
        box.addWidget(msg)
        box.addStretch(1)
        grid.addWidget(label, self._row, self._col * 2, Qt.AlignTop)
        span = self._columns * 2 - 1 if wide else 1
        grid.addLayout(box, self._row, self._col * 2 + 1, 1, span)
        self.messages[key] = msg
        if wide:
            self._row, self._col = self._row + 1, 0
        else:
            self._col += 1
            if self._col >= self._columns:
                self._row, self._col = self._row + 1, 0

    def values(self) -> dict[str, object]:
        return {k: e.value() for k, e in self.editors.items()}

    def set_values(self, values: dict[str, object]) -> None:
        for k, e in self.editors.items():
            e.set_value(values.get(k))

    def clear_messages(self) -> None:
        for msg in self.messages.values():
            msg.clear()
            msg.setVisible(False)

    def show_messages(self, errors: dict[str, str], warnings: dict[str, str] | None = None) -> list[str]:
        """Show each message under its field; returns the keys shown here."""
        shown = []
        for key, text in (warnings or {}).items():
            if key in self.messages:
                self.messages[key].setStyleSheet(WARNING_STYLE)
                self.messages[key].setText("⚠ " + text)
                self.messages[key].setVisible(True)
                shown.append(key)
        for key, text in errors.items():
            if key in self.messages:
                self.messages[key].setStyleSheet(ERROR_STYLE)
                self.messages[key].setText(text)
                self.messages[key].setVisible(True)
                shown.append(key)
        return shown


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


def readonly_table(headers: Sequence[str], parent=None) -> QTableWidget:  # noqa: ANN001
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setDefaultSectionSize(24)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    t.setWordWrap(False)
    from desktop_crm.ui.widgets.headers import keep_titles_whole

    keep_titles_whole(t)
    return t


def fill_table(t: QTableWidget, rows: Sequence[Sequence[object]], data: Sequence[object] | None = None,
               widths: Sequence[int] | None = None) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(text_of(value))
            if data is not None and c == 0:
                item.setData(Qt.UserRole, data[r])
            if len(text_of(value)) > 30:
                item.setToolTip(text_of(value))
            t.setItem(r, c, item)
    if widths:
        for c, w in enumerate(widths):
            t.setColumnWidth(c, w)
        from desktop_crm.ui.widgets.headers import fit_titles

        fit_titles(t.horizontalHeader())
