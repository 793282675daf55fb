"""Settings: this desk's language, and (administrators) the business settings shared by all desks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_crm.core import i18n, settings_schema
from desktop_crm.core.errors import CrmError, ValidationError
from desktop_crm.core.i18n import _
from desktop_crm.core.services import settings
from desktop_crm.ui.app import desk_settings, install_fonts_and_translators

LANGUAGES = [("system", i18n.N_("Follow the system")), ("en", "English"), ("zh_CN", "中文（简体）")]


class SettingsDialog(QDialog):
    def __init__(self, ctx, window=None):  # noqa: ANN001
        super().__init__(window)
        self.ctx, self.window_ = ctx, window
        self.setWindowTitle(_("Settings"))
        self.resize(620, 640)
        outer = QVBoxLayout(self)
        desk = QGroupBox(_("This desk"))
        form = QFormLayout(desk)
        self.language = QComboBox()
        self.language.setObjectName("language")
        saved = desk_settings().value("language") or "system"
        for key, label in LANGUAGES:
            self.language.addItem(_(label), key)
            if key == saved:
                self.language.setCurrentIndex(self.language.count() - 1)
        form.addRow(_("Language"), self.language)
        outer.addWidget(desk)
        self.editors: dict[str, QWidget] = {}
        self.is_admin = ctx.actor.role == "admin"
        if self.is_admin:
            outer.addWidget(self._business())
        else:
            outer.addWidget(QLabel(_("Business settings are changed by an administrator.")))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def _business(self) -> QWidget:
        values = settings.get_all(self.ctx)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        groups: dict[str, QFormLayout] = {}
        for key, d in settings_schema.DEFINITIONS.items():
            if key == "grades_recomputed_on":
                continue
            if d.group not in groups:
                box = QGroupBox(_(d.group))
                groups[d.group] = QFormLayout(box)
                layout.addWidget(box)
            editor = self._editor(d, values[key])
            editor.setObjectName(f"setting_{key}")
            self.editors[key] = editor
            label = QLabel(_(d.label))
            label.setWordWrap(True)
            groups[d.group].addRow(label, editor)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _editor(self, d: settings_schema.SettingDef, value: object) -> QWidget:
        if d.kind == "int":
            w = QSpinBox()
            w.setRange(0, 1_000_000)
            w.setValue(int(value))  # type: ignore[arg-type]
            return w
        if d.kind == "bool":
            w = QCheckBox()
            w.setChecked(bool(value))
            return w
        if d.kind == "json" and isinstance(value, dict):
            box = QWidget()
            form = QFormLayout(box)
            form.setContentsMargins(0, 0, 0, 0)
            for k, v in value.items():
                spin = QDoubleSpinBox()
                spin.setDecimals(0 if float(v).is_integer() and float(v) >= 1 else 3)
                spin.setRange(0, 100000)
                spin.setValue(float(v))
                spin.setObjectName(k)
                form.addRow(k, spin)
            return box
        if d.kind == "json" and isinstance(value, list):
            w = QPlainTextEdit("\n".join(str(x) for x in value))
            w.setFixedHeight(110)
            return w
        return QLineEdit(str(value or ""))

    def _value(self, key: str, editor: QWidget) -> object:
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QPlainTextEdit):
            return [line.strip() for line in editor.toPlainText().splitlines() if line.strip()]
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        out = {}
        for spin in editor.findChildren(QDoubleSpinBox):
            v = spin.value()
            out[spin.objectName()] = int(v) if v.is_integer() and v >= 1 else v
        return out

    def save(self) -> None:
        self.error.clear()
        if self.is_admin:
            try:
                settings.set_many(self.ctx, {k: self._value(k, e) for k, e in self.editors.items()})
            except ValidationError as exc:
                self.error.setText("\n".join(f"{_(settings_schema.DEFINITIONS[k].label) if k in settings_schema.DEFINITIONS else k}: {m}"
                                             for k, m in exc.errors.items()))
                return
            except CrmError as exc:
                self.error.setText(str(exc))
                return
        lang = self.language.currentData()
        changed = lang != (desk_settings().value("language") or "system")
        desk_settings().setValue("language", lang)
        self.accept()
        if changed:
            apply_language(lang, self.window_)


def apply_language(lang: str, window) -> None:  # noqa: ANN001
    """Switch the language now: translate, then rebuild the main window with the same login."""
    from PySide6.QtWidgets import QApplication

    i18n.set_language(lang)
    install_fonts_and_translators(QApplication.instance(), i18n.current_language())
    if window is None:
        return
    from desktop_crm.ui.main_window import MainWindow

    new = MainWindow(window.ctx)
    new.show()
    current = window.sidebar.currentRow()
    key = window.specs[current].key if current >= 0 else "customers"
    window.close()
    new.show_view(key)
    _keep.append(new)


_keep: list = []
