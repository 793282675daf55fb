"""Contract and opportunity import: both header languages, xlsx and csv (UTF-8 BOM, GB18030), the three modes,
identical rows skipped, every change audited, whole-file rejection naming the field, scope, stages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop_crm.cli import main
from desktop_crm.core.importing import get_spec, run_import, spec_names
from desktop_crm.core.importing.templates import header_text, write_template
from desktop_crm.core.models import AuditEntry, Contract, Opportunity
from desktop_crm.core.paths import resources_dir
from desktop_crm.core.services import contracts, customers, opportunities

CONTRACT_ZH = ["合同编号", "客户编号", "合同名称", "签订日期", "开始日期", "到期日期", "合同金额", "状态", "备注"]
CONTRACT_EN = ["number", "customer_code", "title", "signed_on", "start_on", "end_on", "amount", "status", "notes"]
OPP_ZH = ["客户编号", "机会名称", "预计金额", "预计成交日期", "阶段", "输单原因", "负责人", "备注"]


def xlsx(path, header, rows):  # noqa: ANN001, ANN201
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def csv(path, lines: list[str], encoding: str = "utf-8-sig"):  # noqa: ANN001, ANN201
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def count(db, model) -> int:  # noqa: ANN001
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def audit_rows(db, entity: str, action: str | None = None) -> list[tuple]:  # noqa: ANN001
    with db.read() as s:
        q = select(AuditEntry.entity_id, AuditEntry.action, AuditEntry.field, AuditEntry.old, AuditEntry.new).where(
            AuditEntry.entity == entity).order_by(AuditEntry.id)
        if action:
            q = q.where(AuditEntry.action == action)
        return [tuple(r) for r in s.execute(q)]


@pytest.fixture
def custs(team):  # noqa: ANN001, ANN201
    """C000001 belongs to rep1 (sales), C000002 to rep3 (service)."""
    a = customers.create_customer(team["rep1"], {"name": "华东机电"})
    b = customers.create_customer(team["rep3"], {"name": "南方五金"})
    return a, b


# ---------------------------------------------------------------- contracts

CONTRACT_ROWS = [
    ["HT-001", "C000001", "年度服务合同", datetime(2026, 1, 5), date(2026, 2, 1), "2027-01-31", 120000.1, "生效", "含维保"],
    ["HT-002", "C000002", "配件采购", "2026/3/1", None, None, "5,000", "draft", None],
]


def test_contracts_xlsx_create_reimport_update_upsert(team, custs, tmp_path):
    admin = team["admin"]
    a, b = custs
    r = run_import(admin, "contracts", xlsx(tmp_path / "k.xlsx", CONTRACT_ZH, CONTRACT_ROWS))
    assert (r.created, r.updated, r.skipped, r.failed) == (2, 0, 0, 0), r.error_lines()
    k1, = contracts.list_contracts(admin, a.id)
    assert (k1.number, k1.title, k1.signed_on, k1.start_on, k1.end_on, k1.amount, k1.status, k1.notes) == (
        "HT-001", "年度服务合同", date(2026, 1, 5), date(2026, 2, 1), date(2027, 1, 31), Decimal("120000.10"),
        "active", "含维保")
    k2, = contracts.list_contracts(admin, b.id)
    assert (k2.amount, k2.status, k2.signed_on, k2.end_on) == (Decimal("5000.00"), "draft", date(2026, 3, 1), None)
    assert {e[0] for e in audit_rows(admin.db, "contract", "create")} == {k1.id, k2.id}

    again = run_import(admin, "contracts", xlsx(tmp_path / "k.xlsx", CONTRACT_ZH, CONTRACT_ROWS))
    assert (again.created, again.updated, again.skipped, again.warnings) == (0, 0, 2, [])
    for mode in ("update", "upsert"):  # identical in every mode
        same = run_import(admin, "contracts", tmp_path / "k.xlsx", mode=mode)
        assert (same.created, same.updated, same.skipped) == (0, 0, 2)

    # update mode, English headers, csv: only the non-empty cells change, each change audited old -> new
    p = csv(tmp_path / "u.csv", [",".join(CONTRACT_EN), "HT-001,,,,,2027-06-30,130000,终止,", "HT-002,,,,,,,,"])
    r = run_import(admin, "contracts", p, mode="update")
    assert (r.created, r.updated, r.skipped, r.failed) == (0, 1, 1, 0), r.error_lines()
    k1 = contracts.get_contract(admin, k1.id)
    assert (k1.end_on, k1.amount, k1.status, k1.title) == (date(2027, 6, 30), Decimal("130000.00"), "terminated",
                                                           "年度服务合同")
    changes = {e[2]: (e[3], e[4]) for e in audit_rows(admin.db, "contract", "update")}
    assert changes == {"end_on": ("2027-01-31", "2027-06-30"), "amount": ("120000.10", "130000.00"),
                       "status": ("active", "terminated")}

    # create mode never changes an existing contract
    r = run_import(admin, "contracts", csv(tmp_path / "c.csv", ["合同编号,合同金额", "HT-001,1"]))
    assert (r.created, r.skipped) == (0, 1) and "already exists" in r.warning_lines()[0]
    # update mode needs the contract; upsert creates it
    p = csv(tmp_path / "n.csv", ["合同编号,客户编号,金额,结束日期", "HT-003,C000001,10,2026-12-31", "HT-002,,6000,"])
    r = run_import(admin, "contracts", p, mode="update")
    assert r.rejected and r.errors == [(2, {"number": "no contract HT-003"})]
    r = run_import(admin, "contracts", p, mode="upsert")
    assert (r.created, r.updated, r.skipped, r.failed) == (1, 1, 0, 0), r.error_lines()
    assert contracts.get_contract(admin, k2.id).amount == Decimal("6000.00")
    assert count(admin.db, Contract) == 3


def test_contracts_bad_rows_reject_the_file_gb18030(team, custs, tmp_path):
    admin = team["admin"]
    contracts.create_contract(admin, custs[0].id, {"number": "HT-OLD", "start_on": date(2026, 1, 1)})
    p = csv(tmp_path / "bad.csv", [
        ",".join(CONTRACT_ZH),
        "HT-1,C000001,正常,2026-01-01,,,100,生效,",
        "HT-2,C000001,,不是日期,,,-5,作废,",
        "HT-3,,无客户,,,,,,",
        "HT-4,C999999,,,,,,,",
        "HT-5,C000001,,,2026-05-01,2026-04-01,,,",
        "HT-OLD,,,,,2025-12-31,,,",
    ], encoding="gb18030")
    r = run_import(admin, "contracts", p, mode="upsert", errors_out=tmp_path / "err.xlsx")
    assert r.rejected and r.failed == 5 and (r.created, r.updated, r.skipped, r.not_saved) == (0, 0, 0, 1)
    errs = dict(r.errors)
    assert set(errs[3]) == {"signed_on", "amount", "status"}
    assert errs[4] == {"customer_code": "is required for a new contract"}
    assert "C999999" in errs[5]["customer_code"]
    assert errs[6] == {"end_on": "is before the start date"} == errs[7]  # also against the stored start date
    assert count(admin.db, Contract) == 1  # nothing saved
    book = list(openpyxl.load_workbook(tmp_path / "err.xlsx").active.values)
    assert book[0][0] == "合同编号" and len(book) == 6


def test_contracts_scope_of_a_staff_user(team, custs, tmp_path):
    rep1, rep3 = team["rep1"], team["rep3"]
    p = xlsx(tmp_path / "k.xlsx", CONTRACT_EN, [["HT-9", "C000002", None, None, None, None, 1, None, None]])
    r = run_import(rep1, "contracts", p)
    assert r.rejected and r.errors == [(2, {"customer_code": "no customer C000002 that you can see"})]
    assert count(rep1.db, Contract) == 0
    assert run_import(rep3, "contracts", p).created == 1
    p = xlsx(tmp_path / "u.xlsx", CONTRACT_EN, [["HT-9", None, None, None, None, None, 2, None, None]])
    r = run_import(rep1, "contracts", p, mode="upsert")  # someone else's contract: not changed, not created
    assert r.rejected and "cannot see" in r.errors[0][1]["number"]
    r = run_import(rep1, "contracts", p)
    assert (r.created, r.skipped) == (0, 1)
    p = xlsx(tmp_path / "m.xlsx", CONTRACT_EN, [["HT-9", "C000001", None, None, None, None, 2, None, None]])
    r = run_import(team["admin"], "contracts", p, mode="update")  # a contract does not move to another customer
    assert r.rejected and "customer_code" in r.errors[0][1]


def test_contracts_same_number_twice_in_a_file(admin, tmp_path):
    customers.create_customer(admin, {"name": "华东机电"})
    row = ["HT-1", "C000001", "合同", None, None, None, 100, None, None]
    r = run_import(admin, "contracts", xlsx(tmp_path / "d.xlsx", CONTRACT_EN, [row, row]))
    assert (r.created, r.skipped) == (1, 1) and "same as row 2" in r.warning_lines()[0]
    other = [*row[:6], 200, *row[7:]]
    r = run_import(admin, "contracts", xlsx(tmp_path / "e.xlsx", CONTRACT_EN, [row, other]), mode="upsert")
    assert r.rejected and r.errors == [(3, {"number": "appears twice in the file with different values (row 2)"})]
    assert count(admin.db, Contract) == 1


# ---------------------------------------------------------------- opportunities

def test_opportunities_csv_bom_create_history_owner(team, custs, tmp_path):
    rep1, sup = team["rep1"], team["sup_sales"]
    p = csv(tmp_path / "o.csv", [
        ",".join(OPP_ZH),
        "C000001,二期扩容,50000,2026-09-30,,,,首次接触",
        "C000001,备件年包,\"¥12,000.50\",2026/10/1,方案报价,,rep2,",
        "C000001,旧设备回收,8000,,输单,价格偏高,,",
    ])
    r = run_import(sup, "opportunities", p)
    assert (r.created, r.updated, r.skipped, r.failed) == (3, 0, 0, 0), r.error_lines()
    rows = {o.name: o for o in opportunities.list_opportunities(rep1)}
    first, second, lost = rows["二期扩容"], rows["备件年包"], rows["旧设备回收"]
    assert (first.stage, first.amount, first.expected_close, first.notes) == (
        "lead", Decimal("50000.00"), date(2026, 9, 30), "首次接触")
    assert first.owner_id == sup.actor.id  # no owner given: the importing user
    assert (second.stage, second.amount, second.owner_id) == ("proposal", Decimal("12000.50"), team["rep2"].actor.id)
    assert (lost.stage, lost.lost_reason) == ("lost", "价格偏高")
    for o in rows.values():  # each entered the stage history at its stage
        h = opportunities.history(rep1, o.id)
        assert [(e.kind, e.stage, e.previous) for e in h] == [("stage", o.stage, "")]
    assert len(audit_rows(sup.db, "opportunity", "create")) >= 3
    again = run_import(sup, "opportunities", p)
    assert (again.created, again.skipped, again.warnings) == (0, 3, [])


def test_opportunities_update_moves_stage_and_upsert(team, custs, tmp_path):
    admin = team["admin"]
    a, _b = custs
    o = opportunities.create_opportunity(admin, a.id, {"name": "二期扩容", "amount": "100"})
    p = xlsx(tmp_path / "u.xlsx", ["customer_code", "name", "amount", "expected_close", "stage"], [
        ["C000001", "二期扩容", 150, datetime(2026, 11, 30), "谈判"],
        ["C000001", "新项目", 10, None, None],
    ])
    r = run_import(admin, "opportunities", p, mode="update")
    assert r.rejected and r.errors[0][0] == 3 and "no opportunity" in r.errors[0][1]["name"]
    assert opportunities.get_opportunity(admin, o.id).stage == "lead"  # nothing saved
    r = run_import(admin, "opportunities", p, mode="upsert")
    assert (r.created, r.updated, r.skipped, r.failed) == (1, 1, 0, 0), r.error_lines()
    got = opportunities.get_opportunity(admin, o.id)
    assert (got.stage, got.amount, got.expected_close) == ("negotiation", Decimal("150.00"), date(2026, 11, 30))
    stages = [(e.stage, e.previous) for e in opportunities.history(admin, o.id) if e.kind == "stage"]
    assert sorted(stages) == [("lead", ""), ("negotiation", "lead")]
    audited = [e[1:] for e in audit_rows(admin.db, "opportunity") if e[0] == o.id and e[1] != "create"]
    assert ("update", "amount", "100.00", "150.00") in audited and ("move", "stage", "lead", "negotiation") in audited
    assert ("update", "expected_close", None, "2026-11-30") in audited
    same = run_import(admin, "opportunities", p, mode="update")
    assert (same.updated, same.skipped) == (0, 2)

    # lost needs a reason; with one, the move keeps it
    lost = xlsx(tmp_path / "l.xlsx", ["客户编号", "机会名称", "阶段", "输单原因"], [["C000001", "二期扩容", "输单", None]])
    r = run_import(admin, "opportunities", lost, mode="update")
    assert r.rejected and r.errors == [(2, {"lost_reason": "is required when an opportunity is lost"})]
    assert opportunities.get_opportunity(admin, o.id).stage == "negotiation"
    lost = xlsx(tmp_path / "l.xlsx", ["客户编号", "机会名称", "阶段", "输单原因"], [["C000001", "二期扩容", "lost", "预算取消"]])
    assert run_import(admin, "opportunities", lost, mode="update").updated == 1
    got = opportunities.get_opportunity(admin, o.id)
    assert (got.stage, got.lost_reason) == ("lost", "预算取消")
    assert [e.text for e in opportunities.history(admin, o.id) if e.stage == "lost"] == ["预算取消"]


def test_opportunities_refused_rows(team, custs, tmp_path):
    rep1 = team["rep1"]
    p = csv(tmp_path / "b.csv", [
        ",".join(OPP_ZH),
        "C000002,别人的客户,,,,,,",
        "C000001,无原因,,,输单,,,",
        "C000001,未知阶段,,,成交,,,",
        "C000001,他人负责,,,,,rep2,",
        "C000001,没有此人,,,,,nobody,",
        "C000001,金额错,abc,明天,,,,",
        ",无客户,,,,,,",
        "C000001,重复,1,,,,,",
        "C000001,重复,2,,,,,",
    ], encoding="gb18030")
    r = run_import(rep1, "opportunities", p)
    assert r.rejected and r.failed == 8 and r.skipped == 0 and r.not_saved == 1
    errs = dict(r.errors)
    assert errs[2] == {"customer_code": "no customer C000002 that you can see"}
    assert errs[3] == {"lost_reason": "is required when an opportunity is lost"}
    assert set(errs[4]) == {"stage"}
    assert errs[5] == {"owner": "is outside your team"} and "nobody" in errs[6]["owner"]
    assert set(errs[7]) == {"amount", "expected_close"} and errs[8] == {"customer_code": "is required"}
    assert errs[10] == {"name": "appears twice in the file with different values (row 9)"}
    assert count(rep1.db, Opportunity) == 0


# ---------------------------------------------------------------- everywhere the other kinds are

def test_registered_templates_and_dialog(admin, tmp_path, qtbot):
    assert {"contracts", "opportunities"} <= set(spec_names())
    write_template("customers", tmp_path / "customers.xlsx")
    assert run_import(admin, "customers", tmp_path / "customers.xlsx").failed == 0
    for name in ("contracts", "opportunities"):
        shipped = resources_dir() / "templates" / f"{name}.xlsx"
        header = [c.value for c in openpyxl.load_workbook(shipped).worksheets[0][1]]
        assert header == [header_text(c) for c in get_spec(name).columns]
        write_template(name, tmp_path / f"{name}.xlsx")
        r = run_import(admin, name, tmp_path / f"{name}.xlsx")
        assert r.failed == 0 and r.created >= 1, r.error_lines()
        assert run_import(admin, name, shipped, dry_run=True).created == 0  # the same rows
    from desktop_crm.ui.customers.import_dialog import ImportDialog

    dlg = ImportDialog(admin)
    qtbot.addWidget(dlg)
    assert {dlg.kind.itemData(i) for i in range(dlg.kind.count())} >= {"contracts", "opportunities"}
    dlg.kind.setCurrentIndex(dlg.kind.findData("opportunities"))

    class Result:
        errors = [(2, {"lost_reason": "is required when an opportunity is lost"})]

    assert dlg.error_lines(Result()) == ["row 2: Lost reason: is required when an opportunity is lost"]


def test_cli_import_contracts_and_opportunities(admin, db_url, tmp_path, capsys):
    customers.create_customer(admin, {"name": "华东机电"}, owner=None, status="active")
    k = csv(tmp_path / "k.csv", ["合同编号,客户编号,合同金额,到期日期", "HT-1,C000001,1000,2026-12-31",
                                 "HT-2,C000001,2000,2027-12-31"])
    assert main(["--db", db_url, "import", "contracts", str(k)]) == 0
    assert "created: 2" in capsys.readouterr().out
    assert main(["--db", db_url, "import", "contracts", str(k), "--mode", "upsert"]) == 0
    assert "unchanged or existing: 2" in capsys.readouterr().out
    o = csv(tmp_path / "o.csv", ["客户编号,机会名称,阶段", "C000001,二期,输单"])
    assert main(["--db", db_url, "import", "opportunities", str(o)]) == 1
    err = capsys.readouterr().err
    assert "lost_reason" in err and "Nothing was saved" in err
    o = csv(tmp_path / "o.csv", ["客户编号,机会名称,阶段,输单原因", "C000001,二期,输单,价格"])
    assert main(["--db", db_url, "import", "opportunities", str(o)]) == 0
    assert "created: 1" in capsys.readouterr().out
    assert opportunities.list_opportunities(admin)[0].stage == "lost"
