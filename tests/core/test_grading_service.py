"""Grades, loyalty stages and ABC classes recomputed through the service, against hand-worked tables."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop_crm.core.models import Customer, Order
from desktop_crm.core.rules.abc import abc_analysis
from desktop_crm.core.rules.grading import grade_customers
from desktop_crm.core.services import customers, grading, orders

AS_OF = date(2026, 6, 30)  # value window: 2025-07-01 .. 2026-06-30


def _cust(ctx, name: str, status: str = "active") -> int:  # noqa: ANN001
    with ctx.db.write() as s:
        c, _w = customers.create_in_session(s, ctx, {"name": name}, owner=None, status=status,
                                            status_since=datetime(2020, 1, 1), allow_duplicates=True)
        return c.id


def _order(ctx, cid: int, no: str, day: date, amount: str, cost: str | None = None) -> None:  # noqa: ANN001
    orders.create_order(ctx, cid, {"order_no": no, "date": day, "amount": amount, "cost": cost})


def _stored(db, cid: int):  # noqa: ANN001, ANN202
    from types import SimpleNamespace

    with db.read() as s:
        c = s.get(Customer, cid)
        return SimpleNamespace(**{k: getattr(c, k) for k in ("grade", "grade_rank", "grade_value", "grade_pinned",
                                                               "grade_basis", "abc_class", "loyalty")})


def test_hand_worked_grades_abc_ties_zero_sales_and_pin(admin):
    # active: A 500, B 300, C 300 (tie → code order), D 0 (no orders), E 100; X is lost with 1,000.
    ids = {k: _cust(admin, f"客户{k}") for k in "ABCDE"}
    ids["X"] = _cust(admin, "客户X", status="lost")
    _order(admin, ids["A"], "A1", date(2026, 6, 30), "200.00")  # last day of the window counts
    _order(admin, ids["A"], "A2", date(2025, 7, 1), "300.00")  # first day counts
    _order(admin, ids["A"], "A0", date(2025, 6, 30), "9999.00")  # a day too early
    _order(admin, ids["A"], "A9", date(2026, 7, 1), "9999.00")  # after as-of
    _order(admin, ids["B"], "B1", date(2026, 1, 1), "300.00")
    _order(admin, ids["C"], "C1", date(2026, 1, 1), "299.99")
    _order(admin, ids["C"], "C2", date(2026, 1, 2), "0.01")
    _order(admin, ids["E"], "E1", date(2026, 3, 1), "100.00")
    _order(admin, ids["X"], "X1", date(2026, 3, 1), "1000.00")
    r = grading.recompute(admin, AS_OF)
    # ranked: active with sales (D has none: not ranked); N = 4, cut-offs ceil(.04)=1, ceil(.8)=1, ceil(2)=2
    assert r.population == 4
    assert r.grades == {"key_important": 1, "key_secondary": 0, "ordinary": 1, "small": 2}
    got = {k: (_stored(admin.db, i).grade, _stored(admin.db, i).grade_rank) for k, i in ids.items()}
    assert got == {"A": ("key_important", 1), "B": ("ordinary", 2), "C": ("small", 3), "D": (None, None),
                   "E": ("small", 4), "X": (None, None)}
    assert _stored(admin.db, ids["A"]).grade_value == Decimal("500.00")
    # ABC over all customers, total 2,200: X P=0 A; A P=1000/2200 A; B P=1500/2200=68.2% A;
    # C P=1800/2200=81.8% B; E P=2100/2200=95.5% C; D no sales: not ranked.
    abc = {k: _stored(admin.db, i).abc_class for k, i in ids.items()}
    assert abc == {"X": "A", "A": "A", "B": "A", "C": "B", "E": "C", "D": None}
    assert r.abc == {"A": 3, "B": 1, "C": 1}
    info = grading.explain(admin, ids["A"])
    assert info.text.startswith("Rank 1 of 4 by 12-month sales ¥500.00 → ")
    # a manager pins B as key_important; recompute never overwrites it
    customers.pin_grade(admin, ids["B"], "key_important", "战略客户")
    grading.recompute(admin, AS_OF)
    b = _stored(admin.db, ids["B"])
    assert (b.grade, b.grade_pinned, b.grade_rank) == ("key_important", True, 2)
    assert "pinned" in grading.explain(admin, ids["B"]).text


def test_single_customer_and_nobody(admin):
    r = grading.recompute(admin, AS_OF)
    assert r.population == 0 and r.grades == dict.fromkeys(r.grades, 0)
    only = _cust(admin, "唯一")
    r = grading.recompute(admin, AS_OF)
    assert r.population == 0 and r.grades["key_important"] == 0  # no sales: nothing to rank by
    assert _stored(admin.db, only).grade is None and _stored(admin.db, only).abc_class is None
    assert _stored(admin.db, only).loyalty == "potential"
    _order(admin, only, "O1", date(2026, 1, 5), "10.00")
    r = grading.recompute(admin, AS_OF)
    assert r.grades["key_important"] == 1 and _stored(admin.db, only).abc_class == "A"


def test_hand_worked_loyalty(admin):
    T = AS_OF
    cases = {
        "none": [],
        "new": [T - timedelta(days=364)],  # tenure 364 < 365
        "old": [T - timedelta(days=365)],  # tenure 365, n12 = 0 (365 days ago is outside the 12 months)
        "regular": [T - timedelta(days=800), T - timedelta(days=10), T - timedelta(days=20), T - timedelta(days=30)],
        "loyal": [T - timedelta(days=730)] + [T - timedelta(days=d) for d in range(1, 7)],
        "old2": [T - timedelta(days=729)] + [T - timedelta(days=d) for d in range(1, 2)],
    }
    want = {"none": "potential", "new": "new", "old": "old", "regular": "regular", "loyal": "loyal", "old2": "old"}
    ids = {}
    for key, days in cases.items():
        ids[key] = _cust(admin, f"L{key}")
        for i, d in enumerate(days):
            _order(admin, ids[key], f"{key}-{i}", d, "10")
    # an order after T does not make a customer new
    _order(admin, ids["none"], "none-future", T + timedelta(days=1), "10")
    r = grading.recompute(admin, T)
    assert {k: _stored(admin.db, i).loyalty for k, i in ids.items()} == want
    assert r.loyalty["loyal"] == 1 and r.loyalty["potential"] == 1


def test_profit_basis_only_when_every_order_has_a_cost(admin):
    from desktop_crm.core.services import settings as settings_service

    a, b = _cust(admin, "甲"), _cust(admin, "乙")
    _order(admin, a, "1", date(2026, 1, 1), "1000", cost="950")  # profit 50
    _order(admin, b, "2", date(2026, 1, 1), "500", cost="100")  # profit 400
    settings_service.set_many(admin, {"grade_by_profit": True})
    r = grading.recompute(admin, AS_OF)
    assert r.params.basis == "profit"
    assert _stored(admin.db, b).grade_rank == 1 and _stored(admin.db, b).grade_value == Decimal("400.00")
    _order(admin, b, "3", date(2026, 1, 2), "1")  # no cost: back to sales
    grading.recompute(admin, AS_OF)
    assert _stored(admin.db, a).grade_rank == 1 and _stored(admin.db, a).grade_basis == "sales"


def test_recompute_if_due_once_a_day(admin):
    _cust(admin, "甲")
    assert grading.recompute_if_due(admin, AS_OF) is not None
    assert grading.recompute_if_due(admin, AS_OF) is None
    assert grading.recompute_if_due(admin, AS_OF + timedelta(days=1)) is not None


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([0, 0, 1, 5, 5, 100, 250, 999, -50]), min_size=1, max_size=25), st.integers(0, 10**6))
def test_fast_path_matches_the_pure_engine(admin, values, seed):
    """The service's integer-cents path equals rules.grade_customers and rules.abc_analysis."""
    ctx, db = admin, admin.db
    with db.write() as s:
        s.execute(Order.__table__.delete())
        s.execute(Customer.__table__.update().values(status="invalid"))
    rnd = random.Random(seed)
    ids = []
    for i, v in enumerate(values):
        cid = _cust(ctx, f"P{seed}-{i}-{rnd.random()}")
        ids.append(cid)
        if v:
            _order(ctx, cid, f"{seed}-{i}-{rnd.random()}", date(2026, 1, 1), str(v))
    grading.recompute(ctx, AS_OF, system=True)
    with db.read() as s:
        rows = s.execute(select(Customer.id, Customer.code, Customer.grade_value, Customer.grade,
                                Customer.grade_rank, Customer.abc_class).where(Customer.id.in_(ids))).all()
    sold = [(r[0], r[1], r[2]) for r in rows if r[2] > 0]  # customers without sales are not ranked
    g = grade_customers(sold).by_id()
    a = abc_analysis([(r[0], r[1], r[2]) for r in rows if r[2]]).by_id()  # returns still lower the total
    net = sum(r[2] for r in rows)
    for r in rows:
        if r[2] > 0:
            assert (r[3], r[4]) == (g[r[0]].grade, g[r[0]].rank)
            assert r[5] == (a[r[0]].abc_class if net > 0 else None)  # returns beyond sales: nobody ranked
        else:
            assert (r[3], r[4], r[5]) == (None, None, None)
