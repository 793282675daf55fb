"""Backups page, audit log viewer, the menu entry for managers, start-up warnings in the login window."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_crm.core.services import customers, safety
from desktop_crm.core.services.customer_query import CustomerFilter, ids
from desktop_crm.ui import tasks
from desktop_crm.ui.admin.audit_page import AuditPage
from desktop_crm.ui.admin.backup_page import BackupPage
from desktop_crm.ui.launch import Opener
from desktop_crm.ui.login import LoginDialog

SHOTS = os.environ.get("CRM_SCREENSHOTS")  # a folder: save PNGs of the pages to look at


def _shot(widget, name: str) -> None:  # noqa: ANN001
    if SHOTS:
        widget.resize(1100, 600)
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def test_backup_page_backs_up_and_restores_with_confirmation(qtbot, team, monkeypatch, tmp_path):
    admin = team["admin"]
    customers.create_customer(admin, {"name": "备份前"})
    page = BackupPage(admin, None)
    qtbot.addWidget(page)
    before = page.table.rowCount()
    page.back_up()
    tasks.wait_idle()
    qtbot.waitUntil(lambda: page.table.rowCount() == before + 1, timeout=20000)
    assert "checked" in page.status.text()
    newest = page.rows[0].path
    customers.create_customer(admin, {"name": "备份后"})
    monkeypatch.setattr(page, "confirm", lambda path: QMessageBox.Cancel)
    page.restore(newest)
    assert len(ids(admin, CustomerFilter())) == 2  # cancelled: nothing changed
    monkeypatch.setattr(page, "confirm", lambda path: QMessageBox.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.Ok)
    page.restore(newest)
    tasks.wait_idle()
    qtbot.waitUntil(lambda: any(r.reason == "before-restore" for r in page.rows), timeout=20000)
    assert len(ids(admin, CustomerFilter())) == 1
    _shot(page, "backup_page_en")


def test_audit_page_filters_exports_and_verifies(qtbot, team, tmp_path, monkeypatch):
    manager = team["manager"]
    customers.create_customer(team["rep1"], {"name": "审计客户", "notes": "=HYPERLINK(\"x\")"})
    page = AuditPage(manager)
    qtbot.addWidget(page)
    assert page.table.rowCount() > 0
    page.user.setCurrentIndex(page.user.findData("rep1"))
    page.refresh()
    users = {page.table.item(i, 2).text() for i in range(page.table.rowCount())}
    assert users == {"rep1"}
    page.text.setText("审计客户")
    page.refresh()
    assert page.table.rowCount() >= 1
    out = tmp_path / "audit.xlsx"
    monkeypatch.setattr("desktop_crm.ui.admin.audit_page.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(out), ""))
    page.export()
    tasks.wait_idle()
    qtbot.waitUntil(out.exists, timeout=20000)
    page.verify()
    tasks.wait_idle()
    qtbot.waitUntil(lambda: "intact" in page.chain.text(), timeout=20000)
    _shot(page, "audit_page_en")


def test_staff_cannot_open_the_audit_log(team):
    from desktop_crm.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        AuditPage(team["rep1"])


def test_managers_reach_the_audit_log_from_the_menu(qtbot, team):
    from desktop_crm.ui.main_window import MainWindow

    for role, has in (("manager", True), ("viewer", True), ("rep1", False), ("sup_sales", False)):
        window = MainWindow(team[role])
        qtbot.addWidget(window)
        texts = [a.text() for a in window.file_menu.actions()]
        assert ("Audit log…" in texts) is has, role


def test_admin_view_has_the_backup_and_audit_tabs(qtbot, team):
    from desktop_crm.ui.admin.view import AdminView

    view = AdminView(team["admin"], None)
    qtbot.addWidget(view)
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "Backups" in titles and "Audit log" in titles


def _login(qtbot, url):  # noqa: ANN001, ANN202
    opener = Opener(url, demo=False).start()
    dialog = LoginDialog(opener)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: opener.ready.is_set(), timeout=20000)
    qtbot.wait(120)
    return dialog


@pytest.mark.sqlite_only
def test_login_shows_a_damaged_file_with_the_way_back(qtbot, tmp_path):
    path = tmp_path / "crm.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    dialog = _login(qtbot, f"sqlite:///{path}")
    text = dialog.info.text()
    assert "damaged" in text and "desktop-crm restore" in text and "Traceback" not in text
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    _shot(dialog, "login_damaged_en")


@pytest.mark.sqlite_only
def test_login_warns_about_a_network_share(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "is_network_path", lambda p: True)
    dialog = _login(qtbot, f"sqlite:///{tmp_path / 'crm.sqlite3'}")
    assert "network share" in dialog.warning.text() and "PostgreSQL" in dialog.warning.text()
    _shot(dialog, "login_share_en")
