"""The customer filter panel: one condition per field of customer_fields, combined with AND.

enum and owner → multi-select (owner includes the customer pool); text-like → contains;
date/number → from–to; tags → a tag. `filters()` returns CustomerFilter.fields."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core.i18n import _
from desktop_crm.core.services.customer_fields import CUSTOMER_FIELDS, FieldDef
from desktop_crm.ui.customers.common import ERROR_STYLE, user_choices

RANGE_KINDS = ("date", "datetime", "money", "int")


class MultiSelect(QToolButton):
    """A button with a menu of checkable choices; shows what is chosen."""

    changed = Signal()

    def __init__(self, choices: list[tuple[object, str]] | Callable[[], list[tuple[object, str]]],
                 parent=None):  # noqa: ANN001
        """`choices` may be a function: then they are loaded when first needed (e.g. users)."""
        super().__init__(parent)
        self.setPopupMode(QToolButton.InstantPopup)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setMinimumWidth(120)
        self.menu_ = QMenu(self)
        self.actions_: list = []
        self._loader = choices if callable(choices) else None
        if self._loader is None:
            self._add(choices)  # type: ignore[arg-type]
        else:
            self.menu_.aboutToShow.connect(self._load)
        self.setMenu(self.menu_)
        self._update_text()

    def _add(self, choices: list[tuple[object, str]]) -> None:
        for value, label in choices:
            act = self.menu_.addAction(label)
            act.setCheckable(True)
            act.setData(value)
            act.toggled.connect(self._toggled)
            self.actions_.append(act)

    def _load(self) -> None:
        if self._loader is not None:
            loader, self._loader = self._loader, None
            self._add(loader())

    def _toggled(self, _checked: bool) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = [a.text() for a in self.actions_ if a.isChecked()]
        text = ", ".join(chosen) if chosen else _("(any)")
        self.setText(text if len(text) <= 28 else text[:26] + "…")
        self.setToolTip(", ".join(chosen))

    def values(self) -> list:
        return [a.data() for a in self.actions_ if a.isChecked()]

    def set_values(self, values: list) -> None:
        if values:
            self._load()
        wanted = {str(v) for v in values or []}
        for a in self.actions_:
            a.blockSignals(True)
            a.setChecked(str(a.data()) in wanted)
            a.blockSignals(False)
        self._update_text()


class FilterPanel(QWidget):
    """Emits `changed` (debounced) whenever a condition changes."""

    changed = Signal()

    def __init__(self, ctx, parent=None, columns: int = 3):  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.editors: dict[str, object] = {}
        self.messages: dict[str, QLabel] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(150)
        scroll.setMaximumHeight(260)
        body = QWidget()
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        for i, f in enumerate(CUSTOMER_FIELDS):
            row, col = divmod(i, columns)
            if f.kind == "user":
                editor = MultiSelect(lambda: user_choices(ctx))
                editor.changed.connect(self.changed)
            elif f.kind == "enum":
                editor = MultiSelect([(k, f.enum.label(k)) for k in f.enum.keys])  # type: ignore[union-attr]
                editor.changed.connect(self.changed)
            elif f.kind in RANGE_KINDS:
                editor = _Range(f)
                editor.lo.textChanged.connect(self._later)
                editor.hi.textChanged.connect(self._later)
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(_("contains…") if f.kind != "tags" else _("tag"))
                editor.textChanged.connect(self._later)
            label = QLabel(f.title)
            msg = QLabel()
            msg.setStyleSheet(ERROR_STYLE)
            msg.setVisible(False)
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(editor)
            cell.addWidget(msg)
            grid.addWidget(label, row, col * 2)
            grid.addLayout(cell, row, col * 2 + 1)
            grid.setColumnStretch(col * 2 + 1, 1)
            self.editors[f.key] = editor
            self.messages[f.key] = msg
        scroll.setWidget(body)
        outer.addWidget(scroll)
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.clear_button = QPushButton(_("Clear filters"))
        self.clear_button.clicked.connect(self.clear)
        bar.addWidget(self.clear_button)
        outer.addLayout(bar)

    def _later(self) -> None:
        self._timer.start()

    def filters(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, MultiSelect):
                values = editor.values()
                if values:
                    out[key] = values
            elif isinstance(editor, _Range):
                lo, hi = editor.lo.text().strip(), editor.hi.text().strip()
                if lo or hi:
                    out[key] = [lo or None, hi or None]
            else:
                text = editor.text().strip()  # type: ignore[union-attr]
                if text:
                    out[key] = text
        return out

    def set_filters(self, fields: dict[str, object]) -> None:
        for key, editor in self.editors.items():
            value = fields.get(key)
            editor.blockSignals(True)  # type: ignore[union-attr]
            if isinstance(editor, MultiSelect):
                editor.set_values(value if isinstance(value, list) else ([value] if value not in (None, "") else []))
            elif isinstance(editor, _Range):
                lo, hi = (value if isinstance(value, (list, tuple)) else (value, value)) if value else (None, None)
                for box, v in ((editor.lo, lo), (editor.hi, hi)):
                    box.blockSignals(True)
                    box.setText("" if v is None else str(v))
                    box.blockSignals(False)
            else:
                editor.setText("" if value is None else str(value))  # type: ignore[union-attr]
            editor.blockSignals(False)  # type: ignore[union-attr]
        self.show_errors({})

    def clear(self) -> None:
        self.set_filters({})
        self.changed.emit()

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, msg in self.messages.items():
            msg.setText(errors.get(key, ""))
            msg.setVisible(key in errors)

    def active_count(self) -> int:
        return len(self.filters())


class _Range(QWidget):
    def __init__(self, f: FieldDef):
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        hint = "YYYY-MM-DD" if f.kind in ("date", "datetime") else ""
        self.lo, self.hi = QLineEdit(), QLineEdit()
        self.lo.setPlaceholderText(_("from {hint}").format(hint=hint).strip())
        self.hi.setPlaceholderText(_("to {hint}").format(hint=hint).strip())
        row.addWidget(self.lo)
        row.addWidget(QLabel("–"))
        row.addWidget(self.hi)
