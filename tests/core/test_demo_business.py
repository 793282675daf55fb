"""The demo is a living business: every view and report has data, for an administrator and for a
rep; the workflows are in every state; the same seed and day give the same business."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from desktop_crm.core import demo
from desktop_crm.core.app_setup import open_database
from desktop_crm.core.demo import load, makers
from desktop_crm.core.models import (
    Complaint,
    ComplaintEvent,
    Contact,
    Contract,
    Customer,
    Interaction,
    Opportunity,
    Order,
    Transfer,
    User,
    VisitAnswer,
    VisitPlan,
)
from desktop_crm.core.reporting.builders import registry
from desktop_crm.core.reporting.builders.params import ReportParams, preset
from desktop_crm.core.services import customer_query, dashboard, grading, users
from desktop_crm.core.services.complaints_query import overdue_expr
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.customer_query import CustomerFilter
from tests.conftest import PG_URL, _reset_postgres


@pytest.fixture(scope="module")
def business(tmp_path_factory):  # noqa: ANN001, ANN201
    """One default-size demo for the module (it takes a few seconds)."""
    if PG_URL:
        _reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'crm.sqlite3'}"
    db = open_database(url).db
    result = demo.generate(db, seed=1)
    yield db, result
    db.dispose()


def _ctx(db, name: str) -> Ctx:  # noqa: ANN001
    return Ctx(db, users.authenticate(db, name, demo.DEMO_PASSWORD))


def test_every_dashboard_tile_and_report_has_data_for_an_administrator_and_a_rep(business):
    db, result = business
    assert result.customers == demo.DEFAULT_CUSTOMERS
    admin, rep = _ctx(db, "admin"), _ctx(db, "rep1a")
    board = dashboard.load(admin)
    assert board.figures and all(f.value > 0 for f in board.figures), board.figures
    assert board.team and board.team_items
    groups = dashboard.load(rep).groups
    assert groups and all(g.count > 0 for g in groups), [(g.kind, g.count) for g in groups]
    d0, d1 = preset("this_year")
    for ctx in (admin, rep):
        assert customer_query.count(ctx, CustomerFilter()) > 0  # report 12: the list as shown
        for name in registry.REPORTS:
            report = registry.build(ctx, name, ReportParams(d0, d1))
            empty = [key for key, _title, table in report.tables() if not table.rows]
            assert not empty, (ctx.actor.username, name, empty)


def test_the_workflows_are_in_every_state(business):
    db, _result = business
    today = date.today()
    with db.read() as s:
        def values(col, *where):  # noqa: ANN001, ANN202
            return set(s.scalars(select(col).where(*where).distinct()))

        assert values(Complaint.status) == {"registered", "accepted", "rejected", "processing", "resolved", "closed"}
        assert values(Complaint.channel) == {"hotline", "phone", "email", "web", "letter", "visit", "wechat"}
        assert values(Complaint.category) >= {"quality", "attitude", "delay", "damage", "billing", "other"}
        assert values(Complaint.severity) == {"normal", "major", "critical"}
        assert len(values(Complaint.root_cause)) >= 5 and len(values(Complaint.handler_id)) >= 5
        assert s.scalar(select(func.count()).where(overdue_expr(datetime.now()))) > 0
        assert s.scalar(select(func.count()).where(Complaint.claim_paid_on.is_not(None))) > 0
        assert values(Complaint.satisfaction) >= {2, 3, 4, 5}
        reopened = s.scalar(select(func.count()).where(ComplaintEvent.from_state.in_(["resolved", "closed"]),
                                                       ComplaintEvent.to_state == "processing"))
        assert reopened > 0
        assert values(Opportunity.stage) == {"lead", "contacted", "qualified", "proposal", "negotiation", "won",
                                             "lost"}
        assert values(Contract.status) == {"draft", "active", "ended"}
        ending = s.scalar(select(func.count()).where(Contract.status == "active",
                                                     Contract.end_on <= today + timedelta(days=30)))
        assert ending > 0
        assert values(VisitPlan.status) == {"planned", "done", "cancelled"}
        assert values(VisitPlan.purpose) == {"new_customer", "old_customer", "after_sales", "after_complaint"}
        assert s.scalar(select(func.count()).where(VisitPlan.feedback_tags.like("%,complaint,%"))) > 0
        assert s.scalar(select(func.count()).select_from(VisitAnswer)) > 0
        assert s.scalar(select(func.count()).where(VisitPlan.status == "planned", VisitPlan.due < today)) > 0
        assert s.scalar(select(func.count()).where(Interaction.follow_up_due == today)) > 0
        assert s.scalar(select(func.count()).where(Interaction.follow_up_due < today)) > 0
        assert s.scalar(select(func.count()).where(Customer.owner_id.is_(None))) > 0
        left = s.scalar(select(User.id).where(User.active.is_(False)))
        assert s.scalar(select(func.count()).where(Transfer.from_user_id == left)) > 0
        assert s.scalar(select(func.count()).where(Transfer.to_user_id.is_(None))) > 0
        soon = {(today + timedelta(days=k)).strftime("%m-%d") for k in range(8)}
        birthdays = [d for d in s.scalars(select(Contact.birthday).where(Contact.birthday.is_not(None)))]
        assert any(d.strftime("%m-%d") in soon for d in birthdays)
        assert values(Customer.grade) == {None, "key_important", "key_secondary", "ordinary", "small"}
        assert values(Customer.loyalty) == {"potential", "new", "regular", "old", "loyal"}
        assert values(Customer.abc_class) == {None, "A", "B", "C"}  # None: no sales in 12 months
        assert values(User.role) == {"admin", "manager", "supervisor", "staff", "viewer"}


def test_sales_have_the_shape_of_a_trade(business):
    """Three full years and this one, a February trough and a year-end peak, a product mix."""
    db, _result = business
    today = date.today()
    with db.read() as s:
        years = {d.year for d in s.scalars(select(Order.date))}
        assert years == {today.year - 3, today.year - 2, today.year - 1, today.year}
        by_month = dict.fromkeys(range(1, 13), Decimal(0))
        for d, amount in s.execute(select(Order.date, Order.amount).where(Order.date < date(today.year, 1, 1))):
            by_month[d.month] += amount
        mean = sum(by_month.values()) / 12
        assert by_month[2] < Decimal("0.8") * mean < by_month[12]
        shares = sorted((s.execute(select(func.sum(Order.amount)).group_by(Order.category)).scalars()),
                        reverse=True)
        assert len(shares) >= 5 and shares[0] < sum(shares) * Decimal("0.6")


def test_grades_are_those_a_recompute_gives(business):
    db, _result = business
    again = grading.recompute(_ctx(db, "admin"))
    assert again.changed == 0 and again.population > 0


def _digest(db) -> dict[str, list[tuple]]:  # noqa: ANN001
    tables = {"customers": "code, name, status, owner_id, grade, loyalty, abc_class, last_contact_at",
              "contacts": "customer_id, name, mobile, birthday", "orders": "order_no, customer_id, date, amount",
              "complaints": "number, customer_id, status, received_at, satisfaction",
              "opportunities": "name, customer_id, stage, amount", "visit_plans": "customer_id, due, status, score",
              "interactions": "customer_id, at, summary, follow_up_due", "contracts": "number, end_on, status",
              "customer_transfers": "customer_id, from_user_id, to_user_id, at"}
    with db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT {cols} FROM {t} ORDER BY 1, 2, 3")).all() for t, cols in tables.items()}


@pytest.mark.sqlite_only
def test_the_same_seed_and_day_give_the_same_business_made_here_or_by_side_processes(tmp_path, monkeypatch):
    now = datetime(2026, 6, 15, 11, 30)
    monkeypatch.setattr(makers, "BATCH", 70)
    digests = []
    for k, bulk in enumerate((10**9, 10, 10**9)):  # in process, side processes, in process
        monkeypatch.setattr(load, "BULK", bulk)
        db = open_database(f"sqlite:///{tmp_path / f'crm{k}.sqlite3'}").db
        demo.generate(db, customers=200, seed=5 if k < 2 else 6, now=now)
        digests.append(_digest(db))
        db.dispose()
    assert digests[0] == digests[1]
    assert digests[0]["customers"] and digests[0]["orders"] and digests[0]["complaints"]
    assert digests[2]["orders"] != digests[0]["orders"]  # another seed, another business
