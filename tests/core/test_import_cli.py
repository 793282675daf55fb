"""`desktop-crm import …` and `export customers …` on a real SQLite file."""

from __future__ import annotations

import csv
import subprocess
import sys

import openpyxl
import pytest

from desktop_crm.cli import main

PW = "secret-pass-1"


@pytest.fixture
def dbarg(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["--db", url, "init", "--admin-user", "admin", "--admin-password", PW]) == 0
    return url


def xlsx(path, header, rows):
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
        for cell in wb.active[wb.active.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"  # text typed as '=…, not a formula
    wb.save(path)
    return str(path)


def run(dbarg, capsys, *args):
    code = main(["--db", dbarg, "--lang", "en", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def counts(out: str) -> dict[str, int]:
    return {k: int(v) for k, v in (line.split(": ") for line in out.strip().splitlines())}


def test_import_modes_and_exit_status(dbarg, capsys, tmp_path):
    path = xlsx(tmp_path / "c.xlsx", ["客户编号", "客户名称", "状态"], [["C1", "甲", "现实客户"], ["C2", "乙", "潜在"]])
    code, out, _err = run(dbarg, capsys, "import", "customers", path, "--dry-run")
    assert code == 0 and counts(out) == {"created": 2, "updated": 0, "unchanged or existing": 0, "rejected": 0,
                                         "not saved": 0}
    code, out, _err = run(dbarg, capsys, "import", "customers", path)
    assert code == 0 and counts(out)["created"] == 2
    code, out, _err = run(dbarg, capsys, "import", "customers", path, "--mode", "upsert")
    assert code == 0 and counts(out) == {"created": 0, "updated": 0, "unchanged or existing": 2, "rejected": 0,
                                         "not saved": 0}
    bad = xlsx(tmp_path / "b.xlsx", ["客户编号", "客户名称", "手机"], [["C3", None, "1"]])
    errors = tmp_path / "out" / "errors.xlsx"
    code, out, err = run(dbarg, capsys, "import", "customers", bad, "--errors", str(errors))
    assert code == 1 and counts(out)["rejected"] == 1
    assert "row 2" in err and "Nothing was saved" in err
    assert list(openpyxl.load_workbook(errors).active.values)[1][0] == "C3"
    contacts = xlsx(tmp_path / "k.xlsx", ["客户编号", "姓名"], [["C1", "王五"]])
    code, out, _err = run(dbarg, capsys, "import", "contacts", contacts)
    assert code == 0 and counts(out)["created"] == 1


@pytest.mark.parametrize("args", [
    ["import", "customers", "missing.xlsx"],
    ["import", "customers", "GARBAGE"],
    ["import", "customers", "GARBAGE", "--errors", "x.txt"],
    ["import", "widgets", "GARBAGE"],
    ["import", "customers", "GARBAGE", "--mode", "merge"],
    ["export", "customers", "out.pdf"],
    ["export", "customers", "out.csv", "--status", "nonsense"],
    ["export", "customers", "out.csv", "--columns", "code,nope"],
])
def test_bad_arguments_and_files_one_line_no_traceback(dbarg, capsys, tmp_path, args):
    garbage = tmp_path / "g.xlsx"
    garbage.write_bytes(b"PK\x03\x04 not really a zip")
    args = [str(garbage) if a == "GARBAGE" else str(tmp_path / a) if a.endswith((".xlsx", ".pdf", ".csv", ".txt"))
            and a != "x.txt" else a for a in args]
    with pytest.raises(SystemExit) if args[1] == "widgets" or "merge" in args else _nothing():
        code, _out, err = run(dbarg, capsys, *args)
        assert code != 0
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_export_customers(dbarg, capsys, tmp_path):
    path = xlsx(tmp_path / "c.xlsx", ["客户编号", "客户名称", "状态", "备注"],
                [["C1", "=HYPERLINK(\"http://x\",\"y\")", "现实客户", "x"], ["C2", "乙", "潜在", None]])
    run(dbarg, capsys, "import", "customers", path)
    out_csv = tmp_path / "out.csv"
    code, out, _err = run(dbarg, capsys, "export", "customers", str(out_csv), "--status", "active")
    assert code == 0 and "1 customers" in out
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[1][:2] == ["C1", "'=HYPERLINK(\"http://x\",\"y\")"]
    out_xlsx = tmp_path / "out.xlsx"
    code, out, _err = run(dbarg, capsys, "--lang", "zh_CN", "export", "customers", str(out_xlsx), "--columns",
                          "code,name,status")
    assert code == 0
    values = list(openpyxl.load_workbook(out_xlsx).active.values)
    assert len(values) == 3 and values[1][0] == "C1"


def test_subprocess_entry_point(dbarg, tmp_path):
    path = xlsx(tmp_path / "c.xlsx", ["name"], [["甲"]])
    done = subprocess.run([sys.executable, "-m", "desktop_crm", "--db", dbarg, "import", "customers", path],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1" in done.stdout.splitlines()[0]
    done = subprocess.run([sys.executable, "-m", "desktop_crm", "--db", dbarg, "import", "customers",
                           str(tmp_path / "none.csv")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
