"""Every user-facing message of the rules has a Chinese translation in rules.po."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from desktop_crm.core import i18n
from desktop_crm.core.paths import resources_dir

RULES = Path(__file__).resolve().parents[2] / "desktop_crm" / "core" / "rules"
PO = resources_dir() / "translations" / "zh_CN" / "rules.po"


def _msgids() -> set[str]:
    found: set[str] = set()
    for path in RULES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"):
                arg = node.args[0]
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), f"{path.name}: literal msgid"
                found.add(arg.value)
    return found


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_rules_po_has_header_and_all_messages():
    text = PO.read_text(encoding="utf-8")
    assert re.search(r'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"', text)
    catalog = i18n.parse_po(text)
    ids = _msgids()
    assert ids, "the rules have user-facing messages"
    missing = sorted(ids - catalog.keys())
    assert not missing, f"untranslated: {missing}"
    for msgid in ids:
        assert _fields(catalog[msgid]) == _fields(msgid), msgid  # same {placeholders}


def test_messages_switch_language():
    from desktop_crm.core.rules.validation import normalize_phone

    try:
        i18n.set_language("zh_CN")
        with pytest.raises(ValueError, match="电话号码为空"):
            normalize_phone("")
    finally:
        i18n.set_language("en")
    with pytest.raises(ValueError, match="The phone number is empty"):
        normalize_phone("")


def test_rules_stay_pure():
    banned = ("PySide6", "sqlalchemy.orm", "desktop_crm.core.db", "desktop_crm.core.services", "open(")
    for path in RULES.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for word in banned:
            assert word not in source, f"{path.name} uses {word}"
