"""Customer import with real files: both header languages, every mode, dry run, idempotency,
error workbook, nothing saved half-way, status history, owners and scope."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.importing import ImportFileError, run_import
from desktop_crm.core.models import AuditEntry, Customer, StatusChange
from desktop_crm.core.services import customer_query, customers
from desktop_crm.core.services.customer_query import CustomerFilter

ZH = ["客户编号", "客户名称", "类型", "状态", "行业", "来源", "负责人", "信用等级", "省份", "城市", "地址", "电话", "手机",
      "邮箱", "统一社会信用代码", "生日", "需求", "备注", "创建时间", "状态日期"]
EN = ["code", "name", "kind", "status", "industry", "source", "owner", "credit_rating", "province", "city", "address",
      "phone", "mobile", "email", "credit_code", "birthday", "needs", "notes", "created_at", "status_since"]
ROWS = [
    ["C100", "北京星辰科技有限公司", "企业", "现实客户", "电气店", "网络", "rep1", "A", "北京", "北京", "海淀区 1 号",
     "010-62000000", "13800138000", "info@xc.cn", None, None, "物流", None, "2023-01-05", "2024年3月5日"],
    ["C101", "李雷", "individual", "target", "", "referral", "", "b", "广东", "深圳", None, None, "+86 139 0013 9000",
     None, None, "1990/2/3", None, "=HYPERLINK(\"http://x\",\"y\")", "2024-02-01 09:30", None],
    [None, "上海某某贸易有限公司", "企业", "潜在", None, None, None, None, "上海", "上海", None, None, "13700137000",
     None, None, None, None, None, None, None],
]


def xlsx(path, header, rows, formulas=False):
    """Rows to a real .xlsx; text starting with "=" is stored as text unless `formulas`."""
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
        for cell in wb.active[wb.active.max_row]:
            if cell.data_type == "f" and not formulas:
                cell.data_type = "s"
    wb.save(path)
    return path


def csv_file(path, header, rows, encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *[["" if v is None else v for v in r] for r in rows]])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def n_customers(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Customer))


def n_audit(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def by_code(db, code):
    with db.read() as s:
        c = s.scalars(select(Customer).where(Customer.code == code)).one()
        s.expunge(c)
        return c


def history(db, code):
    with db.read() as s:
        cid = s.scalar(select(Customer.id).where(Customer.code == code))
        return [(h.status, h.at) for h in s.scalars(select(StatusChange).where(StatusChange.customer_id == cid)
                                                   .order_by(StatusChange.at, StatusChange.id))]


def invariant(r):
    assert r.created + r.updated + r.skipped + r.failed + r.not_saved == r.rows


@pytest.mark.parametrize("header", [ZH, EN], ids=["zh", "en"])
@pytest.mark.parametrize("kind", ["xlsx", "utf-8", "utf-8-sig", "gb18030"])
def test_import_both_languages_and_formats(team, tmp_path, header, kind):
    admin = team["admin"]
    path = xlsx(tmp_path / "c.xlsx", header, ROWS) if kind == "xlsx" else csv_file(tmp_path / "c.csv", header, ROWS,
                                                                                  kind)
    r = run_import(admin, "customers", path)
    invariant(r)
    assert (r.created, r.updated, r.skipped, r.failed, r.rows) == (3, 0, 0, 0, 3), r.error_lines()
    c = by_code(admin.db, "C100")
    assert (c.name, c.kind, c.status, c.source, c.credit_rating, c.mobile) == (
        "北京星辰科技有限公司", "enterprise", "active", "web", "A", "+8613800138000")
    assert c.created_at == datetime(2023, 1, 5)
    rep1 = [u for u in team if u == "rep1"][0]
    assert c.owner_id == team[rep1].actor.id
    li = by_code(admin.db, "C101")
    assert li.kind == "individual" and li.credit_rating == "B" and li.notes == '=HYPERLINK("http://x","y")'
    assert li.birthday.isoformat() == "1990-02-03"
    third = [c for c in customer_query.all_rows(admin, CustomerFilter(search=""), columns=["name"])
             if c[2] == "上海某某贸易有限公司"]
    assert len(third) == 1
    # the search index is maintained
    assert customer_query.count(admin, CustomerFilter(search="星辰")) == 1


def test_status_since_enters_history(team, tmp_path):
    admin = team["admin"]
    run_import(admin, "customers", xlsx(tmp_path / "c.xlsx", ZH, ROWS))
    assert history(admin.db, "C100") == [("active", datetime(2024, 3, 5))]
    assert history(admin.db, "C101") == [("target", datetime(2024, 2, 1, 9, 30))]  # created_at
    (status, at), = history(admin.db, [c for c in ["C000001"]][0])
    assert status == "potential" and (datetime.now() - at).total_seconds() < 120  # now


def test_import_twice_creates_nothing_new(team, tmp_path):
    admin = team["admin"]
    path = xlsx(tmp_path / "c.xlsx", ZH, ROWS)
    run_import(admin, "customers", path)
    before, audit_before = n_customers(admin.db), n_audit(admin.db)
    for mode in ("create", "upsert", "create"):
        r = run_import(admin, "customers", path, mode=mode)
        invariant(r)
        assert (r.created, r.updated, r.skipped, r.failed) == (0, 0, 3, 0), (mode, r.warning_lines())
    assert n_customers(admin.db) == before
    assert n_audit(admin.db) == audit_before


def test_update_and_upsert(team, tmp_path):
    admin = team["admin"]
    run_import(admin, "customers", xlsx(tmp_path / "c.xlsx", ZH, ROWS))
    changed = [["C100", None, None, "流失客户", None, None, None, None, None, "天津", None, None, None, None, None,
                None, None, None, None, "2024-06-01"],
               ["C101", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
                None, None, None, None]]
    r = run_import(admin, "customers", xlsx(tmp_path / "u.xlsx", ZH, changed), mode="update")
    invariant(r)
    assert (r.created, r.updated, r.skipped, r.failed) == (0, 1, 1, 0), r.error_lines()
    c = by_code(admin.db, "C100")
    assert (c.city, c.status, c.name, c.mobile) == ("天津", "lost", "北京星辰科技有限公司", "+8613800138000")
    assert history(admin.db, "C100") == [("active", datetime(2024, 3, 5)), ("lost", datetime(2024, 6, 1))]
    # upsert: one existing (identical now), one new
    rows = [changed[0], ["C200", "新客户甲", None, None, None, None, None, None, None, None, None, None, None, None,
                         None, None, None, None, None, None]]
    r = run_import(admin, "customers", xlsx(tmp_path / "v.xlsx", ZH, rows), mode="upsert")
    assert (r.created, r.updated, r.skipped, r.failed) == (1, 0, 1, 0), r.error_lines()
    # update mode: unknown code fails the row, and nothing is saved
    r = run_import(admin, "customers", xlsx(tmp_path / "w.xlsx", ZH, rows[1:] + [
        ["C999", "x", None, None, None, None, None, None, None, "广州", None, None, None, None, None, None, None, None,
         None, None]]), mode="update")
    assert r.rejected and r.failed == 1 and r.errors[0][0] == 3 and "code" in r.errors[0][1]


def test_dry_run_counts_and_writes_nothing(team, tmp_path):
    admin = team["admin"]
    path = xlsx(tmp_path / "c.xlsx", ZH, ROWS)
    r = run_import(admin, "customers", path, dry_run=True)
    assert r.dry_run and (r.created, r.skipped, r.failed) == (3, 0, 0)
    assert n_customers(admin.db) == 0
    run_import(admin, "customers", path)
    r = run_import(admin, "customers", path, mode="upsert", dry_run=True)
    assert (r.created, r.updated, r.skipped) == (0, 0, 3)


def test_failed_rows_reject_the_file_and_error_workbook(team, tmp_path):
    admin = team["admin"]
    run_import(admin, "customers", xlsx(tmp_path / "seed.xlsx", ZH, ROWS[:1]))
    count, audit_count = n_customers(admin.db), n_audit(admin.db)
    bad = [
        ["C300", "好客户", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
         None, None, None],
        ["C301", None, "外星", "=cmd|' /C calc'!A0", None, None, "nobody", None, None, None, None, None, "123", "bad@",
         None, "2999-01-01", None, None, None, None],
        ["C300", "重复编号", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
         None, None, None],
    ]
    out = tmp_path / "errors.xlsx"
    r = run_import(admin, "customers", xlsx(tmp_path / "bad.xlsx", ZH, bad), errors_out=out)
    invariant(r)
    assert r.rejected and (r.created, r.updated, r.skipped, r.failed, r.not_saved) == (0, 0, 0, 2, 1)
    assert n_customers(admin.db) == count and n_audit(admin.db) == audit_count
    errs = dict(r.errors)
    assert set(errs[3]) >= {"name", "kind", "status", "owner", "mobile", "email", "birthday"}
    assert "twice" in errs[4]["code"]
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.values)
    assert rows[0] == (*ZH, "错误 / errors")
    assert [row[0] for row in rows[1:]] == ["C301", "C300"]
    assert rows[1][3] == "=cmd|' /C calc'!A0"
    assert ws.cell(row=2, column=4).data_type == "s"  # a string, never a formula
    assert rows[1][-1].startswith("#3: ") and "手机 (mobile)" in rows[1][-1]


def test_rows_without_code_are_deduplicated(team, tmp_path):
    admin = team["admin"]
    customers.create_customer(admin, {"name": "广州某某有限公司", "mobile": "13600136000"})
    rows = [[None, "广州某某", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
             None, None, None],
            [None, "深圳新公司", None, None, None, None, None, None, None, None, None, None, "13500135000", None,
             None, None, None, None, None, None],
            [None, "深圳新公司有限公司", None, None, None, None, None, None, None, None, None, None, None, None, None,
             None, None, None, None, None]]
    r = run_import(admin, "customers", xlsx(tmp_path / "c.xlsx", ZH, rows))
    assert (r.created, r.skipped) == (1, 2)
    assert any("duplicate" in w for w in r.warning_lines())


def test_header_row_below_a_title_and_unknown_columns(team, tmp_path):
    admin = team["admin"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户导入表 2024"])
    ws.append([])
    ws.append(["客户名称", "手机", "随便一列"])
    ws.append(["杭州测试", "13300133000", "x"])
    wb.save(tmp_path / "t.xlsx")
    r = run_import(admin, "customers", tmp_path / "t.xlsx")
    assert r.created == 1 and any("随便一列" in w for w in r.warning_lines())


def test_file_errors(team, tmp_path):
    admin = team["admin"]
    with pytest.raises(ImportFileError, match="客户名称"):
        run_import(admin, "customers", xlsx(tmp_path / "c.xlsx", ["客户编号", "手机"], [["C1", "13800138000"]]))
    with pytest.raises(ValidationError):
        run_import(admin, "customers", tmp_path / "c.xlsx", mode="merge")
    with pytest.raises(ValidationError):
        run_import(admin, "nothing", tmp_path / "c.xlsx")


def test_viewer_cannot_import(team, tmp_path):
    with pytest.raises(PermissionDenied):
        run_import(team["viewer"], "customers", xlsx(tmp_path / "c.xlsx", ZH, ROWS))


def test_staff_scope_and_owner_rules(team, tmp_path):
    admin, rep1, rep3 = team["admin"], team["rep1"], team["rep3"]
    run_import(admin, "customers", xlsx(tmp_path / "c.xlsx", ZH, ROWS))  # C100 owned by rep1, C101 in the pool
    # rep3 (other department) cannot see C100: update fails, create mode skips it
    upd = [["C100", None, None, None, None, None, None, None, None, "天津", None, None, None, None, None, None, None,
            None, None, None]]
    r = run_import(rep3, "customers", xlsx(tmp_path / "u.xlsx", ZH, upd), mode="update")
    assert r.failed == 1 and "C100" in r.errors[0][1]["code"]
    r = run_import(rep3, "customers", xlsx(tmp_path / "u.xlsx", ZH, upd), mode="create")
    assert (r.skipped, r.failed) == (1, 0)
    # staff cannot hand a customer to someone else, or create one for another team
    mv = [["C101", None, None, None, None, None, "rep2", None, None, None, None, None, None, None, None, None, None,
           None, None, None]]
    r = run_import(rep1, "customers", xlsx(tmp_path / "m.xlsx", ZH, mv), mode="update")
    assert r.failed == 1 and "owner" in r.errors[0][1]
    # a manager can: the change is a transfer with history
    r = run_import(team["manager"], "customers", xlsx(tmp_path / "m.xlsx", ZH, mv), mode="update")
    assert r.updated == 1
    assert by_code(admin.db, "C101").owner_id == team["rep2"].actor.id
    # rows staff create without an owner are their own
    r = run_import(rep1, "customers", xlsx(tmp_path / "n.xlsx", ["客户名称"], [["温州某某"]]))
    assert r.created == 1
    new = [c for c in customer_query.all_rows(rep1, CustomerFilter(search="温州"), columns=["owner"])]
    assert new and new[0][2] == "rep1"


def test_formula_cells_import_their_value_never_the_formula(team, tmp_path):
    admin = team["admin"]
    path = xlsx(tmp_path / "f.xlsx", ["客户名称", "备注", "城市"], [["公式客户", "=1+1", '=HYPERLINK("http://x","y")']],
                formulas=True)
    r = run_import(admin, "customers", path)
    # no saved value in the file: a row error naming the cells, never an empty value, never evaluated
    assert r.rejected and r.created == 0 and r.failed == 1
    [(row, errs)] = r.errors
    assert row == 2 and set(errs) == {"notes", "city"} and "=1+1" in errs["notes"] and "save it" in errs["notes"]
