from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from desktop_crm.core.errors import (
    ConflictError,
    DuplicateWarning,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from desktop_crm.core.services import contacts, customer_history, customer_query, customers, merge, transfers
from desktop_crm.core.services.customer_query import CustomerFilter


def test_validation_names_fields_and_saves_nothing(team):
    rep = team["rep1"]
    with pytest.raises(ValidationError) as e:
        customers.create_customer(rep, {"name": "", "mobile": "12345", "email": "not-an-email",
                                        "birthday": "2999-01-01", "kind": "alien"})
    assert set(e.value.errors) == {"name", "mobile", "email", "birthday", "kind"}
    assert customer_query.count(rep, CustomerFilter()) == 0


def test_create_normalises_and_records_history(team):
    rep = team["rep1"]
    c = customers.create_customer(rep, {
        "name": "张三", "kind": "个人", "mobile": "+86 138-0013-8000", "registered_capital": "1,000,000.50",
        "credit_code": "91350100M000100Y43", "tags": "VIP，华东", "source": "介绍"})
    assert c["kind"] == "individual" and c["source"] == "referral"
    assert c["mobile"] == "+8613800138000"
    assert c["registered_capital"] == Decimal("1000000.50")
    assert c["tags"] == ",VIP,华东,"
    history = customer_history.status_history(rep, c.id)
    assert [h.status for h in history] == ["potential"]
    assert any(a.action == "create" and a.field == "mobile" for a in customer_history.audit_trail(rep, c.id, labels=False))


def test_bad_uscc_is_a_warning_not_a_block(team):
    c = customers.create_customer(team["rep1"], {"name": "乙公司", "credit_code": "91350100M000100Y44"})
    assert "credit_code" in c.warnings


def test_duplicate_warning_and_override(team):
    rep = team["rep1"]
    customers.create_customer(rep, {"name": "上海迅捷物流有限公司", "mobile": "13800138000"})
    with pytest.raises(DuplicateWarning):
        customers.create_customer(rep, {"name": "上海迅捷物流有限责任公司"})
    with pytest.raises(DuplicateWarning):
        customers.create_customer(rep, {"name": "别的名字", "mobile": "138 0013 8000"})
    assert customers.create_customer(rep, {"name": "上海迅捷物流"}, allow_duplicates=True).id


def test_optimistic_concurrency(team):
    rep = team["rep1"]
    c = customers.create_customer(rep, {"name": "丙公司"})
    customers.update_customer(rep, c.id, {"city": "上海"}, expected_version=c.version)
    with pytest.raises(ConflictError, match="rep1"):
        customers.update_customer(rep, c.id, {"city": "北京"}, expected_version=c.version)
    assert customers.get_customer(rep, c.id)["city"] == "上海"


def test_status_history_back_dated_and_lost_needs_reason(team):
    rep = team["rep1"]
    c = customers.create_customer(rep, {"name": "丁公司"})
    with pytest.raises(ValidationError, match="^Reason: "):
        customers.set_status(rep, c.id, "lost")
    now = datetime.now().replace(microsecond=0)
    customers.set_status(rep, c.id, "active", at=now)
    customers.set_status(rep, c.id, "target", at=now - timedelta(days=30))  # back-dated: not current
    assert customers.get_customer(rep, c.id)["status"] == "active"
    customers.set_status(rep, c.id, "lost", reason="价格")
    assert customers.get_customer(rep, c.id)["status"] == "lost"
    assert len(customer_history.status_history(rep, c.id)) == 4


def test_scope_staff_supervisor_manager(team):
    c1 = customers.create_customer(team["rep1"], {"name": "销售一部客户"})
    c3 = customers.create_customer(team["rep3"], {"name": "客服部客户"})
    pool = customers.create_customer(team["manager"], {"name": "公海客户"}, owner=None)

    def visible(name):  # noqa: ANN001, ANN202
        return {r[2] for r in customer_query.page(team[name], CustomerFilter(), columns=["name"])}

    assert visible("rep1") == {"销售一部客户", "公海客户"}
    assert visible("rep2") == {"公海客户"}
    assert visible("sup_sales") == {"销售一部客户", "公海客户"}
    assert visible("manager") == visible("viewer") == {"销售一部客户", "客服部客户", "公海客户"}
    with pytest.raises(NotFound):
        customers.get_customer(team["rep2"], c1.id)
    with pytest.raises(NotFound):
        customers.update_customer(team["rep1"], c3.id, {"city": "x"}, expected_version=1)
    with pytest.raises(PermissionDenied):
        customers.update_customer(team["viewer"], pool.id, {"city": "x"}, expected_version=pool.version)
    assert customer_query.count(team["rep2"], CustomerFilter(search="销售一部")) == 0


def test_transfer_rules_and_history(team):
    c = customers.create_customer(team["rep1"], {"name": "戊公司"})
    with pytest.raises(PermissionDenied):
        transfers.transfer(team["rep1"], [c.id], team["rep2"].actor.id, "调岗")
    with pytest.raises(PermissionDenied):  # rep3 is in another department
        transfers.transfer(team["sup_sales"], [c.id], team["rep3"].actor.id, "调岗")
    with pytest.raises(ValidationError):
        transfers.transfer(team["sup_sales"], [c.id], team["rep2"].actor.id, "")
    assert transfers.transfer(team["sup_sales"], [c.id], team["rep2"].actor.id, "调岗") == 1
    assert transfers.transfer(team["manager"], [c.id], None, "释放到公海") == 1
    hist = transfers.history(team["manager"], c.id)
    assert [h.to_user for h in hist] == ["Customer pool", "rep2"]


def test_merge_moves_contacts_and_history(team):
    mgr = team["manager"]
    keep = customers.create_customer(mgr, {"name": "己公司", "city": "上海"})
    other = customers.create_customer(mgr, {"name": "己公司分部", "email": "a@b.cn", "tags": "重点"})
    contacts.save_contact(mgr, other.id, {"name": "李四", "mobile": "13900139000", "is_primary": "是"})
    with pytest.raises(PermissionDenied):
        merge.merge_customers(team["rep1"], keep.id, other.id)
    merged = merge.merge_customers(mgr, keep.id, other.id)
    assert merged["email"] == "a@b.cn" and merged["tags"] == ",重点,"
    assert [c["name"] for c in contacts.list_contacts(mgr, keep.id)] == ["李四"]
    with pytest.raises(NotFound):
        customers.get_customer(mgr, other.id)
    assert len(customer_history.status_history(mgr, keep.id)) == 3
    assert customer_query.count(mgr, CustomerFilter(search="lisi")) == 1
    assert any(a.action == "merge" for a in customer_history.audit_trail(mgr, keep.id, labels=False))


def test_pin_grade_needs_manager_and_note(team):
    c = customers.create_customer(team["rep1"], {"name": "庚公司"})
    with pytest.raises(PermissionDenied):
        customers.pin_grade(team["rep1"], c.id, "key_important", "大客户")
    with pytest.raises(ValidationError):
        customers.pin_grade(team["manager"], c.id, "key_important", "")
    pinned = customers.pin_grade(team["manager"], c.id, "key_important", "集团战略客户")
    assert pinned["grade"] == "key_important" and pinned["grade_pinned"]


def test_filters_and_saved_filters(team):
    mgr = team["manager"]
    customers.create_customer(mgr, {"name": "辛公司", "city": "上海", "industry": "电气店"}, owner=None)
    customers.create_customer(mgr, {"name": "壬公司", "city": "北京"}, owner=team["rep1"].actor.id)
    flt = CustomerFilter(fields={"city": "上海", "owner": ["pool"]})
    assert [r[2] for r in customer_query.page(mgr, flt, columns=["name"])] == ["辛公司"]
    customer_query.save_filter(mgr, "上海公海", flt)
    assert customer_query.saved_filters(mgr)["上海公海"].fields == flt.fields
    with pytest.raises(ValidationError):
        customer_query.count(mgr, CustomerFilter(fields={"nonsense": "x"}))
    rows = customer_query.page(mgr, CustomerFilter(), columns=["name"], sort="name", descending=True)
    assert [r[2] for r in rows] == sorted([r[2] for r in rows], reverse=True)


def test_long_text_keeps_its_lines_and_loses_control_characters(team):
    c = customers.create_customer(team["rep1"], {"name": "换行公司", "notes": "第一行\r\n第二行\x00\x07", "city": "上\n海"})
    assert c["notes"] == "第一行\n第二行"
    assert c["city"] == "上 海"
