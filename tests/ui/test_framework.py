"""The shared lazy table model and the background-task helper."""

import time

from PySide6.QtCore import Qt

from desktop_crm.core.errors import Cancelled, ValidationError
from desktop_crm.core.services import customer_query, customers
from desktop_crm.core.services.customer_query import CustomerFilter
from desktop_crm.ui import tasks
from desktop_crm.ui.tablemodel import ROW_ID_ROLE, LazyTableModel, ListColumn, ListSource


def _customer_source(ctx, flt):  # noqa: ANN001, ANN202
    cols = ["code", "name", "city"]
    return ListSource(
        columns=[ListColumn(k, k) for k in cols],
        count=lambda: customer_query.count(ctx, flt),
        fetch=lambda off, lim, key, desc: customer_query.page(ctx, flt, columns=cols, sort=key or "code",
                                                              descending=desc, offset=off, limit=lim),
        display=lambda k, v: "" if v is None else str(v),
    )


def test_lazy_model_pages_and_sorts_through_the_database(qtbot, team):
    mgr = team["manager"]
    for i in range(25):
        customers.create_customer(mgr, {"name": f"客户{i:02d}", "city": "上海" if i % 2 else "北京"},
                                  owner=None, allow_duplicates=True)
    fetched = []
    source = _customer_source(mgr, CustomerFilter())
    real_fetch = source.fetch
    source.fetch = lambda *a: fetched.append(a[0]) or real_fetch(*a)
    model = LazyTableModel(source, page_size=10)
    assert model.rowCount() == 25 and model.columnCount() == 3
    assert model.data(model.index(0, 0)) == "C000001"
    assert model.data(model.index(24, 1)) == "客户24"
    assert fetched == [0, 20]  # only the pages shown were read
    model.sort(1, Qt.DescendingOrder)
    assert model.data(model.index(0, 1)) == "客户24"
    assert isinstance(model.data(model.index(3, 0), ROW_ID_ROLE), int)
    model.set_source(_customer_source(mgr, CustomerFilter(fields={"city": "上海"})))
    assert model.rowCount() == 12


def test_run_task_reports_result_progress_and_errors(qtbot):
    results, errors = [], []

    def work(progress):  # noqa: ANN001, ANN202
        for i in range(5):
            progress.step(i, 5)
        return 42

    tasks.run_task(None, "t", work, results.append, errors.append, show_dialog=False)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)

    def bad(progress):  # noqa: ANN001, ANN202
        raise ValidationError({"name": "is required"})

    tasks.run_task(None, "t", bad, results.append, errors.append, show_dialog=False)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], ValidationError)


def test_cancel_stops_the_work(qtbot):
    errors = []

    def slow(progress):  # noqa: ANN001, ANN202
        for _ in range(500):
            if progress.cancelled():
                raise Cancelled()
            time.sleep(0.01)
        return "finished"

    task = tasks.run_task(None, "slow", slow, lambda r: errors.append(r), errors.append)
    task.progress.cancel()
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], Cancelled)
