from tests.ui.test_dashboard_ui import FakeNav, desk, seed  # noqa
def test_dbg(qtbot, team, desk):
    from desktop_crm.ui.dashboard import notify
    from desktop_crm.ui.dashboard.view import DashboardView
    a, _b = seed(team)
    view = DashboardView(team["rep1"], FakeNav())
    n = view.notifier
    print("allowed", n.allowed, notify.desk_enabled(), n.seen, n.messages, notify.desk_settings().fileName())
    assert 0
