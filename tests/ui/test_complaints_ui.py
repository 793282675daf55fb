"""pytest-qt: the intake dialog (look-up as you type, errors by field, register), the complaint page
(allowed moves as buttons, a move through its dialog), the list and the phrasebook."""

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from desktop_crm.core.services import complaint_workflow as wf
from desktop_crm.core.services import complaints, customers


class Nav:
    def __init__(self):
        self.opened, self.notes, self.new = [], [], []

    def notify(self, message):  # noqa: ANN001
        self.notes.append(message)

    def open_complaint(self, cid):  # noqa: ANN001
        self.opened.append(cid)

    def open_customer(self, cid):  # noqa: ANN001
        self.opened.append(("customer", cid))

    def new_complaint(self, prefill=None):  # noqa: ANN001
        self.new.append(prefill)


@pytest.fixture
def setup(team):  # noqa: ANN001, ANN201
    c = customers.create_customer(team["rep1"], {"name": "迅捷物流速运有限公司", "mobile": "13812345678"})
    return team, c


def test_intake_lookup_and_register(qtbot, setup):
    from desktop_crm.ui.complaints.intake import IntakeDialog

    team, cust = setup
    nav = Nav()
    dlg = IntakeDialog(team["rep1"], nav)
    qtbot.addWidget(dlg)
    dlg.save()  # nothing chosen: refused, said under the look-up
    assert dlg.msg_customer.isVisibleTo(dlg) and "customer" in dlg.msg_customer.text().lower()
    qtbot.keyClicks(dlg.lookup, "345678")
    qtbot.waitUntil(lambda: dlg.results.count() > 0, timeout=2000)
    assert "迅捷" in dlg.results.item(0).text()
    qtbot.keyClick(dlg.lookup, Qt.Key_Return)
    assert dlg.customer_id == cust.id
    assert dlg.caller_phone.text().endswith("13812345678")
    dlg.save()  # category and description missing → shown by field
    assert dlg.messages["category"].isVisibleTo(dlg) and dlg.messages["description"].isVisibleTo(dlg)
    assert dlg.saved is None
    dlg.category.setCurrentIndex(dlg.category.findData("delay"))
    dlg.severity.setCurrentIndex(dlg.severity.findData("major"))
    dlg.description.setPlainText("货物延误三天")
    dlg.order_no.setText("YD1")
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    dlg.description.setFocus()
    qtbot.keyClick(dlg.description, Qt.Key_Return, Qt.ControlModifier)
    assert dlg.saved is not None and dlg.saved.number.startswith("TS")
    d = complaints.get(team["rep1"], dlg.saved.id)
    assert (d["category"], d["severity"], d["order_no"], d["channel"]) == ("delay", "major", "YD1", "hotline")
    assert nav.notes and dlg.saved.number in nav.notes[0]


def test_intake_prefill_from_feedback(qtbot, setup):
    from desktop_crm.ui.complaints.intake import IntakeDialog

    team, cust = setup
    intake = complaints.open_from_feedback(team["rep1"], cust.id, "回访反映送货慢", source="visit")
    dlg = IntakeDialog(team["rep1"], Nav(), prefill=intake)
    qtbot.addWidget(dlg)
    assert dlg.customer_id == cust.id and dlg.description.toPlainText() == "回访反映送货慢"
    dlg.category.setCurrentIndex(dlg.category.findData("delay"))
    dlg.save()
    assert complaints.get(team["rep1"], dlg.saved.id)["source"] == "visit"


def test_phrasebook_beside_intake(qtbot, setup):
    from desktop_crm.core import i18n
    from desktop_crm.ui.complaints.intake import IntakeDialog

    team, _cust = setup
    i18n.set_language("zh_CN")
    dlg = IntakeDialog(team["rep1"], Nav())
    qtbot.addWidget(dlg)
    dlg.phrases.buttons["silent_line"].click()
    text = dlg.phrases.text.toPlainText()
    assert "您的电话没有声音" in text and "再不说话我就挂了" in text


def test_page_moves_as_buttons(qtbot, setup):
    from desktop_crm.ui.complaints.move_dialog import MoveDialog
    from desktop_crm.ui.complaints.page import ComplaintPage

    team, cust = setup
    c = complaints.register(team["rep1"], customer_id=cust.id, channel="hotline", category="delay",
                            severity="major", description="x")
    page = ComplaintPage(team["rep1"], Nav(), c.id)
    qtbot.addWidget(page)
    assert list(page.move_buttons) == ["accept"]  # staff: no reject
    sup_page = ComplaintPage(team["sup_sales"], Nav(), c.id)
    qtbot.addWidget(sup_page)
    assert list(sup_page.move_buttons) == ["accept", "reject"]
    wf.move(team["rep1"], c.id, "accepted")
    page.reload()
    assert list(page.move_buttons) == ["process"]
    # the dialog asks for the plan; without it the service's reason shows under the field
    dlg = MoveDialog(team["rep1"], c.id, page.detail.version, wf.MOVES[2], page)
    qtbot.addWidget(dlg)
    dlg.save()
    assert dlg.result() == 0 and dlg.messages["solution_plan"].isVisibleTo(dlg)
    dlg.inputs["solution_plan"].setPlainText("re-deliver")
    dlg.save()
    assert dlg.result() == 1
    page.reload()
    assert page.detail.status == "processing" and list(page.move_buttons) == ["resolve"]
    assert page.timeline.rowCount() == 3
    wf.move(team["rep1"], c.id, "resolved", result="ok", compensation=0)
    page.reload()
    assert list(page.move_buttons) == []  # major: the rep cannot close
    sup_page.reload()
    assert list(sup_page.move_buttons) == ["close", "reopen"]


def test_list_view_overdue_first_and_filters(qtbot, setup):
    from desktop_crm.ui.complaints.view import ComplaintsView

    team, cust = setup
    now = datetime.now()
    fresh = complaints.register(team["rep1"], customer_id=cust.id, channel="hotline", category="delay",
                                severity="normal", description="fresh", received_at=now - timedelta(hours=1))
    late = complaints.register(team["rep1"], customer_id=cust.id, channel="email", category="quality",
                               severity="normal", description="late", received_at=now - timedelta(hours=30))
    nav = Nav()
    view = ComplaintsView(team["rep1"], nav)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 2
    assert view.model.id_at(0) == late.id and view.model.id_at(1) == fresh.id
    assert view.model.data(view.model.index(0, 1)).startswith("overdue")
    view.overdue.setChecked(True)
    assert view.model.rowCount() == 1
    view.overdue.setChecked(False)
    view.search.setText("fresh")
    view.refresh()
    assert view.model.rowCount() == 1 and view.model.id_at(0) == fresh.id
    view.table.selectRow(0)
    view.open_selected()
    assert nav.opened == [fresh.id]
    view.new_complaint()
    assert nav.new == [None]


def test_customer_tab_and_phrasebook_editor(qtbot, setup):
    from desktop_crm.core.services import phrasebook
    from desktop_crm.ui.complaints.customer_tab import complaints_tab
    from desktop_crm.ui.complaints.phrasebook_editor import PhrasebookEditor

    team, cust = setup
    complaints.register(team["rep1"], customer_id=cust.id, channel="hotline", category="delay",
                        severity="normal", description="x")
    title, tab = complaints_tab(team["rep1"], Nav(), cust.id, None)
    qtbot.addWidget(tab)
    assert title == "Complaints" and tab.table.rowCount() == 1
    ed = PhrasebookEditor(team["admin"])
    qtbot.addWidget(ed)
    ed.lang.setCurrentIndex(ed.lang.findData("en"))
    assert ed.table.rowCount() == 10
    ed.table.selectRow(0)
    ed.say.setPlainText("Good morning, {company} hotline, {agent} speaking.")
    ed.save()
    assert phrasebook.phrases(team["rep1"], "en")[0].say.startswith("Good morning")


def test_edit_record_fields(qtbot, setup):
    from decimal import Decimal

    from desktop_crm.ui.complaints.edit_dialog import ComplaintEditDialog

    team, cust = setup
    c = complaints.register(team["rep1"], customer_id=cust.id, channel="hotline", category="damage",
                            severity="normal", description="破损")
    dlg = ComplaintEditDialog(team["rep1"], complaints.get(team["rep1"], c.id))
    qtbot.addWidget(dlg)
    dlg.widgets["claim_amount"].setText("abc")
    dlg.save()
    assert dlg.result() == 0 and dlg.messages["claim_amount"].isVisibleTo(dlg)
    dlg.widgets["claim_amount"].setText("300")
    dlg.widgets["claim_approved"].setText("250.5")
    dlg.widgets["claim_paid_on"].setText("2026-03-09")
    dlg.widgets["root_cause"].setCurrentIndex(dlg.widgets["root_cause"].findData("carrier"))
    dlg.save()
    assert dlg.result() == 1
    d = complaints.get(team["rep1"], c.id)
    assert (d["claim_amount"], d["claim_approved"], d["root_cause"]) == (Decimal("300.00"), Decimal("250.50"),
                                                                        "carrier")
    assert str(d["claim_paid_on"]) == "2026-03-09"
