"""Pool rules that run themselves (with warnings, exemptions and an audit that explains each move) and
holding limits on claims and handovers."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.models import AuditEntry, Customer, Transfer
from desktop_crm.core.services import contracts, customers, interactions, pool, transfers
from desktop_crm.core.workplan import holding, jobs, pool_rules, tasks
from desktop_crm.core.workplan.pool_rules import RuleInput
from desktop_crm.core.workplan.tasks import TaskInput

NOW = datetime.now().replace(microsecond=0)


def _age(db, customer_id: int, days: int) -> None:  # noqa: ANN001
    """The customer was created and last contacted `days` ago."""
    at = NOW - timedelta(days=days)
    with db.write() as s:
        s.execute(update(Customer).where(Customer.id == customer_id).values(created_at=at, last_contact_at=at))


@pytest.fixture
def book(team, db):  # noqa: ANN001, ANN201
    rep1 = team["rep1"]
    made = {}
    for name, days in (("old", 95), ("soon", 88), ("fresh", 10), ("pinned", 200), ("contract", 150)):
        c = customers.create_customer(rep1, {"name": f"{name}有限公司"})
        _age(db, c.id, days)
        made[name] = c
    contracts.create_contract(team["admin"], made["contract"].id, {"number": "HT-1", "status": "active",
                                                                   "start_on": date.today() - timedelta(days=30),
                                                                   "end_on": date.today() + timedelta(days=300),
                                                                   "amount": "1000"})
    return team, made


def test_only_administrators_define_rules_and_bad_input_is_named(book):
    team, _made = book
    with pytest.raises(PermissionDenied):
        pool_rules.save_rule(team["manager"], RuleInput(name="x"))
    with pytest.raises(ValidationError) as err:
        pool_rules.save_rule(team["admin"], RuleInput(name="", condition="no_love", days=0, warn_days=5,
                                                      grades=["gold"]))
    assert set(err.value.errors) == {"name", "condition", "days", "warn_days", "grades"}
    rule = pool_rules.save_rule(team["admin"], RuleInput(name="90 天未跟进", days=90, warn_days=3))
    assert "no follow-up for 90 days" in rule.describe() and "contract in force" in rule.describe()
    with pytest.raises(ValidationError) as err:
        pool_rules.save_rule(team["admin"], RuleInput(name="90 天未跟进", days=30))
    assert "name" in err.value.errors
    assert [r.name for r in pool_rules.list_rules(team["rep1"])] == ["90 天未跟进"]


def test_the_job_moves_explains_warns_and_does_nothing_the_second_time(book, db):
    team, made = book
    pool_rules.save_rule(team["admin"], RuleInput(name="90 天未跟进", days=90, warn_days=5))
    pool_rules.pin(team["manager"], made["pinned"].id, "大客户，经理保留")
    [t] = tasks.create(team["rep1"], TaskInput(title="call old", due=date.today(), customer_id=made["old"].id))
    # the owner is warned first
    warned = pool_rules.warnings(team["rep1"])
    assert [(w.customer_code, w.days_left) for w in warned] == [(made["soon"].code, 2)]
    assert pool_rules.countdown(team["rep1"], made["soon"].id).days_left == 2
    assert pool_rules.countdown(team["rep1"], made["pinned"].id) is None
    [out] = jobs.run_due(db, NOW, only="pool", force=True)
    assert out.ok and "90 天未跟进: 1 to the pool" in out.message
    with db.read() as s:
        owners = dict(s.execute(select(Customer.code, Customer.owner_id)).all())
        transfer = s.execute(select(Transfer.reason, Transfer.from_user_id).where(
            Transfer.customer_id == made["old"].id)).one()
        trail = s.execute(select(AuditEntry.field, AuditEntry.old, AuditEntry.new, AuditEntry.username).where(
            AuditEntry.entity == "customer", AuditEntry.entity_id == made["old"].id,
            AuditEntry.action == "transfer")).all()
    rep1 = team["rep1"].actor.id
    assert owners[made["old"].code] is None and owners[made["fresh"].code] == rep1
    assert owners[made["pinned"].code] == rep1 and owners[made["contract"].code] == rep1  # exempt
    assert owners[made["soon"].code] == rep1
    assert "90 天未跟进" in transfer.reason and "95 days" in transfer.reason and transfer.from_user_id == rep1
    assert {e.field: (e.old, e.new) for e in trail} == {"owner_id": (str(rep1), None), "rule": (None, "90 天未跟进"),
                                                          "days": (None, "95")}
    assert trail[0].username == "system"
    assert tasks.get(team["admin"], t.id).status == "cancelled"  # its open work went with it
    [again] = jobs.run_due(db, NOW + timedelta(hours=2), only="pool", force=True)
    assert "0 to the pool" in again.message
    # a follow-up resets the countdown
    interactions.log_interaction(team["rep1"], made["soon"].id, channel="phone", summary="聊了新报价")
    assert pool_rules.countdown(team["rep1"], made["soon"].id).days_left == 90
    assert pool_rules.warnings(team["rep1"]) == []


def test_order_and_opportunity_conditions_and_filters(book, db):
    from desktop_crm.core.services import orders

    team, made = book
    orders.create_order(team["admin"], made["fresh"].id, {"order_no": "D1", "date": date.today() - timedelta(days=5),
                                                          "amount": "100"})
    orders.create_order(team["admin"], made["soon"].id, {"order_no": "D2", "date": date.today() - timedelta(days=70),
                                                         "amount": "100"})
    with db.write() as s:
        s.execute(update(Customer).where(Customer.id == made["fresh"].id).values(created_at=NOW - timedelta(days=400)))
    rule = pool_rules.save_rule(team["admin"], RuleInput(name="60 天无订单", condition="no_order", days=60,
                                                         statuses=["potential"], exempt_open_contract=False))
    with db.write() as s:
        from desktop_crm.core.models import PoolRule

        moved = pool_rules.apply_rule(s, s.get(PoolRule, rule.id), NOW)
    with db.read() as s:
        owners = dict(s.execute(select(Customer.code, Customer.owner_id)).all())
    # soon (last order 70 days ago), old, pinned (not pinned here), the contract customer (exemption off)
    # go; fresh (an order 5 days ago) stays
    assert owners[made["fresh"].code] is not None and owners[made["soon"].code] is None
    assert owners[made["contract"].code] is None and owners[made["pinned"].code] is None
    assert moved == 4


def test_holding_limits_on_claims_and_handovers_and_the_reclaim_wait(book, db):
    team, made = book
    rep1, rep2 = team["rep1"], team["rep2"]
    with pytest.raises(PermissionDenied):
        holding.set_limit(team["manager"], role="staff", max_customers=3)
    with pytest.raises(ValidationError) as err:
        holding.set_limit(team["admin"], max_customers=3)
    assert "target" in err.value.errors
    holding.set_limit(team["admin"], role="staff", max_customers=5, reclaim_days=30)
    holding.set_limit(team["admin"], user_id=rep2.actor.id, max_customers=1)
    spare = customers.create_customer(team["admin"], {"name": "公海客户"}, owner=None)
    # rep1 holds 5: one more is too many
    with pytest.raises(ValidationError) as err:
        pool.claim(rep1, [spare.id])
    assert "at most 5 customers and holds 5" in str(err.value)
    # a handover to rep2 (own limit 1) of two customers is refused as a whole
    with team["admin"].db.write() as s, pytest.raises(ValidationError) as err:
        transfers.move_customers(s, team["admin"], [made["old"].id, made["soon"].id], rep2.actor.id, "休假")
    assert "at most 1 customers" in str(err.value)
    # returned to the pool by a rule: rep1 may not claim it back within 30 days
    pool_rules.save_rule(team["admin"], RuleInput(name="90 天未跟进", days=90))
    jobs.run_due(db, NOW, only="pool", force=True)
    with pytest.raises(ValidationError) as err:
        pool.claim(rep1, [made["old"].id])
    assert made["old"].code in str(err.value) and "claim it again from" in str(err.value)
    assert pool.claim(team["rep2"], [made["old"].id]).claimed == 1
    assert [lim.max_customers for lim in holding.list_limits(team["sup_sales"])] == [5, 1]
