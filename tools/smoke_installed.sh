#!/usr/bin/env bash
# The product as a user installs it: run from an empty folder, far from any checkout.
#   tools/smoke_installed.sh CRM_COMMAND [PYTHON_WITH_OPENPYXL]
# CRM_COMMAND is an installed `desktop-crm` (a wheel's entry point, or the PyInstaller build).
# Creates a database, fills a small demo business, writes a Chinese PDF report and checks the
# CJK font is embedded and the title is Chinese, exports the customer list to .xlsx and reads it
# back with openpyxl, and shows the Chinese help. Any traceback fails the smoke.
set -euo pipefail
# An absolute path: the smoke works in a folder of its own, so a relative one would not be found.
case "$1" in
    */*) CRM="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;;
    *) CRM="$(command -v "$1")" ;;
esac
PY="${2:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
DB="$WORK/smoke.sqlite3"
LOG="$WORK/output.txt"
export XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"  # a fresh user, nothing of the machine's
export DESKTOP_CRM_USER=admin DESKTOP_CRM_PASSWORD=smoke-pass-2026  # how a script logs in

run() { "$CRM" --db "$DB" "$@" >>"$LOG" 2>&1 || { cat "$LOG"; echo "smoke: failed: $*" >&2; exit 1; }; }

run init --admin-user admin --admin-password smoke-pass-2026
run demo --customers 300
run --lang zh_CN report pyramid --period this_year --out pyramid.pdf
pdffonts pyramid.pdf | grep -q DroidSansFallback || { echo "smoke: the CJK font is not embedded" >&2; exit 1; }
pdftotext pyramid.pdf - | grep -q "客户金字塔" || { echo "smoke: the PDF title is not Chinese" >&2; exit 1; }
run export customers customers.xlsx
"$PY" - <<'PY'
import openpyxl
ws = openpyxl.load_workbook("customers.xlsx", read_only=True).worksheets[0]
rows = list(ws.iter_rows(values_only=True))
assert len(rows) > 300 and any(isinstance(v, str) and v.startswith("C0") for v in rows[-1]), rows[:2]
print(f"smoke: xlsx read back, {len(rows)} rows")
PY
"$CRM" --lang zh_CN --help >"$WORK/help.txt" 2>&1
grep -q "用法" "$WORK/help.txt" || { cat "$WORK/help.txt"; echo "smoke: the help is not Chinese" >&2; exit 1; }
if grep -q "Traceback" "$LOG" "$WORK/help.txt"; then cat "$LOG"; echo "smoke: a traceback reached the user" >&2; exit 1; fi
echo "smoke: ok ($CRM)"
