"""Period metrics through the service (SQL aggregates + status history) against hand-worked examples."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select

from desktop_crm.cli import main
from desktop_crm.core.models import Complaint, StatusChange
from desktop_crm.core.models.visits import VisitPlan
from desktop_crm.core.rules.metrics import churn_from_history
from desktop_crm.core.services import customers, metrics, orders

D0, D1 = date(2026, 1, 1), date(2026, 6, 30)


def _cust(ctx, name: str, status: str, since: datetime) -> int:  # noqa: ANN001
    with ctx.db.write() as s:
        c, _w = customers.create_in_session(s, ctx, {"name": name}, owner=None, status=status, status_since=since)
        return c.id


def _status(ctx, cid: int, status: str, at: datetime) -> None:  # noqa: ANN001
    customers.set_status(ctx, cid, status, at=at, reason="测试" if status == "lost" else None)


def _world(admin):  # noqa: ANN001, ANN202
    old = datetime(2025, 1, 1)
    ids = {k: _cust(admin, f"客户{k}", "active", old) for k in "ABCF"}
    ids["D"] = _cust(admin, "客户D", "potential", old)
    ids["E"] = _cust(admin, "客户E", "active", datetime(2025, 6, 1))
    _status(admin, ids["A"], "lost", datetime(2026, 3, 1))  # active at start, lost → counts
    _status(admin, ids["B"], "lost", datetime(2026, 2, 1))  # changed twice: lost and won back → counts
    _status(admin, ids["B"], "active", datetime(2026, 4, 1))
    _status(admin, ids["D"], "active", datetime(2026, 2, 1))  # not active at start → neither
    _status(admin, ids["D"], "lost", datetime(2026, 3, 1))
    _status(admin, ids["E"], "lost", datetime(2025, 12, 1))  # lost before the period
    _status(admin, ids["F"], "lost", datetime(2026, 7, 5))  # lost after the period
    n = 0
    for key, day, amount in [("A", date(2026, 1, 1), "100.01"), ("A", date(2026, 6, 30), "0.99"),
                             ("C", date(2026, 3, 3), "50"), ("F", date(2026, 2, 1), "10"),
                             ("F", date(2026, 2, 2), "10"), ("F", date(2026, 2, 3), "10"),
                             ("D", date(2025, 12, 31), "999"), ("D", date(2026, 7, 1), "999")]:
        n += 1
        orders.create_order(admin, ids[key], {"order_no": f"O{n}", "date": day, "amount": amount})
    with admin.db.write() as s:
        for i, (key, at) in enumerate([("A", datetime(2026, 1, 1, 0, 0)), ("C", datetime(2026, 6, 30, 23, 59)),
                                       ("C", datetime(2025, 12, 31, 23, 59))]):
            s.add(Complaint(number=f"TS{i}", customer_id=ids[key], channel="phone", received_at=at,
                            category="quality", severity="normal", description="x", status="closed",
                            response_due=at, resolution_due=at, closed_at=at, satisfaction=2 if i == 0 else None))
        for i, score in enumerate([5, 4, 3, None]):
            s.add(VisitPlan(customer_id=ids["C"], due=date(2026, 2, 1), purpose="satisfaction", status="done",
                            score=score, done_at=datetime(2026, 2, 1 + i)))
        s.add(VisitPlan(customer_id=ids["C"], due=date(2026, 8, 1), purpose="satisfaction", status="done",
                        score=1, done_at=datetime(2026, 8, 1)))
    return ids


def test_hand_worked_period_metrics(admin):
    _world(admin)
    m = metrics.period_metrics(admin, D0, D1)
    # active at start: A, B, C, F (4); lost within: A, B (2)
    assert (m.active_at_start, m.lost_in_period) == (4, 2)
    assert m.churn_rate == Fraction(1, 2) and m.retention_rate == Fraction(1, 2)
    # ordering in the period: A (2), C (1), F (3) → repeat 2 of 3
    assert (m.customers_ordering, m.customers_repeat, m.repurchase_rate) == (3, 2, Fraction(2, 3))
    assert m.orders == 6 and m.sales == Decimal("181.00")
    # complaints received in the period: 2 per 6 orders → 33.33… per 100
    assert m.complaints == 2 and m.complaint_rate_per_100_orders == Fraction(100 * 2, 6)
    # scores in the period: visits 5, 4, 3 and the closed complaint's 2 → mean 3.5, share ≥ 4 = 1/2
    assert (m.satisfaction_count, m.satisfaction_mean, m.satisfaction_share_ge4) == (4, Fraction(7, 2),
                                                                                    Fraction(1, 2))
    assert m.params.scope == "all" and m.params.date_from == D0


def test_churn_matches_the_pure_rule_on_the_same_history(admin):
    _world(admin)
    with admin.db.read() as s:
        hist: dict[int, list] = {}
        for cid, at, status in s.execute(select(StatusChange.customer_id, StatusChange.at, StatusChange.status)
                                          .order_by(StatusChange.id)):
            hist.setdefault(cid, []).append((at, status))
    for d0, d1 in [(D0, D1), (date(2025, 6, 1), date(2025, 12, 31)), (date(2026, 2, 1), date(2026, 2, 1))]:
        m = metrics.period_metrics(admin, d0, d1)
        ref = churn_from_history(hist, d0, d1)
        assert (m.active_at_start, m.lost_in_period) == (len(ref.active_at_start), len(ref.lost_in_period))


def test_entries_at_the_same_moment_the_later_one_wins(admin):
    """Two history entries with one timestamp before the start: the later entry (higher id) decides."""
    same = datetime(2025, 10, 1, 9, 0)
    g = _cust(admin, "客户G", "potential", datetime(2025, 1, 1))
    won_back = [_cust(admin, f"客户{k}", "potential", datetime(2025, 1, 1)) for k in "HI"]
    with admin.db.write() as s:
        for first, then, cid in [("active", "lost", g)] + [("lost", "active", c) for c in won_back]:
            s.add(StatusChange(customer_id=cid, status=first, previous="potential", at=same, reason="x"))
            s.flush()
            s.add(StatusChange(customer_id=cid, status=then, previous=first, at=same, reason="x"))
            s.flush()
    m = metrics.period_metrics(admin, D0, D1)
    assert m.active_at_start == 2  # H and I (won back at the same moment), not G


def test_empty_period_gives_nulls(admin):
    m = metrics.period_metrics(admin, D0, D1)
    assert m.churn_rate is None and m.repurchase_rate is None and m.complaint_rate_per_100_orders is None
    assert m.satisfaction_mean is None and m.satisfaction_share_ge4 is None and m.sales == Decimal("0.00")


def test_scope_category_and_owner(admin, team):
    ids = _world(admin)
    orders.create_order(admin, ids["C"], {"order_no": "Z1", "date": date(2026, 5, 5), "amount": "7",
                                          "category": "配件"})
    m = metrics.period_metrics(admin, D0, D1, "category:配件")
    assert (m.orders, m.sales) == (1, Decimal("7.00"))
    m = metrics.period_metrics(admin, D0, D1, "owner:rep1")
    assert m.active_at_start == 0 and m.orders == 0


def test_cli_metrics_json_keys(admin, db_url, capsys):
    _world(admin)
    assert main(["--db", db_url, "metrics", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("churn_rate", "retention_rate", "repurchase_rate", "complaint_rate_per_100_orders",
                "satisfaction_mean", "satisfaction_share_ge4", "orders", "sales"):
        assert key in data
    assert data["churn_rate"] == 0.5 and data["repurchase_rate"] == 2 / 3 and data["orders"] == 6
    assert abs(data["complaint_rate_per_100_orders"] - 100 * 2 / 6) < 1e-12
    assert data["satisfaction_mean"] == 3.5 and data["sales"] == 181.0
    assert data["parameters"]["from"] == "2026-01-01"
    assert main(["--db", db_url, "recompute", "--as-of", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "key_important" in out and "small" in out
