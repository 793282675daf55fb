"""Application-wide look: the bundled CJK font and Qt's own translations."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop_crm.core.paths import cjk_font_path

_state: dict[str, object] = {}


def desk_settings() -> QSettings:
    """Per-desk UI state (window geometry, columns, last filter, language)."""
    return QSettings("DesktopCRM", "Desktop CRM")


def install_fonts_and_translators(app: QApplication, lang: str) -> None:
    """Make Chinese render on machines without CJK fonts, and translate Qt's built-in dialogs."""
    if "font" not in _state:
        font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _state["font"] = families[0] if families else None
    family = _state["font"]
    if family:
        font = app.font()
        font.setFamilies([*font.families(), family])
        app.setFont(font)
    old = _state.pop("qt_translator", None)
    if old is not None:
        app.removeTranslator(old)  # type: ignore[arg-type]
    if lang == "zh_CN":
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
        if translator.load(QLocale(QLocale.Chinese, QLocale.China), "qtbase", "_", path):
            app.installTranslator(translator)
            _state["qt_translator"] = translator
        QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    else:
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))


def cjk_family() -> str | None:
    return _state.get("font")  # type: ignore[return-value]


def bold(font: QFont) -> QFont:
    f = QFont(font)
    f.setBold(True)
    return f
