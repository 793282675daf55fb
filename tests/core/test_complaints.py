"""Complaint services on a real database: numbers, SLA, the workflow, timeline, audit, scope, transfers."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop_crm.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from desktop_crm.core.models import AuditEntry
from desktop_crm.core.services import complaint_workflow as wf
from desktop_crm.core.services import complaints, complaints_query, customers, settings, transfers
from desktop_crm.core.services.complaints_query import ComplaintFilter


@pytest.fixture
def cust(team):  # noqa: ANN001, ANN201
    """Customers owned by rep1 and rep3."""
    a = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司", "mobile": "13812345678"})
    b = customers.create_customer(team["rep3"], {"name": "Acme Trading", "mobile": "13987654321"})
    return {"rep1": a.id, "rep3": b.id}


def _reg(ctx, customer_id, **kw):  # noqa: ANN001, ANN202
    args = dict(channel="hotline", category="delay", severity="normal", description="货物延误三天")
    args.update(kw)
    return complaints.register(ctx, customer_id=customer_id, **args)


def test_number_and_sla_due_times(team, cust):
    at = datetime(2026, 3, 5, 9, 30)
    a = _reg(team["rep1"], cust["rep1"], received_at=at)
    b = _reg(team["rep1"], cust["rep1"], received_at=at + timedelta(hours=1), severity="critical")
    c = _reg(team["rep1"], cust["rep1"], received_at=datetime(2026, 3, 6, 8, 0), severity="major")
    assert (a.number, b.number, c.number) == ("TS20260305-0001", "TS20260305-0002", "TS20260306-0001")
    assert a["response_due"] == at + timedelta(hours=24) and a["resolution_due"] == at + timedelta(hours=168)
    assert b["response_due"] == at + timedelta(hours=3) and b["resolution_due"] == at + timedelta(hours=25)
    assert c["response_due"] - c["received_at"] == timedelta(hours=8)
    assert a.status == "registered" and a["received_by_id"] == team["rep1"].actor.id
    assert a["handler_id"] == team["rep1"].actor.id  # the receiving rep handles it by default
    assert a.timeline[0].kind == "register"


def test_sla_settings_apply_to_new_complaints(team, cust):
    old = _reg(team["rep1"], cust["rep1"])
    settings.set_many(team["admin"], {"sla_response_hours": {"normal": 4}})
    new = _reg(team["rep1"], cust["rep1"])
    assert new["response_due"] - new["received_at"] == timedelta(hours=4)
    assert complaints.get(team["admin"], old.id)["response_due"] - old["received_at"] == timedelta(hours=24)


def test_register_validation_names_fields(team, cust):
    with pytest.raises(ValidationError) as exc:
        complaints.register(team["rep1"], customer_id=cust["rep1"], channel="fax", category="", severity="huge",
                            description="  ")
    assert set(exc.value.errors) == {"channel", "category", "severity", "description"}
    with pytest.raises(ValidationError) as exc:
        _reg(team["rep1"], cust["rep1"], received_at=datetime.now() + timedelta(days=2))
    assert "received_at" in exc.value.errors
    # Chinese labels are accepted too
    c = _reg(team["rep1"], cust["rep1"], channel="热线", category="破损", severity="重大")
    assert (c["channel"], c["category"], c["severity"]) == ("hotline", "damage", "major")
    with pytest.raises(PermissionDenied):
        _reg(team["viewer"], cust["rep1"])


def test_full_workflow_timeline_and_audit(db, team, cust):
    rep, sup = team["rep1"], team["sup_sales"]
    c = _reg(rep, cust["rep1"], severity="major")
    wf.move(rep, c.id, "accepted", note="called back")
    with pytest.raises(ValidationError) as exc:
        wf.move(rep, c.id, "processing")
    assert "solution_plan" in exc.value.errors
    wf.move(rep, c.id, "processing", solution_plan="re-deliver tomorrow")
    with pytest.raises(WorkflowError, match="cannot move to"):
        wf.move(rep, c.id, "closed", satisfaction=5)
    wf.move(rep, c.id, "resolved", result="delivered", compensation="50")
    with pytest.raises(PermissionDenied, match="supervisor"):
        wf.move(rep, c.id, "closed", satisfaction=4)  # major: a supervisor closes
    wf.move(sup, c.id, "closed", satisfaction=4, note="customer happy")
    d = complaints.get(rep, c.id)
    assert d.status == "closed" and d["satisfaction"] == 4 and d["compensation"] == Decimal("50.00")
    assert d["first_response_at"] == d["accepted_at"] and d["resolved_at"] and d["closed_at"]
    assert d["customer_informed_at"] == d["resolved_at"]
    assert [(e.from_state, e.to_state) for e in d.timeline] == [
        (None, "registered"), ("registered", "accepted"), ("accepted", "processing"),
        ("processing", "resolved"), ("resolved", "closed")]
    assert d.timeline[1].note == "called back" and d.timeline[-1].user == "sup_sales"
    # reopen needs a supervisor and a reason; it clears the resolved/closed times
    with pytest.raises(PermissionDenied):
        wf.move(rep, c.id, "processing", reason="again")
    with pytest.raises(ValidationError):
        wf.move(sup, c.id, "processing")
    wf.move(sup, c.id, "processing", reason="customer called again")
    d = complaints.get(rep, c.id)
    assert d.status == "processing" and d["resolved_at"] is None and d["closed_at"] is None
    assert d.timeline[-1].note == "customer called again"
    with db.read() as s:
        fields = {(e.action, e.field) for e in s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "complaint", AuditEntry.entity_id == c.id))}
    assert {("accept", "status"), ("process", "solution_plan"), ("resolve", "compensation"),
            ("close", "satisfaction"), ("reopen", "closed_at"), ("register", "description")} <= fields


def test_reject_and_restore(team, cust):
    c = _reg(team["rep1"], cust["rep1"])
    with pytest.raises(PermissionDenied):
        wf.move(team["rep1"], c.id, "rejected", reason="not ours")
    wf.move(team["sup_sales"], c.id, "rejected", reason="not ours")
    assert complaints.get(team["rep1"], c.id)["first_response_at"] is not None
    with pytest.raises(PermissionDenied, match="manager"):
        wf.move(team["sup_sales"], c.id, "registered", reason="mistake")
    wf.move(team["manager"], c.id, "registered", reason="mistake")
    assert complaints.get(team["rep1"], c.id).status == "registered"


def test_stale_version_is_refused(team, cust):
    from desktop_crm.core.errors import ConflictError

    c = _reg(team["rep1"], cust["rep1"])
    wf.move(team["rep1"], c.id, "accepted")
    with pytest.raises(ConflictError):
        wf.move(team["rep1"], c.id, "processing", solution_plan="x", version=c.version)


def test_scope(team, cust):
    mine = _reg(team["rep1"], cust["rep1"])  # rep1 received and handles
    theirs = _reg(team["rep3"], cust["rep3"])  # service dept
    # rep1 owns the customer; rep3 handles it (staff register only for customers they may see, so the
    # manager takes this one)
    about_my_customer = _reg(team["manager"], cust["rep1"], handler_id=team["rep3"].actor.id)
    numbers = lambda ctx: {r[2] for r in complaints_query.page(ctx, ComplaintFilter(), columns=["number"])}  # noqa: E731
    assert numbers(team["rep1"]) == {mine.number, about_my_customer.number}
    assert numbers(team["rep2"]) == set()
    assert numbers(team["rep3"]) == {theirs.number, about_my_customer.number}
    assert numbers(team["sup_sales"]) == {mine.number, about_my_customer.number}
    assert numbers(team["sup_service"]) == {theirs.number, about_my_customer.number}
    assert len(numbers(team["manager"])) == len(numbers(team["viewer"])) == 3
    with pytest.raises(NotFound):
        complaints.get(team["rep2"], mine.id)
    with pytest.raises(NotFound):
        wf.move(team["rep2"], mine.id, "accepted")
    with pytest.raises(NotFound):
        complaints.id_by_number(team["rep2"], mine.number)
    with pytest.raises(PermissionDenied):
        list(complaints_query.export_rows(team["viewer"], ComplaintFilter()))


def test_assign(team, cust):
    c = _reg(team["rep1"], cust["rep1"], handler_id=None)
    assert c["handler_id"] is None
    with pytest.raises(PermissionDenied):
        complaints.assign(team["rep1"], c.id, team["rep2"].actor.id)
    with pytest.raises(PermissionDenied, match="team"):
        complaints.assign(team["sup_sales"], c.id, team["rep3"].actor.id)
    complaints.assign(team["sup_sales"], c.id, team["rep2"].actor.id, note="you know them")
    d = complaints.get(team["rep2"], c.id)  # the new handler now sees it
    assert d.handler == "rep2" and d.timeline[-1].kind == "assign"
    with pytest.raises(PermissionDenied, match="handler"):
        wf.move(team["rep1"], c.id, "accepted")
    wf.move(team["rep2"], c.id, "accepted")


def test_unassigned_complaint_is_taken_by_whoever_accepts(team, cust):
    c = _reg(team["sup_sales"], cust["rep1"], handler_id=None)
    complaints.assign(team["sup_sales"], c.id, None)
    wf.move(team["rep1"], c.id, "accepted")  # rep1 sees it (own customer) and takes it
    assert complaints.get(team["rep1"], c.id)["handler_id"] == team["rep1"].actor.id


def test_overdue_and_urgency_order(team, cust):
    now = datetime.now().replace(microsecond=0)
    late_resp = _reg(team["rep1"], cust["rep1"], received_at=now - timedelta(hours=30))  # response due 24 h
    fresh = _reg(team["rep1"], cust["rep1"], received_at=now - timedelta(hours=1))
    critical = _reg(team["rep1"], cust["rep1"], received_at=now - timedelta(hours=1), severity="critical")
    done = _reg(team["rep1"], cust["rep1"], received_at=now - timedelta(days=20))
    wf.move(team["rep1"], done.id, "accepted")
    wf.move(team["rep1"], done.id, "processing", solution_plan="p")
    wf.move(team["rep1"], done.id, "resolved", result="r", compensation=0)
    rows = complaints_query.page(team["rep1"], ComplaintFilter(), columns=["number", "overdue"])
    assert [r[2] for r in rows] == [late_resp.number, critical.number, fresh.number, done.number]
    assert [bool(r[3]) for r in rows] == [True, False, False, False]  # resolved is not overdue any more
    assert complaints_query.count(team["rep1"], ComplaintFilter(overdue=True)) == 1
    assert complaints.get(team["rep1"], late_resp.id).is_overdue()
    # once answered, the response clock stops; the resolution clock (168 h) is not yet due
    wf.move(team["rep1"], late_resp.id, "accepted")
    assert complaints_query.count(team["rep1"], ComplaintFilter(overdue=True)) == 0


def test_search_and_filters(team, cust):
    a = _reg(team["rep1"], cust["rep1"], order_no="YD20260301", caller_phone="13700001111")
    b = _reg(team["rep1"], cust["rep1"], category="attitude", channel="wechat", description="客服态度差")
    _reg(team["rep3"], cust["rep3"], severity="critical")
    def numbers(**kw):  # noqa: ANN003, ANN202
        return {r[2] for r in complaints_query.page(team["manager"], ComplaintFilter(**kw), columns=["number"])}
    assert numbers(search="YD2026") == {a.number}
    assert numbers(search=a.number) == {a.number}
    assert numbers(search="态度") == {b.number}
    assert numbers(search="0000111") == {a.number}  # caller phone fragment
    assert len(numbers(search="迅捷")) == 2  # customer name through the customer index
    assert len(numbers(search="13812345678")) == 2  # customer mobile
    assert numbers(category=["attitude"]) == numbers(channel=["wechat"]) == {b.number}
    assert len(numbers(severity=["critical"])) == 1
    assert len(numbers(handler=[team["rep3"].actor.id])) == 1
    assert len(numbers(status=["registered"])) == 3
    today = datetime.now().date()
    assert len(numbers(received_from=today, received_to=today)) == 3
    assert numbers(received_to=today - timedelta(days=1)) == set()
    assert len(numbers(customer_id=cust["rep3"])) == 1


def test_update_audits_and_recomputes_due(db, team, cust):
    c = _reg(team["rep1"], cust["rep1"])
    d = complaints.update(team["rep1"], c.id, c.version, severity="critical", root_cause="承运人",
                          claim_amount="300", claim_approved="200.5", claim_paid_on="2026-03-09")
    assert d["resolution_due"] - d["received_at"] == timedelta(hours=24)
    assert d["root_cause"] == "carrier" and d["claim_approved"] == Decimal("200.50")
    with pytest.raises(ValidationError):
        complaints.update(team["rep1"], c.id, status="closed")
    with pytest.raises(NotFound):
        complaints.update(team["sup_service"], c.id, demand="x")  # out of scope
    with pytest.raises(PermissionDenied):
        complaints.update(team["viewer"], c.id, demand="x")
    with db.read() as s:
        changed = {e.field for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "update",
                                                                       AuditEntry.entity == "complaint"))}
    assert {"severity", "root_cause", "claim_amount", "resolution_due"} <= changed


def test_transfer_moves_open_complaints(team, cust):
    open_one = _reg(team["rep1"], cust["rep1"])
    closed = _reg(team["rep1"], cust["rep1"])
    wf.move(team["sup_sales"], closed.id, "rejected", reason="dup")
    transfers.transfer(team["sup_sales"], [cust["rep1"]], team["rep2"].actor.id, "rep1 leaves")
    assert complaints.get(team["manager"], open_one.id)["handler_id"] == team["rep2"].actor.id
    assert complaints.get(team["manager"], closed.id)["handler_id"] == team["rep1"].actor.id
    assert complaints.get(team["rep2"], open_one.id).timeline[-1].kind == "assign"


def test_open_from_feedback(team, cust):
    intake = complaints.open_from_feedback(team["rep1"], cust["rep1"], " 回访时客户反映送货慢 ", source="visit")
    assert intake.customer_name == "迅捷物流速运有限公司" and intake.description == "回访时客户反映送货慢"
    assert intake.phone == "+8613812345678" or intake.phone.endswith("13812345678")
    assert intake.channel == "phone" and intake.source == "visit"
    with pytest.raises(NotFound):
        complaints.open_from_feedback(team["rep1"], cust["rep3"], "x")
    c = complaints.register(team["rep1"], customer_id=intake.customer_id, channel=intake.channel,
                            category="delay", severity="normal", description=intake.description,
                            source=intake.source)
    assert c["source"] == "visit"


def test_phrasebook(team):
    from desktop_crm.core.services import phrasebook

    zh = phrasebook.phrases(team["rep1"], "zh_CN")
    en = phrasebook.phrases(team["rep1"], "en")
    assert len(zh) == len(en) == 10
    assert [p.situation for p in zh][:1] == ["greeting"]
    assert {p.situation for p in zh} == set(phrasebook.SITUATIONS)
    silent = phrasebook.phrases(team["rep1"], "zh_CN", situation="silent_line")[0]
    assert "再不说话我就挂了" in silent.avoid
    with pytest.raises(PermissionDenied):
        phrasebook.save(team["sup_sales"], situation="greeting", lang="en", say="Hi")
    p = phrasebook.save(team["admin"], situation="greeting", lang="en", say="Good morning!", avoid="Yo")
    assert p.position == 4
    phrasebook.save(team["admin"], phrase_id=p.id, situation="greeting", lang="en", say="Good day!", active=False)
    assert len(phrasebook.phrases(team["rep1"], "en")) == 10
    with pytest.raises(ValidationError):
        phrasebook.save(team["admin"], situation="weather", lang="en", say="")
    phrasebook.delete(team["admin"], p.id)
    assert phrasebook.reset_to_shipped(team["admin"]) == 20
    assert phrasebook.fill("{company} {agent}", company="迅捷", agent="小王") == "迅捷 小王"


def test_intake_lookup(team, cust):
    from desktop_crm.core.services import contacts

    contacts.save_contact(team["rep1"], cust["rep1"], {"name": "张三", "mobile": "13600001111"})
    look = lambda ctx, text: [r[2] for r in complaints_query.lookup_customers(ctx, text)]  # noqa: E731
    code1 = customers.get_customer(team["rep1"], cust["rep1"]).code
    assert look(team["rep1"], "138 1234 5678") == [code1]  # full number: exact, indexed
    assert look(team["rep1"], "+86 136-0000-1111") == [code1]  # a contact's mobile
    assert look(team["rep1"], "345678") == [code1]  # fragment: the shared search
    assert look(team["rep1"], "迅捷") == [code1]
    # rep3's customer: the intake identifies any caller (the archive itself stays scoped)
    assert look(team["rep1"], "13987654321") != []
    assert look(team["manager"], "13987654321") != []
    assert look(team["rep1"], "1") == []


def test_export_list_in_scope(tmp_path, team, cust):
    import csv

    _reg(team["rep1"], cust["rep1"], order_no="=HYPERLINK(1)")
    _reg(team["rep3"], cust["rep3"])
    with pytest.raises(PermissionDenied):
        complaints_query.export_list(team["viewer"], ComplaintFilter(), str(tmp_path / "x.csv"))  # no export right
    n = complaints_query.export_list(team["manager"], ComplaintFilter(), str(tmp_path / "all.xlsx"))
    assert n == 2 and (tmp_path / "all.xlsx").stat().st_size > 0
    n = complaints_query.export_list(team["sup_sales"], ComplaintFilter(), str(tmp_path / "team.csv"))
    assert n == 1
    with open(tmp_path / "team.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][0] == "Number" and rows[1][1] == "Registered"
