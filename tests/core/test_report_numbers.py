"""Numbers that add up: churn's months, total and list reconcile on the report; satisfaction per
grade uses the grade at the start of the period; new customers count for their owner; customers
without sales are not ranked."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from desktop_crm.core.reporting.builders import registry
from desktop_crm.core.reporting.builders.params import ReportParams
from desktop_crm.core.services import customers, grading, orders, transfers

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _report(ctx, name: str, d0: date = YEAR[0], d1: date = YEAR[1], **kw) -> dict:  # noqa: ANN001
    return registry.build(ctx, name, ReportParams(d0, d1, **kw)).to_dict()


def _customer(ctx, name: str, path: list[tuple[str, datetime | None]]) -> int:  # noqa: ANN001
    """A customer of the pool with this status history (at None: now)."""
    c = customers.create_customer(ctx, {"name": name}, owner=None)
    for status, at in path:
        customers.set_status(ctx, c.id, status, at=at, reason="测试" if status == "lost" else None)
    return c.id


def test_churn_months_total_and_list_are_reconciled_on_the_report(admin):
    d = datetime
    _customer(admin, "期初现实后流失", [("active", d(2025, 5, 1)), ("lost", d(2026, 3, 10))])
    _customer(admin, "期中成交后流失", [("active", d(2026, 2, 1)), ("lost", d(2026, 6, 5))])
    _customer(admin, "挽回后再流失", [("active", d(2025, 6, 1)), ("lost", d(2026, 2, 2)), ("active", d(2026, 4, 1)),
                                      ("lost", d(2026, 8, 3))])
    _customer(admin, "意向直接流失", [("target", d(2025, 9, 1)), ("lost", d(2026, 5, 1))])
    _customer(admin, "一直现实", [("active", d(2025, 1, 1))])
    data = _report(admin, "churn")
    listed = data["sections"]["lost_customers"]["rows"]
    monthly = sum(r["lost"] for r in data["rows"])
    total = data["totals"]["lost"]
    assert (len(listed), monthly, total) == (5, 4, 2)  # they differ, and the report says why, with these numbers
    assert sum(1 for r in listed if r["counted"]) == 2  # the ones the total counts are marked
    note = data["notes"][0]
    assert "5 times" in note and "2 of these" in note and "4 in all" in note
    assert data["totals"]["month"] == "Whole period"


def test_satisfaction_per_grade_uses_the_grade_at_the_start_and_adds_up(admin):
    start = datetime(2025, 3, 1)
    big = _customer(admin, "大客户", [("active", start)])
    small = _customer(admin, "小客户", [("active", start)])
    for cid, no, amount in ((big, "B1", "90000"), (small, "S1", "100")):
        orders.create_order(admin, cid, {"order_no": no, "date": date(2025, 6, 1), "amount": Decimal(amount)})
    customers.set_status(admin, big, "lost", at=datetime(2026, 5, 1), reason="价格")
    grading.recompute(admin, date(2026, 11, 30))  # today the lost customer has no grade any more
    data = _report(admin, "satisfaction")
    by_grade = {r["group"]: r for r in data["rows"]}
    assert by_grade["key_important"]["active_at_start"] == 1 and by_grade["key_important"]["churn_rate"] == 1.0
    assert data["totals"]["active_at_start"] == 2
    for key in ("active_at_start", "orders", "complaints", "scores"):
        assert sum(r[key] for r in data["rows"]) == data["totals"][key], key


def test_new_customers_count_for_their_owner_at_creation_not_the_importer(team):
    admin, rep1, rep2 = team["admin"], team["rep1"], team["rep2"]
    c = customers.create_customer(admin, {"name": "导入的客户"}, owner=rep1.actor.id)  # entered by the administrator
    transfers.transfer(admin, [c.id], rep2.actor.id, "交接")  # later handed over: still rep1's new customer
    today = date.today()
    data = _report(admin, "staff", today.replace(month=1, day=1), today.replace(month=12, day=31))
    new = {r["user"]: r["new_customers"] for r in data["rows"]}
    assert new["rep1"] == 1 and new.get("admin", 0) == 0 and new["rep2"] == 0
    assert any("first owner" in n for n in data["notes"])


def test_without_sales_nobody_is_ranked(admin):
    for n in range(3):
        _customer(admin, f"没有订单{n}", [("active", None)])
    grading.recompute(admin)
    abc = _report(admin, "abc")
    assert abc["rows"] == [] and abc["totals"]["classes"]["A"]["customers"] == 0
    assert "3 active customers" in abc["notes"][0]
    pyramid = _report(admin, "pyramid")
    assert [(r["grade"], r["customers"]) for r in pyramid["rows"] if r["customers"]] == [(None, 3)]
    with admin.db.read() as s:
        from sqlalchemy import text

        assert set(s.execute(text("SELECT grade, abc_class FROM customers")).all()) == {(None, None)}


def test_percent_rows_add_up_to_exactly_one_hundred(admin):
    """Shares are apportioned by the largest remainder: shown to 0.01 %, they sum to 100.00 %."""
    for n, amount in enumerate(("1", "1", "1")):
        cid = _customer(admin, f"三分之一{n}", [("active", None)])
        orders.create_order(admin, cid, {"order_no": f"T{n}", "date": date(2026, 3, 1), "amount": Decimal(amount)})
    grading.recompute(admin, date(2026, 11, 30))
    for name in ("abc", "composition", "pyramid", "products"):
        data = _report(admin, name)
        shares = [r["share"] for r in data["rows"] if r.get("share") is not None]
        assert shares and abs(sum(shares) - 1) < 1e-12, (name, shares)
        assert all(round(x, 4) == x for x in shares)
    assert sorted(r["share"] for r in _report(admin, "abc")["rows"]) == [0.3333, 0.3333, 0.3334]
