"""Every user-facing message of the visits/reminders/dashboard area has a Chinese translation."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from desktop_crm.core import i18n

ROOT = Path(__file__).resolve().parents[2] / "desktop_crm"
FILES = [
    ROOT / "core" / "services" / f"{name}.py"
    for name in ("interactions", "visits", "reminders", "pool", "handover", "dashboard")
] + [ROOT / "cli" / "visits.py", *sorted((ROOT / "ui" / "dashboard").glob("*.py")),
     *sorted((ROOT / "ui" / "visits").glob("*.py"))]


def _msgids() -> set[str]:
    found: set[str] = set()
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"):
                arg = node.args[0]
                assert isinstance(arg, ast.Constant), f"{path.name}:{node.lineno} literal msgid"
                found.add(arg.value)
    return found


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_all_messages_translated():
    catalog = i18n.load_catalog("zh_CN")
    ids = _msgids()
    assert len(ids) > 150
    missing = sorted(ids - catalog.keys())
    assert not missing, f"untranslated: {missing}"
    for msgid in ids:
        assert _fields(catalog[msgid]) == _fields(msgid), msgid


def test_default_questionnaire_has_both_languages():
    import json

    from desktop_crm.core.paths import resources_dir

    qs = json.loads((resources_dir() / "questionnaire" / "default.json").read_text(encoding="utf-8"))
    assert len(qs) >= 5 and all(q["en"] and q["zh"] and q["kind"] in ("text", "score", "yesno") for q in qs)
