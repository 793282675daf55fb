"""The handover wizard end to end with pytest-qt."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from desktop_crm.core.services import customers, handover, users, visits


def test_wizard_splits_by_city_and_deactivates(qtbot, team):
    from desktop_crm.ui.visits.handover_wizard import HandoverWizard

    admin, rep1, rep2 = team["admin"], team["rep1"], team["rep2"]
    ids = [customers.create_customer(rep1, {"name": f"交接{i}", "city": city}, allow_duplicates=True).id
           for i, city in enumerate(["上海", "上海", "北京"])]
    visits.plan_visits(rep1, [ids[0]], date.today())
    w = HandoverWizard(admin, user_id=rep1.actor.id)
    qtbot.addWidget(w)
    w.show()
    inv = w.inventory
    assert inv is not None and len(inv.customers) == 3 and inv.planned_visits == 1
    assert w.choose_page.isComplete()
    w.next()
    page = w.split_page
    assert not page.isComplete()
    for i in range(page.targets.count()):
        item = page.targets.item(i)
        if item.data(Qt.UserRole) in (rep2.actor.id, -1):
            item.setCheckState(Qt.Checked)
    page.rule.setCurrentIndex(page.rule.findData("city"))
    page.propose()
    assert page.isComplete()
    owners = {page.table.item(r, 4).text() for r in range(page.table.rowCount())}
    assert owners == {"rep2", "Customer pool"}
    page.rest_to.setCurrentIndex(page.rest_to.findData(rep2.actor.id))
    w.next()
    assert "rep1" in w.confirm_page.text.text()
    assert w.confirm_page.validatePage()
    assert w.result_data.deactivated
    assert sum(w.result_data.moved.values()) == 3
    assert not users.get_user(admin, rep1.actor.id).active
    assert handover.inventory(admin, rep1.actor.id).customers == ()
