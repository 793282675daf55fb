"""`import complaints`: Chinese headers, numbers assigned or kept, times in order, status matching times,
modes, dry run, history kept on the timeline."""

import csv
from datetime import datetime, timedelta

import pytest

from desktop_crm.core.importing import run_import
from desktop_crm.core.services import complaints, complaints_query, customers
from desktop_crm.core.services.complaints_query import ComplaintFilter

ZH = ["投诉编号", "客户编号", "投诉时间", "渠道", "类别", "严重程度", "投诉内容", "客户诉求", "单号", "处理人", "状态",
      "受理时间", "解决时间", "结案时间", "原因", "赔偿金额", "满意度"]


def _write(path, rows, header=ZH):  # noqa: ANN001, ANN202
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def code(team):  # noqa: ANN001, ANN201
    return customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司"}).code


def test_import_history(tmp_path, team, code):
    rows = [
        ["", code, "2026-03-01 09:00", "热线", "延误", "一般", "货物延误", "赔偿", "YD1", "rep1", "已结案",
         "2026-03-01 10:00", "2026-03-03 12:00", "2026-03-05 09:00", "承运人", "50", "4"],
        ["TS20260302-0007", code, "2026/3/2 8:00", "email", "quality", "major", "破损", "", "", "", "registered",
         "", "", "", "", "", ""],
        ["", code, "2026-03-02 10:00", "电话", "服务态度", "紧急", "态度差", "", "", "rep1", "不成立",
         "2026-03-02 11:00", "", "", "", "", ""],
    ]
    path = _write(tmp_path / "h.csv", rows)
    dry = run_import(team["sup_sales"], "complaints", path, dry_run=True)
    assert (dry.created, dry.failed) == (3, 0)
    assert complaints_query.count(team["manager"], ComplaintFilter()) == 0
    result = run_import(team["sup_sales"], "complaints", path)
    assert (result.created, result.failed) == (3, 0), result.error_lines()
    rows = complaints_query.page(team["manager"], ComplaintFilter(), columns=["number", "status"], sort="number")
    assert [r[2:] for r in rows] == [("TS20260301-0001", "closed"), ("TS20260302-0001", "rejected"),
                                     ("TS20260302-0007", "registered")]
    d = complaints.get(team["manager"], complaints.id_by_number(team["manager"], "TS20260301-0001"))
    assert d["first_response_at"] == datetime(2026, 3, 1, 10) and d["closed_at"] == datetime(2026, 3, 5, 9)
    assert d["response_due"] == datetime(2026, 3, 2, 9) and d["root_cause"] == "carrier" and d["satisfaction"] == 4
    assert d.handler == "rep1" and d["source"] == "import"
    assert [e.to_state for e in d.timeline] == ["registered", "accepted", "processing", "resolved", "closed"]
    assert d.timeline[3].at == datetime(2026, 3, 3, 12)
    # numbered rows are found again by their number: importing them twice adds nothing
    again = run_import(team["sup_sales"], "complaints", _write(tmp_path / "n.csv", [
        ["TS20260302-0007", code, "2026/3/2 8:00", "email", "quality", "major", "破损", "", "", "", "registered",
         "", "", "", "", "", ""]]))
    assert (again.created, again.skipped) == (0, 1)


@pytest.mark.parametrize(("row_patch", "field"), [
    ({10: "已结案", 11: "2026-03-01 10:00", 12: "2026-03-02 10:00"}, "closed_at"),  # closed without closed time
    ({10: "registered", 11: "2026-03-01 10:00"}, "accepted_at"),  # registered but accepted
    ({10: "accepted", 11: "2026-02-28 10:00"}, "accepted_at"),  # accepted before received
    ({10: "resolved", 11: "2026-03-01 10:00", 12: "2026-03-01 09:30"}, "resolved_at"),  # out of order
    ({2: (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d")}, "received_at"),  # future
    ({16: "4"}, "satisfaction"),  # only for closed
    ({10: "finished"}, "status"),
    ({9: "nobody_like_this"}, "handler"),
    ({5: "huge"}, "severity"),
    ({6: ""}, "description"),
])
def test_rows_are_checked(tmp_path, team, code, row_patch, field):
    row = ["", code, "2026-03-01 09:00", "热线", "延误", "一般", "货物延误", "", "", "", "registered",
           "", "", "", "", "", ""]
    for i, v in row_patch.items():
        row[i] = v
    result = run_import(team["sup_sales"], "complaints", _write(tmp_path / "bad.csv", [row]))
    assert result.failed == 1 and result.rejected
    assert field in result.errors[0][1], result.errors


def test_update_mode_and_permissions(tmp_path, team, code):
    row = ["TS20260301-0009", code, "2026-03-01 09:00", "hotline", "delay", "normal", "x", "", "", "", "",
           "", "", "", "", "", ""]
    run_import(team["sup_sales"], "complaints", _write(tmp_path / "a.csv", [row]))
    row[4], row[14] = "damage", "carrier"
    result = run_import(team["sup_sales"], "complaints", _write(tmp_path / "b.csv", [row]), mode="update")
    assert result.updated == 1
    d = complaints.get(team["manager"], complaints.id_by_number(team["manager"], "TS20260301-0009"))
    assert (d["category"], d["root_cause"]) == ("damage", "carrier")
    row[10], row[11] = "accepted", "2026-03-01 10:00"
    result = run_import(team["sup_sales"], "complaints", _write(tmp_path / "c.csv", [row]), mode="update")
    assert result.failed == 1 and "status" in result.errors[0][1]
    result = run_import(team["rep1"], "complaints", _write(tmp_path / "d.csv", [row]))
    assert result.failed == 1
