"""A return visit goes only to someone who may see its customer; older mismatches are listed for
supervisors to reassign, and never show a customer to someone outside its scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from desktop_crm.core.errors import PermissionDenied, ValidationError
from desktop_crm.core.models import VisitPlan
from desktop_crm.core.services import customers, dashboard, reminders, visits


def test_a_visit_is_not_assigned_to_someone_who_cannot_see_the_customer(team):
    rep1, rep3, sup = team["rep1"], team["rep3"], team["sup_sales"]
    c = customers.create_customer(rep1, {"name": "只有销售能看的客户"})
    with pytest.raises(ValidationError) as refused:
        visits.plan_visits(team["manager"], [c.id], date.today(), assignee_id=rep3.actor.id)
    assert "assignee" in refused.value.errors and "rep3" in refused.value.errors["assignee"]
    assert visits.plan_visits(sup, [c.id], date.today(), assignee_id=rep1.actor.id)


def test_old_mismatches_are_listed_hidden_from_the_assignee_and_reassigned(team):
    rep1, rep2, rep3, sup, manager = team["rep1"], team["rep2"], team["rep3"], team["sup_sales"], team["manager"]
    c = customers.create_customer(rep1, {"name": "错配回访客户"})
    [vid] = visits.plan_visits(manager, [c.id], date.today() - timedelta(days=1), assignee_id=rep1.actor.id)
    with manager.db.write() as s:  # as an older version could leave it
        s.execute(update(VisitPlan).where(VisitPlan.id == vid).values(assignee_id=rep3.actor.id))
    names = [r.customer_name for g in reminders.for_user(rep3) for r in g.items]
    assert "错配回访客户" not in names
    assert all(g.count == 0 for g in dashboard.load(rep3).groups if g.kind == "visit")
    assert [v.id for v in visits.mismatched(manager)] == [vid]
    assert [v.id for v in visits.mismatched(sup)] == [vid]  # the customer is in sup_sales' team
    with pytest.raises(PermissionDenied):
        visits.mismatched(rep1)
    with pytest.raises(ValidationError):
        visits.reassign(manager, [vid], rep2.actor.id)  # rep2 may not see rep1's customer either
    assert visits.reassign(sup, [vid], rep1.actor.id) == 1
    assert visits.mismatched(manager) == []
    assert any(r.customer_name == "错配回访客户" for g in reminders.for_user(rep1) for r in g.items)
