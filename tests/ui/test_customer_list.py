"""The customer list: search-as-you-type, database sorting, column chooser per desk, filters,
saved filters, apply_filter, selection and bulk actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt

from desktop_crm.core.services import customer_query, customers
from desktop_crm.ui.customers.list_view import CustomerListView
from desktop_crm.ui.tablemodel import ROW_ID_ROLE
from tests.ui.customer_helpers import FakeNav, desk, make_customers  # noqa: F401

WAIT = 2000


def names(view) -> list[str]:  # noqa: ANN001
    col = view.data.columns.index("name")
    return [view.model.index(r, col).data() for r in range(view.model.rowCount())]


def make_view(qtbot, ctx):  # noqa: ANN001, ANN201
    view = CustomerListView(ctx, FakeNav(), None)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    return view


def test_typing_in_the_search_box_filters_the_list(qtbot, team, desk):  # noqa: ANN001, F811
    make_customers(team["manager"])
    view = make_view(qtbot, team["manager"])
    assert view.model.rowCount() == 5
    view.search.insert("张")  # QTest cannot type non-ASCII keys
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT)
    assert names(view) == ["张三"]
    assert "1" in view.count_label.text()
    view.search.clear()
    qtbot.keyClicks(view.search, "zs")  # pinyin initials
    qtbot.waitUntil(lambda: names(view) == ["张三"], timeout=WAIT)
    view.search.setText("138 0013 8004")  # phone with spaces
    qtbot.waitUntil(lambda: names(view) == ["上海东方电气有限公司"], timeout=WAIT)


def test_sorting_by_clicking_a_header_is_done_by_the_database(qtbot, team, desk):  # noqa: ANN001, F811
    make_customers(team["manager"])
    view = make_view(qtbot, team["manager"])
    col = view.data.columns.index("mobile")
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    assert view.data.sort_key == "mobile"
    first = [view.model.index(r, col).data() for r in range(5)]
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    assert view.data.sort_key == "mobile"
    second = [view.model.index(r, col).data() for r in range(5)]
    assert sorted([first, second]) == [sorted(first), sorted(first, reverse=True)]
    header.setSortIndicator(col, Qt.DescendingOrder)
    assert view.data.descending
    mob = [view.model.index(r, col).data() for r in range(5)]
    assert mob == sorted(mob, reverse=True)
    header.setSortIndicator(col, Qt.AscendingOrder)
    assert [view.model.index(r, col).data() for r in range(5)] == sorted(mob)
    # the rows come from customer_query.page in that order
    ids = [view.model.index(r, 0).data(ROW_ID_ROLE) for r in range(5)]
    expected = [r[0] for r in customer_query.page(team["manager"], customer_query.CustomerFilter(),
                                                  columns=["code"], sort="mobile")]
    assert ids == expected


def test_column_chooser_is_remembered_per_desk(qtbot, team, desk):  # noqa: ANN001, F811
    make_customers(team["manager"])
    view = make_view(qtbot, team["manager"])
    assert "email" not in view.data.columns
    view.toggle_column("email")
    view.toggle_column("industry")
    assert "email" in view.data.columns and "industry" not in view.data.columns
    titles = [view.model.headerData(i, Qt.Horizontal) for i in range(view.model.columnCount())]
    assert "Email" in titles
    again = make_view(qtbot, team["manager"])
    assert again.data.columns == view.data.columns
    assert again.model.index(0, again.data.columns.index("email")).data() is not None


def test_filter_panel_combines_conditions(qtbot, team, desk):  # noqa: ANN001, F811
    ids = make_customers(team["manager"])
    customers.set_status(team["manager"], ids[2], "active")
    view = make_view(qtbot, team["manager"])
    view.filter_button.setChecked(True)
    assert view.filter_panel.isVisible()
    view.filter_panel.editors["kind"].set_values(["enterprise"])
    view.filter_panel.editors["city"].setText("北京")
    view.refresh()
    assert names(view) == ["北京华信科技有限公司"]
    view.filter_panel.editors["status"].set_values(["potential"])
    view.refresh()
    assert names(view) == []
    view.filter_panel.clear()
    assert view.model.rowCount() == 5
    # a bad range shows the message under the field instead of failing
    view.filter_panel.editors["created_at"].lo.setText("not a date")
    view.refresh()
    assert view.filter_panel.messages["created_at"].isVisible()
    assert view.filter_error.isVisible()


def test_owner_filter_includes_the_pool(qtbot, team, desk):  # noqa: ANN001, F811
    make_customers(team["manager"], owner="pool")
    customers.create_customer(team["manager"], {"name": "王五"}, owner="rep1")
    view = make_view(qtbot, team["manager"])
    view.apply_filter({"owner": ["pool"]})
    assert view.model.rowCount() == 5
    assert view.filter_panel.isVisible()
    view.apply_filter({"owner": [team["rep1"].actor.id]})
    assert names(view) == ["王五"]


def test_saved_filter_round_trip(qtbot, team, desk):  # noqa: ANN001, F811
    make_customers(team["manager"])
    view = make_view(qtbot, team["manager"])
    view.search.setText("上海")
    view.filter_panel.editors["kind"].set_values(["enterprise"])
    view.refresh()
    assert names(view) == ["上海东方电气有限公司"]
    view.save_current_filter("上海企业")
    assert "上海企业" in customer_query.saved_filters(team["manager"])
    view.search.setText("")
    view.filter_panel.clear()
    assert view.model.rowCount() == 5
    fresh = make_view(qtbot, team["manager"])
    index = fresh.saved.findData("上海企业")
    assert index > 0
    fresh.saved.setCurrentIndex(index)
    fresh.saved.activated.emit(index)
    assert fresh.search.text() == "上海"
    assert names(fresh) == ["上海东方电气有限公司"]
    fresh.delete_filter_button.setEnabled(True)
    customer_query.delete_filter(team["manager"], "上海企业")
    fresh._reload_saved()
    assert fresh.saved.findData("上海企业") < 0


def test_apply_filter_from_reports(qtbot, team, desk):  # noqa: ANN001, F811
    make_customers(team["manager"])
    view = make_view(qtbot, team["manager"])
    view.search.setText("张")
    view.apply_filter({"city": "上海", "kind": ["individual"], "not_a_field": 1})
    assert view.search.text() == ""
    assert names(view) == ["李四"]
    assert "(2 filters)" in view.count_label.text()


def test_selection_double_click_and_enter_open_the_customer(qtbot, team, desk):  # noqa: ANN001, F811
    ids = make_customers(team["manager"])
    view = make_view(qtbot, team["manager"])
    view.table.selectRow(1)
    assert view.selected_ids() == [ids[1]]
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_Return)
    assert view.nav.opened == [ids[1]]
    view.table.selectAll()
    assert sorted(view.selected_ids()) == sorted(ids)


def test_bulk_transfer_and_status(qtbot, team, desk, monkeypatch):  # noqa: ANN001, F811
    ids = make_customers(team["manager"])
    view = make_view(qtbot, team["manager"])
    from desktop_crm.ui.customers import status_dialog, transfer_dialog

    def fake_transfer_exec(self):  # noqa: ANN001, ANN202
        self.to.setCurrentIndex(self.to.findData(team["rep2"].actor.id))
        self.reason.setPlainText("区域调整")
        self.save()
        return self.result()

    def fake_status_exec(self):  # noqa: ANN001, ANN202
        self.status.setCurrentIndex(self.status.findData("target"))
        self.save()
        return self.result()

    monkeypatch.setattr(transfer_dialog.TransferDialog, "exec", fake_transfer_exec)
    monkeypatch.setattr(status_dialog.StatusDialog, "exec", fake_status_exec)
    view.table.selectRow(0)
    view.table.selectionModel().select(view.model.index(2, 0),
                                       QItemSelectionModel.Select | QItemSelectionModel.Rows)
    from desktop_crm.ui.customers import list_actions

    list_actions.transfer_selection(view)
    assert view.nav.messages  # "2 customers transferred."
    view.table.selectRow(0)
    view.table.selectionModel().select(view.model.index(2, 0),
                                       QItemSelectionModel.Select | QItemSelectionModel.Rows)
    list_actions.status_selection(view)
    for cid in (ids[0], ids[2]):
        d = customers.get_customer(team["manager"], cid)
        assert d.owner_id == team["rep2"].actor.id and d["status"] == "target"
    assert customers.get_customer(team["manager"], ids[1])["status"] == "potential"


def test_viewer_sees_no_write_actions(qtbot, team, desk):  # noqa: ANN001, F811
    make_customers(team["manager"])
    view = make_view(qtbot, team["viewer"])
    assert view.model.rowCount() == 5
    assert not view.new_button.isVisible() and not view.transfer_button.isVisible()
    assert not view.status_button.isVisible()


def test_staff_sees_own_and_pool_only(qtbot, team, desk):  # noqa: ANN001, F811
    make_customers(team["rep1"])
    customers.create_customer(team["manager"], {"name": "别人的客户"}, owner="rep3")
    view = make_view(qtbot, team["rep1"])
    assert view.model.rowCount() == 5
    view.search.setText("别人")
    view.refresh()
    assert view.model.rowCount() == 0


def test_ctrl_n_opens_new_customer_when_the_view_has_focus(qtbot, team, desk, monkeypatch):  # noqa: ANN001, F811
    calls = []
    monkeypatch.setattr(CustomerListView, "new_customer", lambda self: calls.append(self))
    view = make_view(qtbot, team["manager"])
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=WAIT)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key_N, Qt.ControlModifier)
    assert calls == [view]


def test_main_window_opens_the_list_and_a_customer_page(qtbot, team, desk):  # noqa: ANN001, F811
    from desktop_crm.ui.main_window import MainWindow

    ids = make_customers(team["manager"])
    win = MainWindow(team["manager"])
    qtbot.addWidget(win)
    view = win.show_view("customers")
    assert isinstance(view, CustomerListView) and view.model.rowCount() == 5
    win.customers_with_filter({"city": "上海"})
    assert view.model.rowCount() == 2
    win.open_customer(ids[0])
    page = win.windows[("customer", ids[0])]
    assert page.isVisible() and page.customer_id == ids[0]
    page.close()
