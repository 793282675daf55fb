"""Recompute value grades, loyalty stages and ABC classes and store them on the customers (DOMAIN §6.2–6.4).

One set-based aggregate over the orders (GROUP BY customer_id, read from the covering
index ix_orders_customer_date) gives per customer: sales (and cost) in the value window,
orders in the last 12 months and the first order date. The rules are those of
core/rules: the grade cut-off ranks come from `grading.grade_cutoffs`, the loyalty
stage from `loyalty.loyalty_stage`, the ABC class from the same test as
`abc.abc_class_for` (done here on integer cents, because a million Fractions are too
slow; tests check this path against `grade_customers` and `abc_analysis`).

Windows: "as of T" means at the end of day T. The value window is the `grade_value_months`
months ending on T ([T+1 − months, T+1) in the rules' [start, end) form), the loyalty
n12 window the 12 months ending on T, the tenure T − first order date.
ABC here is the stored class: scope all customers, period = the value window. Customers without
sales in the value window are not ranked: no grade, no ABC class (their loyalty stage still is).

Changed rows are written with executemany in batches; a pinned grade is never
overwritten (its rank, value, loyalty and ABC class still are). The run is one
transaction and one audit entry with the counts and parameters.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    String,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from desktop_crm.core.db import large_page_cache
from desktop_crm.core.enums import GRADE
from desktop_crm.core.errors import Cancelled
from desktop_crm.core.i18n import _
from desktop_crm.core.models import Customer, Order
from desktop_crm.core.rules.abc import ABCParams
from desktop_crm.core.rules.grading import GRADES, GradeParams, grade_cutoffs
from desktop_crm.core.rules.loyalty import STAGES, LoyaltyParams, loyalty_stage
from desktop_crm.core.services import audit, settings
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_write

BATCH = 20_000
STORED = ("grade", "grade_rank", "grade_population", "grade_value", "grade_basis", "loyalty", "abc_class")


@dataclass(frozen=True)
class GradingParams:
    """Everything a recompute used, so results can be reproduced."""

    as_of: date
    value_from: date  # first day of the value window (inclusive)
    value_months: int
    basis: str  # "sales" | "profit"
    grade: GradeParams
    loyalty: LoyaltyParams
    abc: ABCParams


@dataclass(frozen=True)
class RecomputeResult:
    params: GradingParams
    population: int  # active customers ranked
    customers: int  # all customers
    grades: dict[str, int]
    loyalty: dict[str, int]
    abc: dict[str, int]
    pinned: int
    changed: int
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (clamped to the month's last day)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def read_params(s: Session, as_of: date) -> GradingParams:
    cut = settings.read(s, "grade_cutoffs")
    lp = settings.read(s, "loyalty_params")
    ac = settings.read(s, "abc_cutoffs")
    months = int(settings.read(s, "grade_value_months"))
    end = as_of + timedelta(days=1)
    return GradingParams(
        as_of=as_of, value_from=months_before(end, months), value_months=months,
        basis="profit" if settings.read(s, "grade_by_profit") else "sales",
        grade=GradeParams(*(Decimal(str(cut[k])) for k in ("key_important", "key_secondary", "ordinary"))),
        loyalty=LoyaltyParams(**{k: int(v) for k, v in lp.items()}),
        abc=ABCParams(Decimal(str(ac["A"])), Decimal(str(ac["B"]))),
    )


def aggregate_query(p: GradingParams):  # noqa: ANN201
    """Per customer (in id order): value-window sales and cost in cents, orders without cost, n12, first order."""
    end = p.as_of + timedelta(days=1)
    n12_from = months_before(end, 12)
    amount, cost = type_coerce(Order.amount, BigInteger), type_coerce(Order.cost, BigInteger)
    # the dates are ours (not user text), rendered inline so SQLite folds them: ~40% faster than bound
    vf, n12f, e = (literal(d, Date, literal_execute=True) for d in (p.value_from, n12_from, end))
    zero, one = literal_column("0"), literal_column("1")
    in_value = (Order.date >= vf) & (Order.date < e)
    in_n12 = (Order.date >= n12f) & (Order.date < e)
    return (select(Order.customer_id,
                   func.sum(case((in_value, amount), else_=zero)),
                   func.sum(case((in_value, func.coalesce(cost, zero)), else_=zero)),
                   func.sum(case((in_value & cost.is_(None), one), else_=zero)),
                   func.sum(case((in_n12, one), else_=zero)),
                   type_coerce(func.min(Order.date), String))  # raw: ISO text on SQLite, a date on PostgreSQL
            .where(Order.date < e).group_by(Order.customer_id).order_by(Order.customer_id))


def recompute(ctx: Ctx, as_of: date | None = None, *, progress=None, system: bool = False) -> RecomputeResult:  # noqa: ANN001
    """Grades, loyalty stages and ABC classes of every customer, stored; one transaction."""
    if not system:
        require_write(ctx.actor)
    with ctx.db.write() as s:
        return recompute_in_session(s, ctx, as_of or date.today(), progress=progress)


def recompute_in_session(s: Session, ctx: Ctx, as_of: date, *, progress=None) -> RecomputeResult:  # noqa: ANN001
    """The recompute inside the caller's write transaction (a bulk load grades what it wrote)."""
    with large_page_cache(s.connection()):
        return _recompute(s, ctx, as_of, progress)


def _recompute(s: Session, ctx: Ctx, as_of: date, progress) -> RecomputeResult:  # noqa: ANN001, C901
    t0 = _time.perf_counter()
    timings: dict[str, float] = {}
    p = read_params(s, as_of)
    _step(progress, 0, _("Adding up sales…"))
    conn = s.connection()  # Core rows: no ORM overhead on a million rows
    agg = {}
    for cid, sales, cost, nocost, n12, first in conn.execute(aggregate_query(p)):
        agg[cid] = (int(sales or 0), int(cost or 0), int(nocost or 0), int(n12 or 0), first)
    timings["aggregate"] = _time.perf_counter() - t0
    _step(progress, 1, _("Ranking customers…"))
    # pass 1 (streamed): only id, code and status, for the two rankings
    current = [tuple(r) for r in conn.execute(select(Customer.id, Customer.code, Customer.status))]
    timings["customers"] = _time.perf_counter() - t0
    basis = p.basis
    if basis == "profit" and any(v[2] for v in agg.values()):
        basis = "sales"  # profit only when every order of the window has a cost
    profit = basis == "profit"
    zero = (0, 0, 0, 0, None)

    def value_of(cid: int) -> int:
        a = agg.get(cid, zero)
        return a[0] - a[1] if profit else a[0]

    # codes are unique, so (value desc, code) is the rules' full order (the id tie-break never decides)
    # ranked: active customers with sales in the value window (no sales: nothing to rank them by)
    active = sorted((-value_of(r[0]), r[1], r[0]) for r in current
                    if r[2] == "active" and agg.get(r[0], zero)[0] > 0)
    n = len(active)
    cut = grade_cutoffs(n, p.grade)
    ranked: dict[int, int] = {row[2]: rank for rank, row in enumerate(active, 1)}
    del active
    abc_of = _abc_classes(current, agg, p.abc)
    timings["rank"] = _time.perf_counter() - t0
    _check(progress)

    out_grades, out_loyalty, out_abc = dict.fromkeys(GRADES, 0), dict.fromkeys(STAGES, 0), {"A": 0, "B": 0, "C": 0}
    pinned = changed = 0
    changes: list[dict] = []
    stage_memo: dict[tuple, str] = {}
    del current
    stored = select(Customer.id, type_coerce(Customer.grade_pinned, Integer),
                    type_coerce(Customer.grade_value, BigInteger), Customer.grade, Customer.grade_rank,
                    Customer.grade_population, Customer.grade_basis, Customer.loyalty, Customer.abc_class)
    last = 0
    while True:  # pass 2: id-ordered chunks, each read in full before its changes are written
        chunk = conn.execute(stored.where(Customer.id > last).order_by(Customer.id).limit(BATCH)).all()
        if not chunk:
            break
        last = chunk[-1][0]
        for r in chunk:
            cid = r[0]
            a = agg.get(cid, zero)
            rank = ranked.get(cid)
            grade = _grade(rank, cut) if rank is not None else None
            if r[1]:
                pinned += 1
                grade = r[3]
            key = (a[4], a[3])
            stage = stage_memo.get(key)
            if stage is None:
                stage = stage_memo[key] = loyalty_stage(as_of, _day(a[4]), a[3], p.loyalty)
            cls = abc_of.get(cid)  # None: no sales in the window, not ranked
            v = a[0] - a[1] if profit else a[0]
            pop = n if rank is not None else None
            if grade:
                out_grades[grade] += 1
            out_loyalty[stage] += 1
            if cls:
                out_abc[cls] += 1
            if (grade, rank, pop, v, basis, stage, cls) != (r[3], r[4], r[5], r[2], r[6], r[7], r[8]):
                changes.append({"b_id": cid, "grade": grade, "grade_rank": rank, "grade_population": pop,
                                "grade_value": v, "grade_basis": basis, "loyalty": stage, "abc_class": cls})
        changed += _write(conn, changes, progress)
    del ranked, abc_of
    timings["classify_and_write"] = _time.perf_counter() - t0
    result = RecomputeResult(p, n, sum(out_loyalty.values()), out_grades, out_loyalty, out_abc, pinned, changed)
    settings.write(s, ctx, "grades_recomputed_on", as_of.isoformat())
    audit.record(s, ctx.actor, "grading", None, "recompute",
                 {"as_of": (None, as_of), "basis": (None, basis), "population": (None, n),
                  "grades": (None, _counts_text(out_grades)), "changed": (None, changed)},
                 label=_("Grades, loyalty and ABC"))
    return RecomputeResult(**{**result.__dict__, "seconds": _time.perf_counter() - t0, "timings": timings})


def grades_as_of(s: Session, as_of: date) -> dict[int, str]:
    """The value grade each customer had at the end of day `as_of`, by the rules of DOMAIN §6.2 on the
    data as it was then: the customers active at that moment (their latest status then), with sales in
    the value window ending then, ranked by value. Reports use it for "the grade at the start of the
    period" (today's grade says nothing about a customer lost since). Pinned grades are today's only."""
    from desktop_crm.core.models import StatusChange

    p = read_params(s, as_of)
    end = datetime.combine(as_of, datetime.max.time())
    h = StatusChange
    nxt = func.lead(h.at).over(partition_by=h.customer_id, order_by=(h.at, h.id))
    latest = select(h.customer_id.label("cid"), h.status.label("status"), nxt.label("nxt")).where(h.at <= end).subquery()
    active = set(s.scalars(select(latest.c.cid).where(latest.c.nxt.is_(None), latest.c.status == "active")))
    codes = dict(s.execute(select(Customer.id, Customer.code).where(Customer.id.in_(select(latest.c.cid).where(
        latest.c.nxt.is_(None), latest.c.status == "active")))).all())
    values, nocost_any = {}, False
    for cid, sales, cost, nocost, _n12, _first in s.execute(aggregate_query(p)):
        nocost_any = nocost_any or bool(nocost)
        if cid in active and int(sales or 0) > 0:
            values[cid] = (int(sales or 0), int(cost or 0))
    profit = p.basis == "profit" and not nocost_any  # as recompute: profit only when every order has a cost
    ranked = sorted((-(v[0] - v[1] if profit else v[0]), codes.get(cid, ""), cid) for cid, v in values.items())
    cut = grade_cutoffs(len(ranked), p.grade)
    return {cid: _grade(rank, cut) for rank, (_v, _code, cid) in enumerate(ranked, 1)}


def _day(value: object) -> date | None:
    """A DATE column read raw: ISO text (SQLite) or a date (PostgreSQL)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _grade(rank: int, cut: tuple[int, int, int]) -> str:
    """As rules.grading.grade_for_rank, with the cut-offs computed once."""
    for g, c in zip(GRADES, cut, strict=False):
        if rank <= c:
            return g
    return GRADES[-1]


def _abc_classes(current, agg: dict, p: ABCParams) -> dict[int, str]:  # noqa: ANN001
    """rules.abc classes on integer cents: A if before/total < a_limit, B if < b_limit, else C; no sales → C."""
    rows = sorted((-agg[r[0]][0], r[1], r[0]) for r in current if r[0] in agg and agg[r[0]][0] > 0)
    total = sum(a[0] for a in agg.values())  # as rules.abc: net of negative sales (returns)
    if total <= 0:
        return {}
    fa, fb = Fraction(p.a_limit), Fraction(p.b_limit)
    out: dict[int, str] = {}
    before = 0
    for neg, _code, cid in rows:
        # before/total < num/den  ⇔  before·den < num·total (total > 0)
        if before * fa.denominator < fa.numerator * total:
            out[cid] = "A"
        elif before * fb.denominator < fb.numerator * total:
            out[cid] = "B"
        else:
            out[cid] = "C"
        before -= neg
    return out


def _write(conn, changes: list[dict], progress) -> int:  # noqa: ANN001
    """One executemany of the changed rows (then the list is emptied); returns how many."""
    if not changes:
        return 0
    tbl = Customer.__table__
    stmt = (update(tbl).where(tbl.c.id == bindparam("b_id"))
            .values(grade=bindparam("grade"), grade_rank=bindparam("grade_rank", type_=Integer),
                    grade_population=bindparam("grade_population", type_=Integer),
                    grade_value=bindparam("grade_value", type_=BigInteger), grade_basis=bindparam("grade_basis"),
                    loyalty=bindparam("loyalty"), abc_class=bindparam("abc_class")))
    conn.execute(stmt, changes)
    n = len(changes)
    changes.clear()
    _check(progress)
    return n


def _step(progress, stage: int, message: str, done: int = 0, total: int = 0) -> None:  # noqa: ANN001
    if progress is not None:
        progress.step(stage * 100 + (100 * done // total if total else 0), 300, message)


def _check(progress) -> None:  # noqa: ANN001
    if progress is not None and progress.cancelled():
        raise Cancelled()


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in counts.items())


def recompute_if_due(ctx: Ctx, today: date | None = None) -> RecomputeResult | None:
    """Once a day at start-up: recompute when the last run was before today."""
    today = today or date.today()
    last = settings.get(ctx, "grades_recomputed_on")
    if last and str(last) >= today.isoformat():
        return None
    return recompute(ctx, today, system=True)


# -- the customer page's explanation -------------------------------------------------------------
@dataclass(frozen=True)
class GradeInfo:
    grade: str | None
    pinned: bool
    note: str
    rank: int | None
    population: int | None
    value: Decimal | None
    basis: str | None
    months: int
    as_of: date | None
    loyalty: str | None
    abc_class: str | None
    text: str


def explain(ctx: Ctx, customer_id: int) -> GradeInfo:
    """'Rank 3 of 1,204 by 12-month sales ¥1,234,567.00 → Key (important)', from the stored columns."""
    from desktop_crm.core.services.customers import load_visible

    with ctx.db.read() as s:
        c = load_visible(s, ctx, customer_id)
        months = int(settings.read(s, "grade_value_months"))
        p = read_params(s, date.today()).grade
        last = settings.read(s, "grades_recomputed_on")
        computed_on = date.fromisoformat(str(last)) if last and c.grade_basis else None
        row = (c.grade, c.grade_pinned, c.grade_note or "", c.grade_rank, c.grade_population, c.grade_value,
               c.grade_basis, computed_on, c.loyalty, c.abc_class, c.status)
    grade, pinned, note, rank, n, value, basis, as_of, loyalty, abc, status = row
    return GradeInfo(grade, pinned, note, rank, n, value, basis, months, as_of, loyalty, abc,
                     explanation_text(grade, pinned, note, rank, n, value, basis, months, as_of, status, p))


def explanation_text(grade, pinned, note, rank, n, value, basis, months, as_of, status, p: GradeParams) -> str:  # noqa: ANN001, PLR0913
    if as_of is None:
        return _("Not computed yet: run “Recompute grades”.")
    basis_label = _("profit") if basis == "profit" else _("sales")
    if rank is None or not n:
        text = _("Not graded: only active customers with sales in the last {months} months are ranked ({basis} "
                 "¥{value}).").format(
            months=months, basis=basis_label, value=f"{value or 0:,.2f}")
    else:
        cut = grade_cutoffs(n, p)
        computed = _grade(rank, cut)
        text = _("Rank {rank} of {n} by {months}-month {basis} ¥{value} → {grade}").format(
            rank=f"{rank:,}", n=f"{n:,}", months=months, basis=basis_label, value=f"{value or 0:,.2f}",
            grade=GRADE.label(computed))
        if pinned and grade != computed:
            text += " " + _("(pinned by a manager as {grade}: {note})").format(grade=GRADE.label(grade), note=note)
    return text + " " + _("(as of {date})").format(date=as_of.isoformat())
