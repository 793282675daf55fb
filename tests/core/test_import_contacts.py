"""Contact import: by customer code, both header languages, modes, idempotency, scope."""

from __future__ import annotations

import openpyxl
from sqlalchemy import func, select

from desktop_crm.core.importing import run_import
from desktop_crm.core.models import Contact
from desktop_crm.core.services import contacts, customer_query, customers
from desktop_crm.core.services.customer_query import CustomerFilter

ZH = ["客户编号", "姓名", "职务", "手机", "电话", "邮箱", "微信", "生日", "主联系人"]
EN = ["customer_code", "name", "title", "mobile", "phone", "email", "wechat", "birthday", "is_primary"]


def xlsx(path, header, rows):
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def n_contacts(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Contact))


def setup(team):
    rep1 = team["rep1"]
    a = customers.create_customer(rep1, {"name": "甲公司"})
    b = customers.create_customer(team["rep3"], {"name": "乙公司"})
    return a, b


ROWS = [["C000001", "王五", "经理", "13800138000", None, "ww@x.cn", "ww", "1988-08-08", "是"],
        ["C000001", "赵六", None, "13900139000", None, None, None, "1990年1月2日", "否"]]


def test_contacts_both_languages_and_idempotent(team, tmp_path):
    admin = team["admin"]
    a, _b = setup(team)
    for i, header in enumerate([ZH, EN]):
        r = run_import(admin, "contacts", xlsx(tmp_path / f"c{i}.xlsx", header, ROWS))
        assert r.created + r.updated + r.skipped + r.failed + r.not_saved == r.rows == 2
        assert (r.created, r.skipped) == ((2, 0) if i == 0 else (0, 2)), r.error_lines()
    views = contacts.list_contacts(admin, a.id)
    assert [v["name"] for v in views] == ["王五", "赵六"]
    assert views[0]["is_primary"] is True and views[0]["mobile"] == "+8613800138000"
    assert views[1]["birthday"].isoformat() == "1990-01-02"
    # the search index knows the contacts
    assert customer_query.count(admin, CustomerFilter(search="王五")) == 1


def test_contacts_update_upsert_and_errors(team, tmp_path):
    admin = team["admin"]
    setup(team)
    run_import(admin, "contacts", xlsx(tmp_path / "c.xlsx", ZH, ROWS))
    rows = [["C000001", "王五", "总监", None, None, None, None, None, None],
            ["C000001", "孙七", "助理", None, None, None, None, None, None]]
    r = run_import(admin, "contacts", xlsx(tmp_path / "u.xlsx", ZH, rows), mode="update")
    assert r.rejected and r.failed == 1 and r.errors[0][0] == 3
    r = run_import(admin, "contacts", xlsx(tmp_path / "u.xlsx", ZH, rows), mode="upsert")
    assert (r.created, r.updated, r.skipped, r.failed) == (1, 1, 0, 0)
    r = run_import(admin, "contacts", xlsx(tmp_path / "u.xlsx", ZH, rows), mode="upsert")
    assert (r.created, r.updated, r.skipped, r.failed) == (0, 0, 2, 0)
    before = n_contacts(admin.db)
    bad = [["C999999", "某人", None, None, None, None, None, None, None],
           ["C000001", None, None, "12", None, None, None, None, "也许"],
           ["C000001", "周八", None, None, None, None, None, None, None],
           ["C000001", "周八", None, None, None, None, None, None, None]]
    r = run_import(admin, "contacts", xlsx(tmp_path / "b.xlsx", ZH, bad), errors_out=tmp_path / "e.xlsx")
    assert r.failed == 3 and n_contacts(admin.db) == before
    errs = dict(r.errors)
    assert "customer_code" in errs[2] and {"name", "mobile", "is_primary"} <= set(errs[3]) and "twice" in errs[5]["name"]
    assert len(list(openpyxl.load_workbook(tmp_path / "e.xlsx").active.values)) == 4


def test_contacts_respect_scope(team, tmp_path):
    setup(team)
    rows = [["C000002", "钱九", None, None, None, None, None, None, None]]  # rep3's customer
    r = run_import(team["rep1"], "contacts", xlsx(tmp_path / "c.xlsx", ZH, rows))
    assert r.failed == 1 and "C000002" in r.errors[0][1]["customer_code"]
    r = run_import(team["rep3"], "contacts", xlsx(tmp_path / "c.xlsx", ZH, rows))
    assert r.created == 1
