"""The leads view with real widgets: the list and the lead pool, the form's errors by field, a contact,
and the conversion that offers the archive's likely duplicate."""

from __future__ import annotations

from desktop_crm.core.leads import service as leads
from desktop_crm.core.services import customers, interactions


class Nav:
    def __init__(self):
        self.notes, self.opened = [], []

    def notify(self, message):  # noqa: ANN001
        self.notes.append(message)

    def open_customer(self, cid):  # noqa: ANN001
        self.opened.append(cid)


def test_leads_view_form_contact_and_conversion(qtbot, team, tmp_path):
    from desktop_crm.ui.leads.dialogs import ContactDialog, ConvertDialog, LeadDialog
    from desktop_crm.ui.leads.view import LeadsView

    rep1 = team["rep1"]
    leads.add(team["admin"], {"name": "李女士", "phone": "13700001111"}, owner_id=None)
    existing = customers.create_customer(rep1, {"name": "华润物流有限公司"})
    view = LeadsView(rep1, Nav())
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    assert view.model.rowCount() == 1 and view.count_label.text() == "1 leads"
    form = LeadDialog(rep1, None, view)
    qtbot.addWidget(form)
    form.save()
    assert "Name: is required" in form.error.text() and "Phone" in form.error.text()
    form.fields["name"].setText("王经理")
    form.fields["company"].setText("华润物流有限公司")
    form.fields["phone"].setText("139 1111 2222")
    form.save()
    assert form.result() == 1
    view.refresh()
    assert view.model.rowCount() == 2
    view.table.selectRow(0)
    lead = view.current()
    assert lead.name == "王经理"
    contact = ContactDialog(rep1, lead, view)
    qtbot.addWidget(contact)
    contact.summary.setPlainText("介绍冷链线路")
    contact.save()
    view.refresh()
    view.table.selectRow(0)
    assert view.history.rowCount() == 1 and "介绍冷链线路" in view.history.item(0, 3).text()
    view.grab().save(str(tmp_path / "leads.png"))
    convert = ConvertDialog(rep1, view.current(), view)
    qtbot.addWidget(convert)
    assert len(convert.existing) == 1  # the archive's 华润物流有限公司
    convert.existing[0][0].setChecked(True)
    convert.opportunity.setText("abc")
    convert.save()
    assert convert.result() == 0 and "Amount" in convert.error.text()
    convert.opportunity.setText("50000")
    convert.save()
    assert convert.result() == 1 and convert.saved.customer_id == existing.id
    assert interactions.list_for_customer(rep1, existing.id)[0].summary == "介绍冷链线路"
    # the pool's lead is taken with one click
    view.pool.setChecked(True)
    view.status.setCurrentIndex(view.status.count() - 1)
    view.table.selectRow(0)
    assert view.current().name == "李女士"
    view.claim()
    assert leads.page(rep1, leads.LeadFilter(pool=True)) == []
    assert [v.owner_id for v in leads.page(rep1, leads.LeadFilter(search="李女士"))] == [rep1.actor.id]
