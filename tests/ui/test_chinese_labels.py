"""The Chinese screen speaks Chinese: the audit log names record types, actions, fields and values in
the reader's language, messages about bad input start with the field's name, the audit filter's date box
says it is a date, and imported complaint timelines read "从 … 导入" whatever language imported them."""

import csv
import re

import pytest
from sqlalchemy import text

from desktop_crm.core import i18n, schema
from desktop_crm.core.db import Database
from desktop_crm.core.errors import ValidationError
from desktop_crm.core.importing import run_import
from desktop_crm.core.services import audit_query, complaints, complaints_query, customers
from desktop_crm.core.services.audit_query import AuditFilter
from desktop_crm.core.services.complaints_query import ComplaintFilter

KEYS = re.compile(r"^(customer|update|create|status|owner_id|potential|active|enterprise|transfer)$")


@pytest.fixture
def zh():
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


def test_audit_page_in_chinese(qtbot, team, zh):
    from desktop_crm.ui.admin.audit_page import AuditPage

    c = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司", "kind": "enterprise"})
    customers.set_status(team["rep1"], c.id, "active", reason="首单")
    page = AuditPage(team["admin"])
    qtbot.addWidget(page)
    assert page.use_dates.text() == "起始日期"
    cells = [[page.table.item(r, k).text() for k in range(page.table.columnCount())]
             for r in range(page.table.rowCount())]
    status_rows = [r for r in cells if r[4] == c.code and r[6] == "状态"]
    assert status_rows and status_rows[0][3] == "客户" and status_rows[0][5] == "状态变更"
    assert (status_rows[0][7], status_rows[0][8]) == ("潜在客户", "现实客户")
    created = [r for r in cells if r[4] == c.code and r[5] == "新增"]
    owners = [r[8] for r in created if r[6] == "负责人"]
    assert owners == ["rep1"]  # the user's name, not an id
    assert not [cell for row in cells for cell in row[3:] if KEYS.match(cell)]
    kinds = [page.entity.itemText(i) for i in range(page.entity.count())]
    assert "客户" in kinds and "customer" not in kinds


def test_audit_export_and_customer_history_in_chinese(tmp_path, team, zh):
    from openpyxl import load_workbook

    from desktop_crm.core.services import customer_history

    c = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司"})
    customers.set_status(team["rep1"], c.id, "active")
    out = tmp_path / "a.xlsx"
    audit_query.export_xlsx(team["admin"], AuditFilter(entity="customer"), out)
    ws = load_workbook(out).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]
    assert ["客户", c.code, "状态变更", "状态", "潜在客户", "现实客户"] in [r[3:9] for r in rows]
    trail = customer_history.audit_trail(team["rep1"], c.id)
    assert any(e.action == "状态变更" and e.new == "现实客户" for e in trail)
    raw = customer_history.audit_trail(team["rep1"], c.id, labels=False)
    assert any(e.action == "status" and e.new == "active" for e in raw)  # the stored keys stay keys


def test_messages_name_the_field_in_the_readers_language(zh):
    from datetime import date

    from desktop_crm.core.reporting.builders import seasonal
    from desktop_crm.core.reporting.builders.params import ReportParams

    with pytest.raises(ValidationError) as caught:
        seasonal.years_for(ReportParams(date(2025, 1, 1), date(2025, 12, 31), years=99), 3)
    message = str(caught.value)
    assert message.startswith("年份：") and "years" not in message
    i18n.set_language("en")
    assert str(ValidationError({"years": "must be between 1 and 50"})) == "Years: must be between 1 and 50"


def test_imported_complaint_timeline_follows_the_readers_language(tmp_path, team, qtbot):
    code = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司"}).code
    path = tmp_path / "old.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["客户编号", "投诉时间", "渠道", "类别", "严重程度", "投诉内容", "处理人", "状态", "受理时间"])
        w.writerow([code, "2026-03-01 09:00", "热线", "延误", "一般", "货物延误", "rep1", "已受理", "2026-03-01 10:00"])
    run_import(team["sup_sales"], "complaints", path)  # imported by someone working in English
    number = complaints_query.page(team["sup_sales"], ComplaintFilter(), columns=["number"])[0][2]
    cid = complaints.id_by_number(team["sup_sales"], number)
    i18n.set_language("zh_CN")
    try:
        notes = [e.note for e in complaints.get(team["sup_sales"], cid).timeline]
        assert notes and all(n == "从 old.csv 导入" for n in notes)
        from desktop_crm.ui.complaints.page import ComplaintPage

        page = ComplaintPage(team["sup_sales"], None, cid)
        qtbot.addWidget(page)
        shown = [page.timeline.item(r, 3).text() for r in range(page.timeline.rowCount())]
        assert "从 old.csv 导入" in shown and not [s for s in shown if "Imported" in s]
    finally:
        i18n.set_language("en")


@pytest.mark.sqlite_only
def test_upgrade_keeps_only_the_file_name_of_old_import_notes(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'crm.sqlite3'}")
    schema.upgrade(db.engine, "0005")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO customers (id, code, name, name_norm, kind, status, status_since, grade_pinned, "
                          "created_at, version) VALUES (1, 'C1', '甲', '甲', 'enterprise', 'active', "
                          "'2024-01-01 00:00:00', 0, '2024-01-01 00:00:00', 1)"))
        conn.execute(text("INSERT INTO complaints (id, number, customer_id, channel, category, severity, description, "
                          "status, received_at, response_due, resolution_due, source, created_at, version) VALUES "
                          "(1, 'TS1', 1, 'phone', 'delay', 'normal', 'x', 'accepted', '2024-01-01 00:00:00', "
                          "'2024-01-02 00:00:00', '2024-01-05 00:00:00', 'import', '2024-01-01 00:00:00', 1)"))
        for i, (kind, note) in enumerate((("import", "Imported from a.xlsx"), ("import", "从 b.csv 导入"),
                                          ("note", "Imported from the phone call"), ("import", None)), start=1):
            conn.execute(text("INSERT INTO complaint_events (id, complaint_id, at, kind, to_state, note) VALUES "
                              "(:id, 1, '2024-01-01 00:00:00', :kind, 'accepted', :note)"),
                         {"id": i, "kind": kind, "note": note})
    schema.upgrade(db.engine)
    with db.engine.connect() as conn:
        notes = [r[0] for r in conn.execute(text("SELECT note FROM complaint_events ORDER BY id"))]
    assert notes == ["a.xlsx", "b.csv", "Imported from the phone call", None]
    db.dispose()


def test_users_and_settings_in_the_audit_log(team, zh):
    from desktop_crm.core.services import settings

    settings.set_many(team["admin"], {"company_name": "迅捷物流"})
    rows = audit_query.page(team["admin"], AuditFilter())
    user_rows = [r for r in rows if r.entity == "用户" and r.record == "rep1"]
    assert {r.field for r in user_rows} >= {"用户名", "角色"}
    assert "现实客户" not in {r.field for r in rows}  # an account is enabled, not "active customer"
    company = next(r for r in rows if r.entity == "设置")
    assert company.record == company.field != "company_name"
    assert company.new == "迅捷物流"  # not the JSON text "\"迅捷物流\""
