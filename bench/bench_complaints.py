"""Complaint intake speed (issue 3): the intake dialog opens in ≤ 150 ms, and the customer look-up by a
phone fragment answers in ≤ 50 ms with 1,000,000 customers.

    python bench/bench_complaints.py [--db FILE] [--customers 1000000] [--users 200] [--repeat 20]

Data is bulk-generated once into --db (default /tmp/crm_bench_complaints.sqlite3) through the migrations,
SQLAlchemy Core inserts and the search module's own reindex (so the FTS index is the real one), and
reused on the next run when the customer count matches. Measured, for a staff rep (own customers +
pool) and a manager (all):
- look-up: `intake.find_customers(ctx, fragment)` — the query the dialog runs as you type — for
  phone fragments of 4, 6 and 8 digits, a name and a code; cold (first call on a new engine) and the
  median / max over --repeat different fragments;
- intake dialog: construct IntakeDialog and show it until the first paint (offscreen), first and median.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import func, insert, select  # noqa: E402

from desktop_crm.core import search, security  # noqa: E402
from desktop_crm.core.app_setup import open_database  # noqa: E402
from desktop_crm.core.db import Database  # noqa: E402
from desktop_crm.core.models import Customer, Department, User  # noqa: E402
from desktop_crm.core.services import users  # noqa: E402
from desktop_crm.core.services.context import Ctx  # noqa: E402

BATCH = 20_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
WORDS = ["迅捷", "利达", "国泰", "华强", "东方", "宏远", "鑫源", "恒通", "金桥", "新世纪", "长城", "天元", "瑞丰", "汇通"]
KINDS = ["物流", "科技", "五金", "贸易", "电器", "建材", "食品", "服饰"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆", "大连", "长沙"]


def _mobile(rng: random.Random) -> str:
    return "+86" + rng.choice(["138", "139", "137", "186", "159", "135", "188", "150"]) + f"{rng.randrange(10**8):08d}"


def generate(db: Database, n: int, n_users: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    security.set_params(security.ScryptParams(n=2**10, r=8, p=1))
    users.bootstrap_admin(db, "admin", "secret-pass-1")
    admin = Ctx(db, users.authenticate(db, "admin", "secret-pass-1"))
    dept = users.save_department(admin, "客户服务部")
    users.create_user(admin, "manager", "manager", "secret-pass-1")
    with db.engine.begin() as conn:
        conn.execute(insert(User), [dict(username=f"rep{i}", display_name=f"rep{i}", password_hash="x", role="staff",
                                         department_id=dept.id, active=True, can_export=False, failed_logins=0,
                                         created_at=datetime.now(), version=1) for i in range(n_users)])
        rep_ids = [r[0] for r in conn.execute(select(User.id).where(User.role == "staff"))]
    t0 = time.perf_counter()
    now = datetime.now().replace(microsecond=0)
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        rows = []
        for i in range(done, done + size):
            name = (rng.choice(CITIES) + rng.choice(WORDS) + rng.choice(KINDS) + "有限公司") if i % 3 else \
                (rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"))
            rows.append(dict(code=f"C{i + 1:07d}", name=name, name_norm=name, kind="enterprise" if i % 3 else
                             "individual", status="active", grade_pinned=False, city=rng.choice(CITIES),
                             owner_id=rng.choice(rep_ids) if i % 10 else None, mobile=_mobile(rng),
                             created_at=now, version=1))
        with db.write() as s:
            s.execute(insert(Customer), rows)
            ids = list(s.scalars(select(Customer.id).where(Customer.code.in_([r["code"] for r in rows]))))
            search.reindex(s, ids)
        done += size
        rate = done / (time.perf_counter() - t0)
        print(f"\r  customers: {done:,}/{n:,}  ({rate:,.0f}/s)", end="", flush=True)
    print()


def _ms(fn, *args) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t0) * 1000


def bench_lookup(db_url: str, n: int, repeat: int) -> None:
    from desktop_crm.ui.complaints.intake import find_customers

    db = open_database(db_url).db
    with db.read() as s:
        mobiles = list(s.scalars(select(Customer.mobile).order_by(func.random()).limit(repeat * 4)))
        names = list(s.scalars(select(Customer.name).order_by(func.random()).limit(repeat)))
        codes = list(s.scalars(select(Customer.code).order_by(func.random()).limit(repeat)))
    rng = random.Random(1)
    for who in ("rep1", "manager"):
        ctx = Ctx(db, users.actor_by_name(db, who))
        cold = _ms(find_customers, ctx, mobiles[0][-6:])
        print(f"  look-up as {who:8s} cold (first query): {cold:7.1f} ms")
        for label, make in (
            ("phone, last 4 digits", lambda m: m[-4:]),
            ("phone, 6 digits inside", lambda m: m[-8:-2]),
            ("phone, 8 digits", lambda m: m[-8:]),
            ("phone, full 11 digits", lambda m: m[-11:]),
        ):
            times = [_ms(find_customers, ctx, make(m)) for m in rng.sample(mobiles, repeat)]
            print(f"  look-up as {who:8s} {label:24s} median {statistics.median(times):7.1f} ms   "
                  f"max {max(times):7.1f} ms")
        for label, values in (("name (Chinese, 2 chars)", [x[2:4] for x in names]), ("code", codes)):
            times = [_ms(find_customers, ctx, v) for v in values]
            print(f"  look-up as {who:8s} {label:24s} median {statistics.median(times):7.1f} ms   "
                  f"max {max(times):7.1f} ms")
    db.dispose()


def bench_dialog(db_url: str, repeat: int) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_crm.ui.complaints.intake import IntakeDialog

    app = QApplication.instance() or QApplication([])
    db = open_database(db_url).db
    ctx = Ctx(db, users.actor_by_name(db, "rep1"))
    times = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        dlg = IntakeDialog(ctx, None)
        dlg.show()
        app.processEvents()
        dlg.grab()  # the first paint
        times.append((time.perf_counter() - t0) * 1000)
        dlg.close()
        dlg.deleteLater()
        app.processEvents()
    print(f"  intake dialog open (build + first paint): first {times[0]:7.1f} ms   "
          f"median {statistics.median(times[1:] or times):7.1f} ms   max {max(times):7.1f} ms")
    db.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="/tmp/crm_bench_complaints.sqlite3")
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    url = args.db if "://" in args.db else f"sqlite:///{args.db}"
    db = open_database(url).db
    with db.read() as s:
        have = s.scalar(select(func.count(Customer.id))) or 0
        has_dept = s.scalar(select(func.count(Department.id))) or 0
    if have != args.customers or not has_dept:
        if have:
            print(f"{args.db} has {have:,} customers, not {args.customers:,}: delete it to regenerate.")
            return 2
        print(f"Generating {args.customers:,} customers into {args.db} …")
        generate(db, args.customers, args.users)
    db.dispose()
    print(f"Database: {args.db} ({args.customers:,} customers)")
    bench_lookup(url, args.customers, args.repeat)
    bench_dialog(url, max(args.repeat // 2, 3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
