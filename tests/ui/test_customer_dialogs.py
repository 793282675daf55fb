"""Create/edit customer dialog: inline validation, warnings, duplicates, version conflicts;
the status, transfer, contact, pin-grade and merge dialogs."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop_crm.core.models import Customer
from desktop_crm.core.services import contacts, customer_history, customers, transfers
from desktop_crm.ui.customers.contact_dialog import ContactDialog
from desktop_crm.ui.customers.edit_dialog import CustomerDialog
from desktop_crm.ui.customers.grade_dialog import PinGradeDialog
from desktop_crm.ui.customers.merge_dialog import MergeDialog
from desktop_crm.ui.customers.status_dialog import StatusDialog
from desktop_crm.ui.customers.transfer_dialog import TransferDialog
from tests.ui.customer_helpers import FakeNav, desk, make_customers  # noqa: F401


def count_customers(db) -> int:  # noqa: ANN001
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Customer))


def new_dialog(qtbot, ctx, customer_id=None, nav=None) -> CustomerDialog:  # noqa: ANN001
    d = CustomerDialog(ctx, customer_id, nav=nav or FakeNav())
    qtbot.addWidget(d)
    return d


def test_bad_phone_shows_the_message_under_the_field_and_saves_nothing(qtbot, team):  # noqa: ANN001
    d = new_dialog(qtbot, team["rep1"])
    d.show()
    d.editor("name").set_value("张三")
    d.editor("mobile").set_value("12345")
    d.tabs.setCurrentIndex(2)
    assert d.save() is False
    msg = d.message_label("mobile")
    assert msg.isVisible() and "12345" in msg.text()
    assert d.tabs.currentIndex() == 0  # switched to the tab with the error
    assert "correct" in d.error.text()
    assert count_customers(team["rep1"].db) == 0
    assert d.result() == 0


def test_required_name_and_inline_check_on_leaving_a_field(qtbot, team):  # noqa: ANN001
    d = new_dialog(qtbot, team["rep1"])
    d.show()
    assert d.save() is False
    assert d.message_label("name").text() == "is required"
    d.editor("email").set_value("not-an-email")
    d.check_field("email")
    assert d.message_label("email").isVisible()
    d.editor("email").set_value("a@example.com")
    d.check_field("email")
    assert not d.message_label("email").isVisible()


def test_create_customer_with_owner_and_status(qtbot, team):  # noqa: ANN001
    d = new_dialog(qtbot, team["sup_sales"])
    d.editor("name").set_value("北京华信科技有限公司")
    d.editor("mobile").set_value("138 0013 8000")
    d.editor("city").set_value("北京")
    d.editor("tags").set_value("VIP, 电气")
    d.status.setCurrentIndex(d.status.findData("target"))
    d.owner.setCurrentIndex(d.owner.findData(team["rep1"].actor.id))
    assert d.save() is True
    saved = customers.get_customer(team["manager"], d.saved.id)
    assert saved["mobile"] == "+8613800138000" and saved["status"] == "target"
    assert saved.owner_id == team["rep1"].actor.id and saved["tags"] == ",VIP,电气,"


def test_owner_outside_the_team_is_shown_under_owner(qtbot, team):  # noqa: ANN001
    d = new_dialog(qtbot, team["sup_sales"])
    d.show()
    d.editor("name").set_value("某客户")
    d.owner.setCurrentIndex(d.owner.findData(team["rep3"].actor.id))
    assert d.save() is False
    assert d.message_label("owner").isVisible()
    assert count_customers(team["manager"].db) == 0


def test_uscc_check_digit_is_a_warning(qtbot, team, monkeypatch):  # noqa: ANN001
    told = []
    monkeypatch.setattr(CustomerDialog, "tell_warnings", lambda self, text: told.append(text))
    d = new_dialog(qtbot, team["manager"])
    d.editor("name").set_value("某某有限公司")
    d.editor("credit_code").set_value("91110108MA01ABCD20")
    d.check_field("credit_code")
    assert "check digit" in d.message_label("credit_code").text()
    assert d.save() is True
    assert told and "check digit" in told[0]
    assert customers.get_customer(team["manager"], d.saved.id)["credit_code"] == "91110108MA01ABCD20"


def test_duplicate_warning_save_anyway_or_open_existing(qtbot, team, monkeypatch):  # noqa: ANN001
    first = customers.create_customer(team["manager"], {"name": "张三", "mobile": "13800138000"})
    choice = {}

    class Fake:
        def __init__(self, matches):  # noqa: ANN001
            self.matches = matches
            self.choice, self.chosen_id = choice["what"], matches[0]["id"]

    monkeypatch.setattr(CustomerDialog, "duplicate_dialog", lambda self, matches: Fake(matches))
    nav = FakeNav()
    choice["what"] = "open"
    d = new_dialog(qtbot, team["manager"], nav=nav)
    d.editor("name").set_value("张 三")
    d.editor("mobile").set_value("13800138000")
    assert d.save() is False
    assert nav.opened == [first.id] and count_customers(team["manager"].db) == 1
    choice["what"] = "save"
    d = new_dialog(qtbot, team["manager"], nav=nav)
    d.editor("name").set_value("张三")
    assert d.save() is True
    assert count_customers(team["manager"].db) == 2


def test_edit_customer(qtbot, team):  # noqa: ANN001
    c = customers.create_customer(team["manager"], {"name": "张三", "city": "北京"})
    d = new_dialog(qtbot, team["manager"], c.id)
    assert d.editor("city").value() == "北京"
    assert d.findChild(type(d.error), "code_label").text() == c.code
    d.editor("city").set_value("上海")
    d.editor("birthday").set_value("1990-05-01")
    assert d.save() is True
    after = customers.get_customer(team["manager"], c.id)
    assert after["city"] == "上海" and str(after["birthday"]) == "1990-05-01"
    assert after.version > c.version


def test_conflict_on_stale_version_offers_reload(qtbot, team, monkeypatch):  # noqa: ANN001
    c = customers.create_customer(team["manager"], {"name": "张三", "city": "北京"})
    d = new_dialog(qtbot, team["manager"], c.id)
    customers.update_customer(team["admin"], c.id, {"city": "广州"}, expected_version=c.version)
    asked = []
    monkeypatch.setattr(CustomerDialog, "ask_reload", lambda self, message: asked.append(message) or True)
    d.editor("city").set_value("上海")
    assert d.save() is False
    assert asked and "Reload" in asked[0]
    assert customers.get_customer(team["manager"], c.id)["city"] == "广州"
    assert d.editor("city").value() == "广州"  # reloaded
    d.editor("city").set_value("上海")
    assert d.save() is True
    assert customers.get_customer(team["manager"], c.id)["city"] == "上海"


def test_status_change_requires_a_reason_for_lost(qtbot, team):  # noqa: ANN001
    c = customers.create_customer(team["manager"], {"name": "张三"})
    d = StatusDialog(team["manager"], [c.id], "potential")
    qtbot.addWidget(d)
    d.status.setCurrentIndex(d.status.findData("lost"))
    d.save()
    assert d.reason_hint.text() and d.result() == 0
    assert customers.get_customer(team["manager"], c.id)["status"] == "potential"
    d.reason.setPlainText("价格原因")
    d.save()
    assert d.result() == 1
    history = customer_history.status_history(team["manager"], c.id)
    assert history[0].status == "lost" and history[0].reason == "价格原因"


def test_back_dated_status_change(qtbot, team):  # noqa: ANN001
    from PySide6.QtCore import QDateTime

    c = customers.create_customer(team["manager"], {"name": "张三"})
    d = StatusDialog(team["manager"], [c.id], "potential")
    qtbot.addWidget(d)
    d.status.setCurrentIndex(d.status.findData("target"))
    d.backdate.setChecked(True)
    d.at.setDateTime(QDateTime.currentDateTime().addDays(-1))
    d.save()
    assert d.result() == 1
    history = customer_history.status_history(team["manager"], c.id)
    target = [h for h in history if h.status == "target"][0]
    created = [h for h in history if h.status == "potential"][0]
    assert target.at < created.at
    # the current status is the latest entry by time: the back-dated change is history only
    assert customers.get_customer(team["manager"], c.id)["status"] == "potential"


def test_transfer_dialog_needs_a_reason_and_moves_to_pool(qtbot, team):  # noqa: ANN001
    ids = make_customers(team["manager"], owner="rep1")
    d = TransferDialog(team["sup_sales"], ids[:2])
    qtbot.addWidget(d)
    d.to.setCurrentIndex(d.to.findData("pool"))
    d.save()
    assert d.reason_error.text() and d.result() == 0
    d.reason.setPlainText("离职交接")
    d.save()
    assert d.result() == 1 and d.moved == 2
    assert customers.get_customer(team["manager"], ids[0]).owner_id is None
    assert transfers.history(team["manager"], ids[0])[0].reason == "离职交接"


def test_transfer_outside_the_team_is_refused(qtbot, team):  # noqa: ANN001
    ids = make_customers(team["manager"], owner="rep1")
    d = TransferDialog(team["sup_sales"], ids[:1])
    qtbot.addWidget(d)
    d.to.setCurrentIndex(d.to.findData(team["rep3"].actor.id))
    d.reason.setPlainText("x")
    d.save()
    assert d.result() == 0 and d.error.text()
    assert customers.get_customer(team["manager"], ids[0]).owner_id == team["rep1"].actor.id


def test_contact_dialog_validates_and_saves(qtbot, team):  # noqa: ANN001
    c = customers.create_customer(team["manager"], {"name": "北京华信科技有限公司"})
    d = ContactDialog(team["manager"], c.id)
    qtbot.addWidget(d)
    d.form.editors["name"].set_value("王经理")
    d.form.editors["mobile"].set_value("123")
    d.save()
    assert d.form.messages["mobile"].text() and d.result() == 0
    assert contacts.list_contacts(team["manager"], c.id) == []
    d.form.editors["mobile"].set_value("13900139000")
    d.form.editors["is_primary"].set_value(True)
    d.save()
    assert d.result() == 1
    saved = contacts.list_contacts(team["manager"], c.id)[0]
    assert saved["mobile"] == "+8613900139000" and saved["is_primary"] is True
    e = ContactDialog(team["manager"], c.id, saved)
    qtbot.addWidget(e)
    assert e.form.editors["name"].value() == "王经理"
    e.form.editors["title"].set_value("采购经理")
    e.save()
    assert contacts.list_contacts(team["manager"], c.id)[0]["title"] == "采购经理"


def test_pin_grade_needs_a_note(qtbot, team):  # noqa: ANN001
    c = customers.create_customer(team["manager"], {"name": "张三"})
    d = PinGradeDialog(team["manager"], customers.get_customer(team["manager"], c.id))
    qtbot.addWidget(d)
    d.grade.setCurrentIndex(d.grade.findData("key_important"))
    d.save()
    assert d.note_error.text() and d.result() == 0
    d.note.setPlainText("集团战略客户")
    d.save()
    after = customers.get_customer(team["manager"], c.id)
    assert after["grade"] == "key_important" and after["grade_pinned"]


def test_merge_dialog_search_preview_and_merge(qtbot, team):  # noqa: ANN001
    keep = customers.create_customer(team["manager"], {"name": "北京华信科技有限公司"})
    other = customers.create_customer(team["manager"], {"name": "华信科技（北京）", "city": "北京"},
                                      allow_duplicates=True)
    contacts.save_contact(team["manager"], other.id, {"name": "王经理"})
    d = MergeDialog(team["manager"], keep.id)
    qtbot.addWidget(d)
    d.search.setText("华信")
    d.find()
    found = [d.results.item(i).data(0x0100) for i in range(d.results.count())]
    assert found == [other.id]  # never the kept customer itself
    d.results.setCurrentRow(0)
    assert d.merge_button.isEnabled()
    assert "王经理" not in d.preview.toPlainText() and "1" in d.preview.toPlainText()
    assert d.do_merge() is True
    assert [c["name"] for c in contacts.list_contacts(team["manager"], keep.id)] == ["王经理"]
    assert customers.get_customer(team["manager"], keep.id)["city"] == "北京"
    assert count_customers(team["manager"].db) == 1


def test_merge_refused_for_supervisors(qtbot, team):  # noqa: ANN001
    a = customers.create_customer(team["manager"], {"name": "甲"}, owner="pool")
    b = customers.create_customer(team["manager"], {"name": "乙"}, owner="pool")
    d = MergeDialog(team["sup_sales"], a.id)
    qtbot.addWidget(d)
    d.choose(b.id)
    assert d.do_merge() is False and d.error.text()
    assert count_customers(team["manager"].db) == 2
