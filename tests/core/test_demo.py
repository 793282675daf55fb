"""Demo data: realistic, valid, searchable, repeatable, and safe for later creates."""

import phonenumbers
import pytest
from sqlalchemy import func, select

from desktop_crm.core import demo, search
from desktop_crm.core.models import (
    AuditEntry,
    Contact,
    Customer,
    CustomerSearch,
    Department,
    StatusChange,
    User,
)
from desktop_crm.core.rules.validation import validate_email
from desktop_crm.core.search.document import build_document
from desktop_crm.core.services import customer_query, customers, users
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_query import CustomerFilter


def test_demo_on_an_empty_database_creates_admin_departments_and_users(db):
    result = demo.generate(db, customers=120, seed=3)
    lines = "\n".join(result.summary_lines())
    assert "admin / " + demo.DEMO_PASSWORD in lines
    assert result.customers == 120 and result.first_code == "C000001" and result.last_code == "C000120"
    with db.read() as s:
        assert set(demo.DEPARTMENTS) <= set(s.scalars(select(Department.name)))
        roles = set(s.scalars(select(User.role)))
        assert roles == {"admin", "manager", "supervisor", "staff", "viewer"}
        assert s.scalar(select(func.count(Customer.id))) == 120
        n_contacts = s.scalar(select(func.count(Contact.id)))
        assert n_contacts == result.contacts and 150 <= n_contacts <= 300
        assert s.scalar(select(func.count()).select_from(CustomerSearch)) == 120
        # one audit entry for the whole load (plus the users created)
        assert s.scalar(select(func.count()).where(AuditEntry.action == "demo generated")) == 1
        assert s.scalar(select(func.count()).where(AuditEntry.entity == "customer")) == 1
    ctx = Ctx(db, users.authenticate(db, "rep1a", demo.DEMO_PASSWORD))
    assert customer_query.count(ctx, CustomerFilter()) > 0


def test_demo_data_is_valid_and_realistic(db):
    demo.generate(db, customers=200, seed=5)
    with db.read() as s:
        rows = s.execute(select(Customer)).scalars().all()
        owners = {c.owner_id for c in rows}
        assert None in owners and len(owners) >= 5  # spread over users, some in the pool
        assert {c.status for c in rows} >= {"potential", "target", "active", "lost"}
        assert {c.kind for c in rows} == {"individual", "enterprise"}
        for c in rows:
            for phone in (c.mobile, c.phone):
                if phone:
                    assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone
            if c.email:
                validate_email(c.email)
            assert c.city and c.province and c.industry and c.source
            if c.kind == "enterprise":
                assert c.name.endswith(("公司", "行"))
            history = s.execute(select(StatusChange).where(StatusChange.customer_id == c.id)
                                .order_by(StatusChange.at, StatusChange.id)).scalars().all()
            assert history[0].previous is None and history[-1].status == c.status
            assert history[-1].at == c.status_since and history[0].at >= c.created_at
        for contact in s.execute(select(Contact)).scalars():
            assert phonenumbers.is_valid_number(phonenumbers.parse(contact.mobile))
            if contact.email:
                validate_email(contact.email)


def test_demo_documents_match_the_search_documents(db):
    demo.generate(db, customers=150, seed=7)
    with db.read() as s:
        same = 0
        for c in s.execute(select(Customer)).scalars():
            stored = s.scalar(select(CustomerSearch.doc).where(CustomerSearch.customer_id == c.id))
            expected = search.backend_for(db.engine.dialect.name).with_scope(build_document(c, list(c.contacts)),
                                                                             c.owner_id)
            same += stored == expected
        assert same >= 140  # pinyin of a whole name may differ from its parts for a rare polyphone


def test_running_twice_adds_customers_with_new_codes_and_creates_continue(db):
    first = demo.generate(db, customers=50, seed=1)
    second = demo.generate(db, customers=50, seed=1)
    assert second.admin_password is None and second.created_users == []
    assert second.first_code == "C000051" and second.last_code == "C000100"
    admin = Ctx(db, users.actor_by_name(db, None))
    made = customers.create_customer(admin, {"name": "新建测试有限公司"}, allow_duplicates=True)
    assert made.code == "C000101"
    assert customer_query.count(admin, CustomerFilter()) == 101
    assert first.customer_ids[-1] < second.customer_ids[0]


def test_demo_customers_are_found_by_search(db):
    demo.generate(db, customers=100, seed=2)
    admin = Ctx(db, users.actor_by_name(db, None))
    with db.read() as s:
        cid, name, mobile = s.execute(select(Customer.id, Customer.name, Customer.mobile)
                                      .where(Customer.kind == "enterprise")).first()
        owner_of_contact, contact_name = s.execute(select(Contact.customer_id, Contact.name)).first()
    assert cid in customer_query.ids(admin, CustomerFilter(search=name[2:5]))
    assert cid in customer_query.ids(admin, CustomerFilter(search=mobile[-8:-3]))
    assert owner_of_contact in customer_query.ids(admin, CustomerFilter(search=contact_name))


@pytest.mark.sqlite_only
def test_bulk_path_rebuilds_indexes(db, monkeypatch):
    monkeypatch.setattr(demo, "BULK", 10)
    demo.generate(db, customers=30, seed=9)
    admin = Ctx(db, users.actor_by_name(db, None))
    assert customer_query.count(admin, CustomerFilter(search="有限")) > 0
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_customers_name" in names and "ix_contacts_customer_id" in names


def test_extra_generators_are_called(db, monkeypatch):
    seen = []
    monkeypatch.setattr(demo, "EXTRA_GENERATORS", [lambda db_, ids, rng, progress: seen.append(len(ids))])
    demo.generate(db, customers=12)
    assert seen == [12]
