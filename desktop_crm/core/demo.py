"""Realistic demo data: Chinese companies and people, contacts, statuses with history,
owners across departments. Fast enough for 1,000,000 customers (bulk Core inserts in
big batches, one transaction; on SQLite the secondary indexes and the search indexes
are rebuilt once after the load).

Other areas add their own demo data by appending a generator to `EXTRA_GENERATORS`
(or decorating it with `@extra_generator`): it is called after the customers are
committed as `fn(db, customer_ids, rng, progress)`.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desktop_crm.core import demo_words as W
from desktop_crm.core import progress as prog
from desktop_crm.core import search, security
from desktop_crm.core.db import Database, is_sqlite
from desktop_crm.core.i18n import _
from desktop_crm.core.models import (
    Contact,
    Customer,
    CustomerSearch,
    Department,
    Sequence,
    StatusChange,
    User,
)
from desktop_crm.core.rules.validation import normalize_name
from desktop_crm.core.search.pinyin import pinyin_forms
from desktop_crm.core.services import audit, settings, users
from desktop_crm.core.services.context import Ctx

DEMO_PASSWORD = "demo-pass-2026"
DEPARTMENTS = ["市场销售部", "客户服务部", "口岸作业部", "快件服务中心"]
BATCH = 20_000
BULK = 20_000  # from this many customers on, SQLite indexes are rebuilt after the load
SOURCES = ["door_to_door", "exhibition", "club", "relatives", "directory", "consultant", "agent", "referral",
           "phone", "letter", "sms", "web", "competitor", "other"]
# status: (weight, path of statuses from creation)
STATUS_PATHS = [(30, ["potential"]), (20, ["potential", "target"]), (18, ["potential", "active"]),
                (17, ["potential", "target", "active"]), (10, ["potential", "target", "active", "lost"]),
                (5, ["potential", "invalid"])]

Generator = Callable[[Database, list[int], random.Random, "prog.Progress | None"], None]
EXTRA_GENERATORS: list[Generator] = []


def extra_generator(fn: Generator) -> Generator:
    """Register `fn(db, customer_ids, rng, progress)` to run after the customers are made."""
    EXTRA_GENERATORS.append(fn)
    return fn


@dataclass
class DemoResult:
    url: str
    customers: int
    contacts: int
    first_code: str = ""
    last_code: str = ""
    seconds: float = 0.0
    admin_password: str | None = None
    created_users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, department
    customer_ids: list[int] = field(default_factory=list, repr=False)

    def summary_lines(self) -> list[str]:
        lines = [_("Demo data: {n} customers ({first} … {last}) and {c} contacts in {s:.1f} s.").format(
            n=self.customers, first=self.first_code, last=self.last_code, c=self.contacts, s=self.seconds)]
        if self.admin_password:
            lines.append(_("Administrator: admin / {pw}").format(pw=self.admin_password))
        for name, role, dept in self.created_users:
            lines.append(_("User {name} ({role}{dept}), password {pw}").format(
                name=name, role=role, dept=f", {dept}" if dept else "", pw=DEMO_PASSWORD))
        lines.append(_("Database: {url}").format(url=self.url))
        return lines


class PrintProgress:
    """Progress on stderr for the command line, at most a few lines a second."""

    def __init__(self, stream=None):  # noqa: ANN001
        self.stream = stream or sys.stderr
        self._last = 0.0

    def step(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < 0.5 and not (total and done >= total):
            return
        self._last = now
        of = f"/{total}" if total else ""
        print(f"  {message} {done}{of}", file=self.stream, flush=True)

    def cancelled(self) -> bool:
        return False


# ------------------------------------------------------------ users and owners

def _ensure_users(db: Database) -> tuple[Ctx, str | None, list[tuple[str, str, str]]]:
    admin_pw = None
    if not users.has_users(db):
        users.bootstrap_admin(db, "admin", DEMO_PASSWORD)
        admin_pw = DEMO_PASSWORD
    ctx = Ctx(db, users.actor_by_name(db, None))
    with db.read() as s:
        depts = {d.name: d.id for d in s.scalars(select(Department))}
        names = set(s.scalars(select(User.username)))
    for name in DEPARTMENTS:
        if name not in depts:
            depts[name] = users.save_department(ctx, name).id
    wanted = [("zhaomin", "manager", None, "赵敏"), ("chakan", "viewer", None, "查看员")]
    people = ["王芳", "李强", "张伟", "刘洋", "陈静", "杨磊", "黄丽", "周杰", "吴敏", "徐涛", "孙娜", "马超"]
    for i, dept in enumerate(DEPARTMENTS, start=1):
        wanted.append((f"sup{i}", "supervisor", dept, people[(i - 1) * 3]))
        wanted += [(f"rep{i}{x}", "staff", dept, people[(i - 1) * 3 + k]) for k, x in ((1, "a"), (2, "b"))]
    created = []
    todo = [w for w in wanted if w[0] not in names]
    if todo:  # one hash for all (the same password): scrypt at full cost takes a while each
        hashed = security.hash_password(DEMO_PASSWORD)
        with db.write() as s:
            for username, role, dept, display in todo:
                u = User(username=username, display_name=display, role=role, password_hash=hashed, active=True,
                         department_id=depts.get(dept) if dept else None, can_export=role != "viewer")
                s.add(u)
                s.flush()
                audit.record(s, ctx.actor, "user", u.id, "create",
                             {"username": (None, username), "role": (None, role)}, label=username)
                created.append((username, role, dept or ""))
    return ctx, admin_pw, created


def _owners(s: Session) -> list[int | None]:
    rows = s.execute(select(User.id, User.role).where(User.active.is_(True), User.role.in_(["staff", "supervisor"])))
    ids: list[int | None] = []
    for uid, role in rows:
        ids += [uid] * (3 if role == "staff" else 1)
    return ids + [None] * max(1, len(ids) // 6)  # about one in seven in the pool


# ------------------------------------------------------------ generators

class _Maker:
    def __init__(self, rng: random.Random, industries: list[str]):
        self.rng = rng
        self.industries = industries
        self._py: dict[tuple[str, bool], tuple[str, str]] = {}
        weights = [max(1.0, 40.0 / (i + 1)) for i in range(len(W.SURNAMES))]
        self.surnames = list(W.SURNAMES) + W.RARE_SURNAMES
        self.surname_weights = weights + [0.6] * len(W.RARE_SURNAMES)

    def py(self, word: str, surname: bool = False) -> tuple[str, str]:
        key = (word, surname)
        if key not in self._py:
            self._py[key] = pinyin_forms(word, surname=surname)
        return self._py[key]

    def person(self) -> tuple[str, str, str]:
        """(name, pinyin, initials)"""
        rng = self.rng
        sur = rng.choices(self.surnames, self.surname_weights)[0]
        given = rng.choice(W.GIVEN_CHARS) + (rng.choice(W.GIVEN_CHARS) if rng.random() < 0.7 else "")
        parts = [self.py(sur, True)] + [self.py(ch) for ch in given]
        return sur + given, "".join(p[0] for p in parts), "".join(p[1] for p in parts)

    def company(self, city: str) -> tuple[str, str, str]:
        rng = self.rng
        words = [city, rng.choice(W.FIRMS), rng.choice(W.TRADES), rng.choice(W.SUFFIXES)]
        parts = [self.py(w) for w in words]
        return "".join(words), "".join(p[0] for p in parts), "".join(p[1] for p in parts)

    def mobile(self) -> str:
        return "+86" + self.rng.choice(W.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def landline(self, area: str) -> str:
        n = 8 if len(area) <= 3 else 7
        return "+86" + area + str(self.rng.randrange(2, 9)) + f"{self.rng.randrange(10**(n - 1)):0{n - 1}d}"

    def email(self, pinyin: str) -> str:
        return f"{pinyin}{self.rng.randrange(1, 999)}@{self.rng.choice(W.MAIL_DOMAINS)}"


def _digits(phone: str | None) -> str:
    return search.document.phone_digits(phone)


def _rows(maker: _Maker, code: str, cid: int, owner: int | None, admin_id: int, now: datetime):
    """One customer: its row, contact rows, history rows and search document."""
    rng = maker.rng
    province, city, area, districts = rng.choice(W.CITIES)
    individual = rng.random() < 0.15
    created = now - timedelta(days=rng.uniform(1, 1100))
    if individual:
        name, full, initials = maker.person()
        email = maker.email(full) if rng.random() < 0.6 else None
    else:
        name, full, initials = maker.company(city)
        email = f"info@{initials}{rng.randrange(10, 99)}.com.cn" if rng.random() < 0.5 else None
    path = rng.choices([p for _, p in STATUS_PATHS], [w for w, _ in STATUS_PATHS])[0]
    history, at = [], created
    for i, status in enumerate(path):
        if i:
            at = min(now, at + timedelta(days=rng.uniform(3, 200)))
        history.append({"customer_id": cid, "status": status, "previous": path[i - 1] if i else None, "at": at,
                        "user_id": owner or admin_id, "reason": "演示数据" if i else "新建"})
    mobile = maker.mobile()
    phone = maker.landline(area) if not individual or rng.random() < 0.2 else None
    row = {
        "id": cid, "code": code, "name": name, "name_norm": normalize_name(name),
        "kind": "individual" if individual else "enterprise", "status": path[-1], "status_since": at,
        "grade_pinned": False, "credit_rating": rng.choice("AABBBCCD"), "source": rng.choice(SOURCES),
        "industry": rng.choice(maker.industries), "owner_id": owner, "province": province, "city": city,
        "district": rng.choice(districts), "address": f"{rng.choice(W.STREETS)}{rng.randrange(1, 999)}号",
        "phone": phone, "mobile": mobile, "email": email,
        "registered_capital": None if individual else Decimal(rng.choice([50, 100, 200, 500, 1000, 5000]) * 10000),
        "staff_size": None if individual else rng.choice([5, 12, 30, 80, 150, 500]),
        "gender": rng.choice(["male", "female"]) if individual else None,
        "needs": rng.choice(W.NEEDS) if rng.random() < 0.3 else None,
        "created_at": created, "created_by_id": admin_id, "version": 1,
    }
    contacts, names, pys, phones, emails = [], [name], [(full, initials)], [phone, mobile], [email]
    for k in range(rng.choice((1, 2, 2, 3)) if not individual else rng.choice((1, 2))):
        cname, cfull, cinit = maker.person()
        cmobile = maker.mobile()
        cphone = maker.landline(area) if rng.random() < 0.2 else None
        cemail = maker.email(cfull) if rng.random() < 0.5 else None
        contacts.append({"customer_id": cid, "name": cname, "title": rng.choice(W.TITLES), "mobile": cmobile,
                         "phone": cphone, "email": cemail, "is_primary": k == 0, "is_decision_maker": k == 0,
                         "created_at": created, "version": 1})
        names.append(cname)
        pys.append((cfull, cinit))
        phones += [cmobile, cphone]
        emails.append(cemail)
    doc = search.document.assemble(code, names, pys, phones, emails)
    return row, contacts, history, {"customer_id": cid, "doc": doc}


# ------------------------------------------------------------ the load

def _reserve_codes(s: Session, ctx: Ctx, n: int) -> tuple[str, int, int]:
    """Reserve `n` customer code numbers that no customer uses; advance the sequence."""
    prefix = str(settings.read(s, "customer_code_prefix"))
    digits = int(settings.read(s, "customer_code_digits"))
    seq = s.scalars(select(Sequence).where(Sequence.name == "customer_code").with_for_update()).first()
    if seq is None:
        seq = Sequence(name="customer_code", next_value=1)
        s.add(seq)
    start = seq.next_value
    if start + n - 1 >= 10**digits and not s.scalar(select(func.count(Customer.id))):
        digits = len(str(start + n - 1))  # a fresh database: codes of one width, in order
        settings.write(s, ctx, "customer_code_digits", digits)
    while True:  # skip numbers someone used for a code typed in by hand
        first, last = f"{prefix}{start:0{digits}d}", f"{prefix}{start + n - 1:0{digits}d}"
        clash = s.scalar(select(func.max(Customer.code)).where(
            Customer.code.between(first, last), func.length(Customer.code) == len(first)))
        if clash is None:
            break
        start = int(clash[len(prefix):]) + 1
    seq.next_value = start + n
    s.flush()
    return prefix, digits, start


def _bulk_load(s: Session, ctx: Ctx, maker: _Maker, n: int, progress) -> tuple[list[int], int, str, str]:  # noqa: ANN001
    conn = s.connection()
    owners = _owners(s)
    prefix, digits, start = _reserve_codes(s, ctx, n)
    first_id = (s.scalar(select(func.max(Customer.id))) or 0) + 1
    now = datetime.now().replace(microsecond=0)
    ids: list[int] = []
    contacts_total = 0
    for offset in range(0, n, BATCH):
        prog.check(progress, offset, n, _("customers"))
        cust, cont, hist, docs = [], [], [], []
        for k in range(offset, min(n, offset + BATCH)):
            cid = first_id + k
            row, contacts, history, doc = _rows(maker, f"{prefix}{start + k:0{digits}d}", cid,
                                                maker.rng.choice(owners), ctx.actor.id, now)
            cust.append(row)
            cont += contacts
            hist += history
            docs.append(doc)
            ids.append(cid)
        conn.execute(insert(Customer), cust)
        conn.execute(insert(Contact), cont)
        conn.execute(insert(StatusChange), hist)
        conn.execute(insert(CustomerSearch), docs)
        contacts_total += len(cont)
    prog.check(progress, n, n, _("customers"))
    if conn.dialect.name == "postgresql":  # ids were given explicitly: move the id sequence past them
        conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT max(id) FROM customers))")
    return ids, contacts_total, f"{prefix}{start:0{digits}d}", f"{prefix}{start + n - 1:0{digits}d}"


def generate(db: Database, customers: int = 300, seed: int = 1, progress=None) -> DemoResult:  # noqa: ANN001
    """Add `customers` demo customers (with contacts and history) and the demo users."""
    t0 = time.monotonic()
    ctx, admin_pw, created_users = _ensure_users(db)
    rng = random.Random(seed)
    result = DemoResult(url=db.url, customers=customers, contacts=0, admin_password=admin_pw,
                        created_users=created_users)
    if customers > 0:
        bulk = is_sqlite(db.engine) and customers >= BULK
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection if is_sqlite(db.engine) else None
            if raw is not None:
                raw.execute("PRAGMA cache_size=-524288")  # 512 MB while loading, back to default after
            try:
                conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin(), Session(bind=conn) as s:
                    maker = _Maker(rng, list(settings.read(s, "industries")))
                    if bulk:
                        _drop_indexes(conn)
                    ids, n_contacts, first, last = _bulk_load(s, ctx, maker, customers, progress)
                    if bulk:
                        prog.check(progress, 0, None, _("building indexes"))
                        _create_indexes(conn)
                    audit.record(s, ctx.actor, "customer", None, "demo generated",
                                 label=f"{customers} × {first}…{last} (seed {seed})")
                    s.flush()
            finally:
                if raw is not None:
                    raw.execute("PRAGMA cache_size=-2000")
        result.customer_ids, result.contacts, result.first_code, result.last_code = ids, n_contacts, first, last
        for fn in EXTRA_GENERATORS:
            fn(db, ids, rng, progress)
    result.seconds = time.monotonic() - t0
    return result


_TABLES = (Customer.__table__, Contact.__table__, StatusChange.__table__)


def _drop_indexes(conn) -> None:  # noqa: ANN001
    for t in _TABLES:
        for idx in t.indexes:
            idx.drop(conn, checkfirst=True)
    search.backend_for("sqlite").drop(conn)


def _create_indexes(conn) -> None:  # noqa: ANN001
    for t in _TABLES:
        for idx in t.indexes:
            idx.create(conn, checkfirst=True)
    search.backend_for("sqlite").create(conn)
