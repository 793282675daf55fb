"""Leads: scope and the lead pool, bad input by field, follow-ups, and the conversion into a customer
that checks the archive for duplicates and keeps the lead's history."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_crm.core.errors import (
    DuplicateWarning,
    NotFound,
    PermissionDenied,
    ValidationError,
    WorkflowError,
)
from desktop_crm.core.leads import service as leads
from desktop_crm.core.leads.service import LeadFilter
from desktop_crm.core.services import customers, interactions, opportunities
from desktop_crm.core.workplan import tasks
from desktop_crm.core.workplan.tasks import TaskInput


def test_bad_input_is_named_and_scope_keeps_leads_apart(team):
    with pytest.raises(ValidationError) as err:
        leads.add(team["rep1"], {"name": "", "email": "not-an-address", "source": "pigeon"})
    assert set(err.value.errors) == {"name", "email", "source"}
    with pytest.raises(ValidationError) as err:
        leads.add(team["rep1"], {"name": "王经理"})
    assert "phone" in err.value.errors
    mine = leads.add(team["rep1"], {"name": "王经理", "company": "华润物流有限公司", "phone": "13911112222",
                                    "source": "展会", "campaign": "2026 秋季物流展"})
    assert mine.source == "exhibition" and mine.status == "new"
    pooled = leads.add(team["admin"], {"name": "李女士", "phone": "021-64805447"}, owner_id=None)
    other = leads.add(team["rep2"], {"name": "赵先生", "email": "zhao@example.com"})
    seen = {v.id for v in leads.page(team["rep1"], LeadFilter())}
    assert seen == {mine.id, pooled.id}
    with pytest.raises(NotFound):
        leads.get(team["rep1"], other.id)
    assert {v.id for v in leads.page(team["sup_sales"], LeadFilter())} == {mine.id, pooled.id, other.id}
    assert leads.count(team["rep3"], LeadFilter()) == 1  # only the pool
    with pytest.raises(PermissionDenied):
        leads.add(team["viewer"], {"name": "x", "phone": "13900000000"})
    assert leads.claim(team["rep1"], pooled.id).owner_id == team["rep1"].actor.id
    with pytest.raises(NotFound):
        leads.claim(team["rep3"], pooled.id)  # not in the pool any more: out of sight
    assert [v.name for v in leads.page(team["rep1"], LeadFilter(search="华润"))] == ["王经理"]


def test_follow_up_then_convert_with_duplicate_check_and_history(team):
    rep1 = team["rep1"]
    lead = leads.add(rep1, {"name": "王经理", "company": "华润物流有限公司", "phone": "139 1111 2222"})
    leads.log_contact(rep1, lead.id, channel="phone", text="介绍了冷链线路，对方有兴趣")
    assert leads.get(rep1, lead.id).status == "contacted"
    [t] = tasks.create(rep1, TaskInput(title="寄报价单", due=date.today(), lead_id=lead.id))
    leads.set_status(rep1, lead.id, "qualified")
    existing = customers.create_customer(team["rep1"], {"name": "华润物流有限公司"})
    with pytest.raises(DuplicateWarning) as dup:
        leads.convert(rep1, lead.id, opportunity_amount="50000")
    assert existing.code in str(dup.value)
    assert [d["code"] for d in leads.duplicates(rep1, lead.id)] == [existing.code]
    done = leads.convert(rep1, lead.id, opportunity_amount="50000", existing_customer_id=existing.id)
    assert done.status == "converted" and done.customer_code == existing.code
    timeline = interactions.list_for_customer(rep1, existing.id)
    assert timeline[0].summary == "介绍了冷链线路，对方有兴趣"
    assert tasks.get(rep1, t.id).customer_id == existing.id
    [opp] = opportunities.list_opportunities(rep1, customer_id=existing.id)
    assert opp.amount == 50000 and opp.stage == "qualified"
    with pytest.raises(WorkflowError):
        leads.convert(rep1, lead.id)
    kinds = [e.kind for e in leads.history(rep1, lead.id)]
    assert kinds == ["convert", "status", "contact"]


def test_a_person_without_a_company_becomes_an_individual_customer(team):
    lead = leads.add(team["rep1"], {"name": "陈女士", "phone": "13822223333", "source": "web"})
    with pytest.raises(ValidationError):
        leads.set_status(team["rep1"], lead.id, "disqualified")
    done = leads.convert(team["rep1"], lead.id)
    c = customers.get_customer(team["rep1"], done.customer_id)
    assert c.values["name"] == "陈女士" and c.values["kind"] == "individual" and c.values["mobile"] == "+8613822223333"
    assert c.values["source"] == "web" and c.owner_id == team["rep1"].actor.id


def test_import_leads_then_report_them(team, tmp_path):
    from datetime import date

    from openpyxl import Workbook, load_workbook

    from desktop_crm.core.importing import run_import
    from desktop_crm.core.reporting.builders.params import ReportParams
    from desktop_crm.core.reporting.builders.registry import build, write

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公司", "电话", "邮箱", "来源", "市场活动", "负责人"])
    ws.append(["王经理", "华润物流有限公司", "139 1111 2222", "", "展会", "秋季物流展", ""])
    ws.append(["陈女士", "", "", "chen@example.com", "网络", "", "公海"])
    ws.append(["", "无名公司", "13800000000", "", "", "", ""])
    ws.append(["赵先生", "", "", "", "", "", ""])
    path = tmp_path / "leads.xlsx"
    wb.save(path)
    r = run_import(team["rep1"], "leads", path, skip_invalid=True)
    assert (r.created, r.failed) == (2, 2)
    assert {n: errs for n, errs in r.errors} == {4: {"name": "is required"},
                                                 5: {"phone": "give a phone number or an e-mail address"}}
    again = run_import(team["rep1"], "leads", path, skip_invalid=True)
    assert again.created == 0 and again.skipped == 2
    wang = leads.page(team["rep1"], LeadFilter(search="王经理"))[0]
    assert wang.phone == "13911112222" and wang.source == "exhibition" and wang.owner_id == team["rep1"].actor.id
    assert leads.page(team["rep1"], LeadFilter(pool=True))[0].name == "陈女士"
    leads.convert(team["rep1"], wang.id)
    p = ReportParams(date(date.today().year, 1, 1), date(date.today().year, 12, 31))
    report = build(team["rep1"], "leads", p)
    totals = report.main.totals
    assert (totals["leads"], totals["converted"], totals["rate"]) == (2, 1, 0.5)
    out = write(team["rep1"], report, tmp_path / "report.xlsx")
    values = [c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row
              if c.value is not None]
    assert "Conversion rate" in values and "Exhibition" not in values and "Meeting / exhibition" in values
