"""List translatable strings (`_("…")`, `N_("…")`) that have no zh_CN translation.

    python tools/i18n_check.py            # print missing msgids
    python tools/i18n_check.py --po FILE  # append them as empty entries to FILE for translating
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_crm.core.i18n import load_catalog  # noqa: E402

FUNCS = {"_", "N_", "gettext"}


def source_strings() -> dict[str, str]:
    """msgid -> first place it is used."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "desktop_crm").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def missing(lang: str = "zh_CN") -> dict[str, str]:
    catalog = load_catalog(lang)
    return {k: v for k, v in source_strings().items() if k not in catalog and k.strip()}


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


if __name__ == "__main__":
    todo = missing()
    if "--po" in sys.argv:
        po = Path(sys.argv[sys.argv.index("--po") + 1])
        with po.open("a", encoding="utf-8") as fh:
            for msgid, where in todo.items():
                fh.write(f"\n#: {where}\nmsgid {_quote(msgid)}\nmsgstr \"\"\n")
    for msgid, where in todo.items():
        print(f"{where}\t{msgid!r}")
    print(f"{len(todo)} missing", file=sys.stderr)
