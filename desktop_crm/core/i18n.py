"""One translation mechanism for core and UI: gettext `.po` catalogs.

Source strings are English. Catalogs live in `resources/translations/<locale>/*.po`,
one file per area so that areas can be translated independently; all files of a
locale are merged. `.po` files are parsed directly (a few ms), so there is no
compile step to forget.
"""

from __future__ import annotations

import ast
import locale as _locale
import os
import threading
from pathlib import Path

from desktop_crm.core.paths import resources_dir

SUPPORTED = ("en", "zh_CN")
_lock = threading.Lock()
_catalog: dict[str, str] = {}
_current = "en"


def parse_po(text: str) -> dict[str, str]:
    """Parse the msgid/msgstr pairs of a .po file (msgctxt and plurals are not used here)."""
    out: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    target: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key, value = "".join(msgid), "".join(msgstr)
            if key and value:
                out[key] = value

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [ast.literal_eval(line[6:])], None
            target = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(ast.literal_eval(line))
    flush()
    return out


def load_catalog(lang: str) -> dict[str, str]:
    folder = resources_dir() / "translations" / lang
    merged: dict[str, str] = {}
    if folder.is_dir():
        for po in sorted(folder.glob("*.po")):
            merged.update(parse_po(po.read_text(encoding="utf-8")))
    return merged


def system_language() -> str:
    """zh_CN when the system locale is Chinese, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    try:
        loc = _locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh_CN" if loc.lower().startswith("zh") else "en"


def set_language(lang: str | None) -> str:
    """Switch the whole app's language; `None` or "system" follows the system locale."""
    global _catalog, _current
    if not lang or lang == "system":
        lang = system_language()
    if lang not in SUPPORTED:
        lang = "en"
    with _lock:
        _catalog = {} if lang == "en" else load_catalog(lang)
        _current = lang
    return lang


def current_language() -> str:
    return _current


def gettext(message: str) -> str:
    return _catalog.get(message, message)


def _(message: str) -> str:
    return _catalog.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` (the English forms are the keys; Chinese has one form)."""
    return gettext(singular if n == 1 else plural)


def N_(message: str) -> str:
    """Mark a string for translation without translating it now (module-level tables)."""
    return message


def catalog_files(lang: str) -> list[Path]:
    return sorted((resources_dir() / "translations" / lang).glob("*.po"))
