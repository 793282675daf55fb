"""Append translations (a dict in a Python file named TR_FILE, variable T) to a .po file, skipping
msgids the file already has.  python tools/po_write.py TR_FILE PO_FILE"""

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from desktop_crm.core.i18n import parse_po  # noqa: E402

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: zh_CN\\n"\n'


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def main() -> None:
    table = runpy.run_path(sys.argv[1])["T"]
    po = Path(sys.argv[2])
    text = po.read_text(encoding="utf-8") if po.exists() else HEADER
    have = parse_po(text)
    for k, v in table.items():
        if k not in have:
            text += f"\nmsgid {quote(k)}\nmsgstr {quote(v)}\n"
    po.write_text(text, encoding="utf-8")


main()
