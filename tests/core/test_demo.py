"""Demo data: realistic, valid, searchable, repeatable, and safe for later creates."""

import logging
import multiprocessing
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import func, select

from desktop_crm.core import demo, search
from desktop_crm.core.demo import forms, load, makers
from desktop_crm.core.errors import Cancelled, PermissionDenied
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
from desktop_crm.core.search import sqlite_fts, sqlite_fts_side
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
    admin = Ctx(db, users.authenticate(db, "admin", demo.DEMO_PASSWORD))
    with pytest.raises(PermissionDenied):  # a database in use: only an administrator adds demo data
        demo.generate(db, customers=5, seed=1)
    with pytest.raises(PermissionDenied):
        demo.generate(db, customers=5, seed=1, ctx=Ctx(db, users.authenticate(db, "rep1a", demo.DEMO_PASSWORD)))
    second = demo.generate(db, customers=50, seed=1, ctx=admin)
    assert second.admin_password is None and second.created_users == []
    assert second.first_code == "C000051" and second.last_code == "C000100"
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
    monkeypatch.setattr(load, "BULK", 10)
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


def _matches(db, queries):  # noqa: ANN001, ANN202
    with db.engine.connect() as conn:
        return {(table, q): [r[0] for r in conn.exec_driver_sql(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid", (q,))]
            for table, q in queries}


def _integrity_check(db) -> None:  # noqa: ANN001
    with db.engine.begin() as conn:
        for name in (sqlite_fts.WORDS, sqlite_fts.TRIGRAM):
            conn.exec_driver_sql(f"INSERT INTO {name}({name}, rank) VALUES ('integrity-check', 1)")


@pytest.mark.sqlite_only
def test_bulk_load_grafts_the_search_indexes_built_aside(db, monkeypatch, caplog):
    monkeypatch.setattr(load, "BULK", 10)
    steps = []

    class Recorder:
        def step(self, done, total=None, message=""):  # noqa: ANN001, ANN202
            steps.append((done, total, message))

        def cancelled(self) -> bool:
            return False

    with caplog.at_level(logging.WARNING):
        demo.generate(db, customers=400, seed=4, progress=Recorder())
    assert "built in process" not in caplog.text  # the side processes did the work
    waiting = [total for _done, total, message in steps if "search index" in message]
    assert waiting and set(waiting) == {0}  # no fraction to show: a busy bar, not "0 %"
    _integrity_check(db)  # every document is in both indexes, and nothing else
    with db.read() as s:
        name, mobile = s.execute(select(Customer.name, Customer.mobile).where(Customer.id == 7)).one()
    queries = [(sqlite_fts.WORDS, '"' + " ".join(name[:2]) + '"'), (sqlite_fts.WORDS, '"13"*'),
               (sqlite_fts.TRIGRAM, '"' + mobile[-6:] + '"'), (sqlite_fts.TRIGRAM, '"ngs"')]
    grafted = _matches(db, queries)
    assert all(grafted.values()) and 7 in grafted[queries[0]] and 7 in grafted[queries[2]]
    with db.engine.begin() as conn:  # the same index, built in place
        for table in (sqlite_fts.WORDS, sqlite_fts.TRIGRAM):
            conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    assert _matches(db, queries) == grafted
    # the triggers keep the grafted index current
    admin = Ctx(db, users.actor_by_name(db, None))
    with db.read() as s:
        cust = s.get(Customer, 7)
        customers.update_customer(admin, cust.id, {"name": "雪域冰川测试有限公司"}, expected_version=cust.version)
    assert customer_query.ids(admin, CustomerFilter(search="冰川")) == [7]
    _integrity_check(db)
    assert not list(Path(db.engine.url.database).parent.glob("crm-search-*"))  # scratch files removed
    with db.engine.connect() as conn:  # the planner has statistics for the new rows
        stats = dict(conn.exec_driver_sql("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'customers'").all())
    assert int(stats["ix_customers_owner_id"].split()[0]) >= 400


@pytest.mark.sqlite_only
def test_a_failed_side_build_falls_back_to_building_in_place(db, monkeypatch, caplog):
    monkeypatch.setattr(load, "BULK", 10)
    monkeypatch.setattr(sqlite_fts_side, "OPTIONS", {sqlite_fts.WORDS: "tokenize='no_such_tokenizer'"})
    with caplog.at_level(logging.WARNING):
        demo.generate(db, customers=60, seed=4)
    assert "no_such_tokenizer" in caplog.text
    _integrity_check(db)
    admin = Ctx(db, users.actor_by_name(db, None))
    assert customer_query.count(admin, CustomerFilter(search="有限")) > 0
    assert not multiprocessing.active_children()


@pytest.mark.sqlite_only
def test_when_a_side_process_cannot_start_none_is_left_and_the_index_is_built_in_place(db, monkeypatch, caplog):
    from multiprocessing.context import SpawnProcess

    real_start, started = SpawnProcess.start, []

    def start_once(self):  # noqa: ANN001, ANN202 - the second process fails to start
        if started:
            raise OSError("no more processes")
        started.append(self)
        real_start(self)

    monkeypatch.setattr(SpawnProcess, "start", start_once)
    monkeypatch.setattr(load, "BULK", 10)
    with caplog.at_level(logging.WARNING):
        demo.generate(db, customers=40, seed=4)
    assert "no more processes" in caplog.text and started
    assert not started[0].is_alive() and not multiprocessing.active_children()
    _integrity_check(db)
    admin = Ctx(db, users.actor_by_name(db, None))
    assert customer_query.count(admin, CustomerFilter(search="有限")) > 0
    assert not list(Path(db.engine.url.database).parent.glob("crm-search-*"))


class _CancelAt:
    """Asks to cancel at the check after the first step whose message has `text`."""

    def __init__(self, text: str):
        self.text, self.seen = text, False

    def step(self, done, total=None, message=""):  # noqa: ANN001, ANN201
        self.seen = self.seen or self.text in message

    def cancelled(self) -> bool:
        return self.seen


@pytest.mark.sqlite_only
@pytest.mark.parametrize("when", ["customers", "building indexes", "building the search index"])
def test_cancelling_a_bulk_load_leaves_nothing(db, monkeypatch, when):
    monkeypatch.setattr(load, "BULK", 10)
    monkeypatch.setattr(makers, "BATCH", 20)
    with pytest.raises(Cancelled):
        demo.generate(db, customers=50, seed=4, progress=_CancelAt(when))
    with db.read() as s:
        assert s.scalar(select(func.count(Customer.id))) == 0
        assert s.scalar(select(func.count()).select_from(CustomerSearch)) == 0
    assert not multiprocessing.active_children()
    assert not list(Path(db.engine.url.database).parent.glob("crm-search-*"))
    admin = Ctx(db, users.authenticate(db, "admin", demo.DEMO_PASSWORD))
    demo.generate(db, customers=5, seed=4, ctx=admin)  # the search index and its triggers are back
    assert customer_query.count(admin, CustomerFilter(search="有限")) + customer_query.count(
        admin, CustomerFilter(search="c0")) > 0
    _integrity_check(db)


def test_rows_in_sqlite_form_are_what_sqlalchemy_would_bind(db):
    """The SQLite loader skips SQLAlchemy's conversions: its rows must be what they give."""
    from sqlalchemy import create_engine

    from desktop_crm.core.db import Base

    dialect = create_engine("sqlite://").dialect
    now = datetime(2026, 5, 6, 7, 8, 9)
    ctx, _pw, _made = demo.ensure_users(db)
    made = {}
    for sqlite in (False, True):
        with db.write() as s:
            plan = load._plan(s, ctx, 300, 11, now, sqlite)
        plan = makers.Plan(**{**plan.__dict__, "code_start": 1})  # the same codes for both forms
        made[sqlite] = makers.make_batch(plan, 0, lambda doc, owner: doc)
    checked = set()
    for table, cols in forms.TABLES.items():
        procs = [Base.metadata.tables[table].c[c].type._cached_bind_processor(dialect) for c in cols]
        bound = [tuple(v if v is None or p is None else p(v) for v, p in zip(row, procs, strict=True))
                 for row in made[False][table]]
        assert bound == made[True][table], table
        checked |= {type(v) for row in made[False][table] for v in row}
    assert {datetime, Decimal, bool} <= checked and any(t.__name__ == "date" for t in checked)
