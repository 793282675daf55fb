"""An interaction on the customer's timeline opens the complaint intake prefilled (issue 3/4)."""

from desktop_crm.core.services import customers, interactions
from desktop_crm.ui.visits.timeline_tab import TimelineTab
from tests.ui.customer_helpers import FakeNav


class Nav(FakeNav):
    def __init__(self) -> None:
        super().__init__()
        self.prefills: list[dict] = []

    def new_complaint(self, prefill: dict | None = None) -> None:
        self.prefills.append(prefill or {})


def test_interaction_opens_a_prefilled_complaint(qtbot, team):
    rep = team["rep1"]
    c = customers.create_customer(rep, {"name": "回访投诉公司"})
    interactions.log_interaction(rep, c.id, channel="phone", summary="客户抱怨送货延误三天")
    nav = Nav()
    tab = TimelineTab(rep, nav, c.id)
    qtbot.addWidget(tab)
    assert not tab.complaint_button.isEnabled()
    row = [i for i, e in enumerate(tab.entries) if e.kind == "interaction"][0]
    tab.table.selectRow(row)
    assert tab.complaint_button.isEnabled()
    tab.complaint_from_interaction()
    [prefill] = nav.prefills
    assert prefill["customer_id"] == c.id and "送货延误" in prefill["description"]
    status_row = [i for i, e in enumerate(tab.entries) if e.kind != "interaction"][0]
    tab.table.selectRow(status_row)
    assert not tab.complaint_button.isEnabled()
