"""Bad input through the whole importer: the result is always imported rows or clear per-row
errors (or one ImportFileError for a bad file) — never a crash, never a partial import."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop_crm.core.importing import ImportFileError, run_import
from desktop_crm.core.models import AuditEntry, Contact, Customer
from desktop_crm.core.services import customers

HEADER = ["客户名称", "手机", "创建时间", "注册资本", "员工人数", "生日", "备注", "状态", "类型"]
FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def snapshot(db) -> tuple[int, int, int]:
    with db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (Customer, Contact, AuditEntry))


def write_file(path, header, rows, kind):
    if kind == "xlsx":
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        wb = openpyxl.Workbook()
        wb.active.append(header)
        for r in rows:
            wb.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r])
        wb.save(path)
        return path
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *[["" if v is None else v for v in r] for r in rows]])
    path.write_bytes(out.getvalue().encode(kind, errors="replace"))
    return path


@st.composite
def date_text(draw):
    y, m, d = draw(st.integers(1900, 2030)), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    form = draw(st.sampled_from(["{y}-{m}-{d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}",
                                 "{y}-{m:02d}-{d:02d}T10:30:00", "{y}年{m}月{d}日 14时30分", "{d}/{m}/{y}"]))
    text = form.format(y=y, m=m, d=d)
    return text.translate(FULL) if draw(st.booleans()) else text


number_text = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9).map(
        lambda d: f"{d:,}"),
    st.integers(0, 10**7).map(lambda n: f"{n:,}".translate(FULL)),
    st.sampled_from(["¥1,234.50", "１２３元", "1,23", "1e5", "NaN", "--1", "12 34", "RMB 100"]),
)
cell = st.one_of(
    st.none(), st.text(max_size=40), date_text(), number_text,
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+cmd", "@SUM(A1)", "-1+1", "\t", "\r\n", "现实客户",
                     "active", "个人", "13800138000", "+86 139 0013 9000", "x" * 100_000]),
    st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1900, 3, 1)),
)
rows_strategy = st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=6)


@FUZZ
@given(rows=rows_strategy, kind=st.sampled_from(["xlsx", "utf-8", "utf-8-sig", "gb18030"]),
       mode=st.sampled_from(["create", "upsert"]))
def test_fuzzed_rows_never_crash_nor_half_import(admin, tmp_path, rows, kind, mode):
    if kind != "xlsx":
        rows = [[v.isoformat() if isinstance(v, date) else v for v in r] for r in rows]
    else:
        rows = [[v if not isinstance(v, float) or v == v and abs(v) != float("inf") else None for v in r]
                for r in rows]
    path = write_file(tmp_path / f"f.{'xlsx' if kind == 'xlsx' else 'csv'}", HEADER, rows, kind)
    before = snapshot(admin.db)
    try:
        dry = run_import(admin, "customers", path, mode=mode, dry_run=True)
        result = run_import(admin, "customers", path, mode=mode, errors_out=tmp_path / "e.xlsx")
    except ImportFileError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert snapshot(admin.db) == before
        return
    for r in (dry, result):
        assert r.created + r.updated + r.skipped + r.failed + r.not_saved == r.rows
        for _n, errs in r.errors:
            assert errs and all(isinstance(v, str) and v for v in errs.values())
    assert (dry.created, dry.failed) == (result.created, result.failed)
    after = snapshot(admin.db)
    if result.failed:
        assert after == before and result.rejected
        book = list(openpyxl.load_workbook(tmp_path / "e.xlsx").active.values)
        assert len(book) == result.failed + 1
    else:
        assert after[0] == before[0] + result.created
        again = run_import(admin, "customers", path, mode=mode)
        assert again.created == 0 and again.failed == 0 and snapshot(admin.db)[0] == after[0]


@FUZZ
@given(data=st.binary(min_size=1, max_size=2000), name=st.sampled_from(["x.csv", "x.xlsx", "x.xls"]))
def test_random_files(admin, tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(admin.db)
    try:
        r = run_import(admin, "contacts", path)
    except ImportFileError as exc:
        assert str(exc)
    else:
        assert r.created == 0 and r.created + r.updated + r.skipped + r.failed + r.not_saved == r.rows
    assert snapshot(admin.db) == before


@pytest.mark.parametrize("raw,field,expected", [
    ("2024-03-05", "birthday", date(2024, 3, 5)),
    ("2024/3/5", "birthday", date(2024, 3, 5)),
    ("2024年3月5日", "birthday", date(2024, 3, 5)),
    ("２０２４年３月５日", "birthday", date(2024, 3, 5)),
    ("20240305", "birthday", date(2024, 3, 5)),
    (45356, "birthday", date(2024, 3, 5)),
    ("1,234,567.50", "registered_capital", Decimal("1234567.50")),
    ("￥１，２３４", "registered_capital", Decimal("1234")),
    ("1,200", "staff_size", 1200),
    ("１２００", "staff_size", 1200),
])
def test_value_forms(admin, tmp_path, raw, field, expected):
    header = {"birthday": "生日", "registered_capital": "注册资本", "staff_size": "员工人数"}[field]
    path = write_file(tmp_path / "v.xlsx", ["客户名称", header], [["值测试", raw]], "xlsx")
    r = run_import(admin, "customers", path)
    assert r.created == 1, r.error_lines()
    value = customers.get_customer(admin, customers.id_by_code(admin, "C000001"))[field]
    assert value == expected


@pytest.mark.parametrize("kind", ["xlsx", "utf-8"])
def test_100k_character_cells_are_row_errors(admin, tmp_path, kind):
    long = "长" * 100_000
    path = write_file(tmp_path / f"l.{'xlsx' if kind == 'xlsx' else 'csv'}", ["客户名称", "备注"],
                      [[long, "ok"], ["短名", long], ["好的", "好"]], kind)
    r = run_import(admin, "customers", path)
    assert r.failed == 2 and r.rejected and {n for n, _e in r.errors} == {2, 3}
    assert "longer" in r.errors[0][1]["name"] and "longer" in r.errors[1][1]["notes"]
    assert snapshot(admin.db)[0] == 0


def test_created_at_in_the_future_and_bad_dates(admin, tmp_path):
    future = datetime(2999, 1, 1)
    path = write_file(tmp_path / "d.xlsx", ["客户名称", "创建时间", "状态日期"],
                      [["甲", future, None], ["乙", "2024-02-30", None], ["丙", None, "昨天"]], "xlsx")
    r = run_import(admin, "customers", path)
    errs = dict(r.errors)
    assert set(errs) == {2, 3, 4} and "created_at" in errs[2] and "created_at" in errs[3] and "status_since" in errs[4]
