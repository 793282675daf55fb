"""Login, the main window and the administration screens with real widgets (offscreen)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop_crm.core import i18n
from desktop_crm.core.services import users
from desktop_crm.ui.launch import Opener
from desktop_crm.ui.login import LoginDialog
from desktop_crm.ui.main_window import MainWindow
from tests.conftest import PASSWORD


def _login(qtbot, db_url):  # noqa: ANN001, ANN202
    opener = Opener(db_url, demo=False).start()
    dialog = LoginDialog(opener)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: opener.ready.is_set(), timeout=20000)
    dialog._check_ready()
    return dialog, opener


def test_first_run_creates_the_administrator(qtbot, db_url):
    dialog, opener = _login(qtbot, db_url)
    assert dialog.first_run and dialog.confirm.isVisible() is False or dialog.first_run
    dialog.user.setText("boss")
    dialog.password.setText("long-enough-1")
    dialog.confirm.setText("different-1")
    dialog.submit()
    assert "do not match" in dialog.error.text()
    dialog.confirm.setText("long-enough-1")
    dialog.submit()
    assert dialog.ctx is not None and dialog.ctx.actor.role == "admin"
    opener.result.db.dispose()


def test_first_run_with_demo_shows_its_progress_and_logs_in_to_a_living_business(qtbot, db_url):
    opener = Opener(db_url, demo=True).start()
    dialog = LoginDialog(opener)
    qtbot.addWidget(dialog)
    dialog.show()
    seen = []

    def progress_shown() -> bool:
        if dialog.busy.isVisible():
            seen.append(dialog.info.text())
        return bool(seen)

    qtbot.waitUntil(progress_shown, timeout=20000)
    assert "demo business" in seen[0]
    qtbot.waitUntil(lambda: opener.ready.is_set(), timeout=60000)
    dialog._check_ready()
    assert not dialog.busy.isVisible() and opener.error is None
    assert dialog.user.text() == "admin" and dialog.password.text()
    dialog.submit()
    from desktop_crm.core.services import dashboard

    assert all(f.value > 0 for f in dashboard.load(dialog.ctx).figures)
    opener.result.db.dispose()


def test_wrong_password_is_refused_with_a_message(qtbot, db_url, admin):
    dialog, opener = _login(qtbot, db_url)
    assert not dialog.first_run
    dialog.user.setText("admin")
    dialog.password.setText("wrong-password")
    dialog.submit()
    assert dialog.ctx is None and "Wrong user name or password" in dialog.error.text()
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.ctx.actor.username == "admin"
    opener.result.db.dispose()


def test_main_window_views_and_shortcuts(qtbot, team, tmp_path):
    window = MainWindow(team["admin"])
    qtbot.addWidget(window)
    window.show()
    window.after_login()
    keys = [s.key for s in window.specs]
    assert "customers" in keys and "admin" in keys
    def press(seq: str) -> None:  # the window's action bound to that key sequence (offscreen has no focus)
        [act] = [a for a in window.actions() if a.shortcut().toString() == seq]
        act.trigger()

    press("Ctrl+9")
    assert window.current_view() is window.views["admin"]
    press("Ctrl+2")
    assert window.current_view() is window.views["customers"]
    press("Ctrl+9")
    admin_view = window.current_view()
    assert admin_view is window.views["admin"]
    assert admin_view.users.table.rowCount() == 8
    window.grab().save(str(tmp_path / "main_admin.png"))
    staff = MainWindow(team["rep1"])
    qtbot.addWidget(staff)
    assert "admin" not in [s.key for s in staff.specs]


def test_admin_creates_and_deactivates_a_user(qtbot, team, monkeypatch):
    from desktop_crm.ui.admin.user_dialogs import DeactivateDialog, UserDialog

    dialog = UserDialog(team["admin"], None)
    qtbot.addWidget(dialog)
    dialog.username.setText("newbie")
    dialog.password.setText("short")
    dialog.save()
    assert "Password" in dialog.error.text()
    dialog.password.setText("long-enough-1")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    view = [u for u in users.list_users(team["admin"]) if u.username == "newbie"][0]
    deact = DeactivateDialog(team["admin"], view)
    qtbot.addWidget(deact)
    deact.save()
    assert not [u for u in users.list_users(team["admin"]) if u.username == "newbie"][0].active


def test_settings_dialog_saves_business_settings(qtbot, team):
    from desktop_crm.core.services import settings
    from desktop_crm.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(team["admin"])
    qtbot.addWidget(dialog)
    dialog.editors["company_name"].setText("迅捷物流速运")
    dialog.editors["pool_claim_daily_limit"].setValue(15)
    dialog.save()
    assert settings.get(team["admin"], "company_name") == "迅捷物流速运"
    assert settings.get(team["admin"], "pool_claim_daily_limit") == 15
    staff = SettingsDialog(team["rep1"])
    qtbot.addWidget(staff)
    assert staff.editors == {}


def test_chinese_labels(qtbot, team):
    i18n.set_language("zh_CN")
    window = MainWindow(team["admin"])
    qtbot.addWidget(window)
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert any(t.startswith("客户") for t in titles)
    assert window.menuBar().actions()[0].text() == "文件(&F)"
