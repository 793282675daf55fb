import pytest
from sqlalchemy import update

from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.models import AuditEntry
from desktop_crm.core.services import audit, customers, settings


def test_every_change_is_audited_and_chain_verifies(db, team):
    c = customers.create_customer(team["rep1"], {"name": "审计公司", "city": "上海"})
    customers.update_customer(team["rep1"], c.id, {"city": "北京"}, expected_version=c.version)
    with db.read() as s:
        entries = s.query(AuditEntry).filter_by(entity="customer", entity_id=c.id, field="city").all()
        assert [(e.old, e.new) for e in entries] == [(None, "上海"), ("上海", "北京")]
        assert audit.verify_chain(s).ok


def test_tampering_breaks_the_chain(db, team):
    customers.create_customer(team["rep1"], {"name": "篡改测试"})
    with db.write() as s:
        target = s.query(AuditEntry).filter_by(entity="customer", field="name").one()
        s.execute(update(AuditEntry).where(AuditEntry.id == target.id).values(new="别的名字"))
    with db.read() as s:
        report = audit.verify_chain(s)
    assert not report.ok and report.broken_at == target.id


def test_passwords_never_in_the_audit_log(db, team):
    from desktop_crm.core.services import users
    from tests.conftest import PASSWORD

    users.reset_password(team["admin"], team["rep1"].actor.id, "another-secret-9")
    with db.read() as s:
        texts = [f"{e.old} {e.new}" for e in s.query(AuditEntry).all()]
    assert not any(PASSWORD in t or "another-secret-9" in t or "scrypt$" in t for t in texts)


def test_settings_admin_only_validated_and_audited(db, team):
    with pytest.raises(PermissionDenied):
        settings.set_many(team["manager"], {"company_name": "x"})
    with pytest.raises(ValidationError):
        settings.set_many(team["admin"], {"pool_claim_daily_limit": "many"})
    with pytest.raises(ValidationError):
        settings.set_many(team["admin"], {"sla_response_hours": {"normal": -1}})
    settings.set_many(team["admin"], {"company_name": "迅捷物流速运", "sla_response_hours": {"major": 6}})
    assert settings.get(team["rep1"], "company_name") == "迅捷物流速运"
    assert settings.get(team["rep1"], "sla_response_hours") == {"normal": 24, "major": 6, "critical": 2}
    with db.read() as s:
        assert s.query(AuditEntry).filter_by(entity="setting", record="company_name").count() == 1


def test_customer_codes_are_never_reused(team):
    from desktop_crm.core.services import merge

    a = customers.create_customer(team["manager"], {"name": "甲"})
    b = customers.create_customer(team["manager"], {"name": "乙"})
    merge.merge_customers(team["manager"], a.id, b.id)
    c = customers.create_customer(team["manager"], {"name": "丙"})
    assert (a.code, b.code, c.code) == ("C000001", "C000002", "C000003")


def test_changing_who_made_a_change_breaks_the_chain(db, team):
    customers.create_customer(team["rep1"], {"name": "换人测试"})
    with db.write() as s:
        target = s.query(AuditEntry).filter_by(entity="customer", field="name").one()
        s.execute(update(AuditEntry).where(AuditEntry.id == target.id).values(username="manager"))
    with db.read() as s:
        assert audit.verify_chain(s).broken_at == target.id
