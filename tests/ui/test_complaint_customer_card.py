"""A service rep opening "Customer…" from a complaint about another rep's customer sees what the
complaint needs (name, contacts, the complaints they may see) — never nothing and a traceback."""

from __future__ import annotations

from desktop_crm.core.services import complaints, complaints_query, contacts, customers
from desktop_crm.ui.complaints import customer_card
from desktop_crm.ui.complaints.page import ComplaintPage
from tests.ui.customer_helpers import FakeNav


def test_the_complaint_page_shows_the_customer_card_to_a_service_rep(qtbot, team, monkeypatch, capsys):
    rep1, rep3 = team["rep1"], team["rep3"]
    c = customers.create_customer(rep1, {"name": "销售的客户有限公司", "mobile": "13800138000"})
    contacts.save_contact(rep1, c.id, {"name": "王经理", "mobile": "13900139000"})
    d = complaints.register(rep3, customer_id=c.id, channel="hotline", category="delay", severity="normal",
                            description="货到晚了")
    card = complaints_query.customer_card(rep3, d.id)
    assert not card.full_access and card.name == "销售的客户有限公司" and card.owner
    assert [n for n, _t, _p in card.contacts] == ["王经理"] and [x[1] for x in card.complaints] == [d.number]
    assert complaints_query.customer_card(rep1, d.id).full_access
    shown = []
    monkeypatch.setattr(customer_card.CustomerCardDialog, "exec", lambda self: shown.append(self) or 0)
    nav = FakeNav()
    page = ComplaintPage(rep3, nav, d.id)
    qtbot.addWidget(page)
    page.open_customer()
    [dialog] = shown
    assert "销售的客户有限公司" in dialog.windowTitle() and dialog.contacts.rowCount() == 1
    assert "139 0013 9000" in dialog.contacts.item(0, 2).text()  # the one phone form
    assert dialog.history.rowCount() == 1
    assert "Traceback" not in capsys.readouterr().err


def test_the_command_line_registers_a_call_about_any_customer_as_the_app_does(team, db_url, capsys):
    from desktop_crm.cli import main

    c = customers.create_customer(team["rep1"], {"name": "另一个销售的客户"})
    code = main(["--db", db_url, "--user", "rep3", "complaint", "add", "--customer", c.code, "--channel", "hotline",
                 "--category", "delay", "--severity", "normal", "--description", "电话投诉"])
    out = capsys.readouterr()
    assert code == 0 and out.out.startswith("TS"), out.err
    code = main(["--db", db_url, "--user", "viewer", "complaint", "add", "--customer", c.code, "--channel", "hotline",
                 "--category", "delay", "--severity", "normal", "--description", "x"])
    assert code == 1  # viewers register nothing
