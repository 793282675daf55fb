"""Fast row makers for the demo data (pools of precomputed names and pinyin; one
customer costs a few dozen random picks and string joins).

Rows are tuples in the order of the *_COLUMNS below, with values already in the form
the database driver takes (`RowForm`): on SQLite the loader hands them to the driver
as they are, skipping SQLAlchemy's per-value conversions (most of a bulk load's time).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from desktop_crm.core import demo_words as W
from desktop_crm.core.models.types import Money
from desktop_crm.core.rules.validation import normalize_name
from desktop_crm.core.search.document import sections
from desktop_crm.core.search.pinyin import pinyin_forms

SOURCES = ["door_to_door", "exhibition", "club", "relatives", "directory", "consultant", "agent", "referral",
           "phone", "letter", "sms", "web", "competitor", "other"]
# (weight, statuses from creation to now)
STATUS_PATHS = [(30, ("potential",)), (20, ("potential", "target")), (18, ("potential", "active")),
                (17, ("potential", "target", "active")), (10, ("potential", "target", "active", "lost")),
                (5, ("potential", "invalid"))]
PERSONS = 40_000
SHORT_LANDLINES = {"592": 7}  # subscriber numbers of 7 digits (else 8)
CAPITALS = [Decimal(k * 10000) for k in (50, 100, 200, 500, 1000, 5000)]

CUSTOMER_COLUMNS = ("id", "code", "name", "name_norm", "kind", "status", "status_since", "grade_pinned",
                    "credit_rating", "source", "industry", "owner_id", "province", "city", "district", "address",
                    "phone", "mobile", "email", "registered_capital", "staff_size", "gender", "needs",
                    "created_at", "created_by_id", "version")
CONTACT_COLUMNS = ("customer_id", "name", "title", "mobile", "phone", "email", "is_primary", "is_decision_maker",
                   "created_at", "version")
HISTORY_COLUMNS = ("customer_id", "status", "previous", "at", "user_id", "reason")
DOCUMENT_COLUMNS = ("customer_id", "doc")


@dataclass(frozen=True)
class RowForm:
    """How datetimes, booleans and money are written into the rows."""

    timestamp: Callable[[datetime], object]
    flag: Callable[[bool], object]
    money: Callable[[Decimal], object]


# Python values, for an INSERT through SQLAlchemy
PYTHON_FORM = RowForm(timestamp=lambda d: d, flag=bool, money=lambda m: m)
# what SQLAlchemy's SQLite types would bind: DateTime's text, 0/1, Money's integer cents
SQLITE_FORM = RowForm(timestamp=lambda d: d.isoformat(" ", "microseconds"), flag=int,
                      money=lambda m: Money().process_bind_param(m, None))


def _word(text: str, surname: bool = False) -> tuple[str, str, str, str]:
    full, initials = pinyin_forms(text, surname=surname)
    return text, " ".join(text), full, initials


class Pools:
    def __init__(self, rng: random.Random, industries: list[str]):
        self.rng = rng
        self.industries = industries or ["其他"]
        surnames = list(W.SURNAMES) + W.RARE_SURNAMES
        weights = [max(1.0, 40.0 / (i + 1)) for i in range(len(W.SURNAMES))] + [0.6] * len(W.RARE_SURNAMES)
        given = [_word(ch) for ch in W.GIVEN_CHARS]
        sur = {s: _word(s, surname=True) for s in surnames}
        people = {}
        for s in rng.choices(surnames, weights, k=PERSONS):
            parts = [sur[s], rng.choice(given)] + ([rng.choice(given)] if rng.random() < 0.7 else [])
            name = "".join(p[0] for p in parts)
            people[name] = (name, " ".join(p[1] for p in parts), "".join(p[2] for p in parts),
                            "".join(p[3] for p in parts))
        self.people = list(people.values())
        self.cities = [(prov, _word(city), area, districts) for prov, city, area, districts in W.CITIES]
        self.firms = [_word(w) for w in W.FIRMS]
        self.trades = [_word(w) for w in W.TRADES]
        self.suffixes = [(*_word(w), normalize_name("甲" + w)[1:]) for w in W.SUFFIXES]
        self.status_cum = list(accumulate(w for w, _ in STATUS_PATHS))


def batch(p: Pools, first_id: int, codes: list[str], owners: list, admin_id: int, now: datetime,  # noqa: C901
          with_scope=lambda doc, owner: doc, form: RowForm = PYTHON_FORM):  # noqa: ANN001
    """Rows for len(codes) customers with ids from first_id: customers, contacts, history, search
    docs (passed through the search backend's `with_scope`), as tuples in `form`."""
    rnd = p.rng.random
    ts = form.timestamp
    yes, no = form.flag(True), form.flag(False)
    capitals = [form.money(c) for c in CAPITALS]

    def pick(seq):  # noqa: ANN001, ANN202
        return seq[int(rnd() * len(seq))]

    def mobile() -> str:
        return "+86" + pick(W.MOBILE_PREFIXES) + f"{int(rnd() * 1e8):08d}"

    def landline(area: str) -> str:
        n = SHORT_LANDLINES.get(area, 8)
        return f"+86{area}{pick('567')}{int(rnd() * 10 ** (n - 1)):0{n - 1}d}"

    def email(full: str) -> str:
        return f"{full}{1 + int(rnd() * 998)}@{pick(W.MAIL_DOMAINS)}"

    cust, cont, hist, docs = [], [], [], []
    total = p.status_cum[-1]
    n = len(codes)
    # the picks every customer makes, drawn a column at a time (a list comprehension each)
    cities, owner_of, ratings, sources, industries, streets, persons, firms, trades, suffixes = (
        p.rng.choices(seq, k=n) for seq in (p.cities, owners, "AABBBCCD", SOURCES, p.industries, W.STREETS,
                                            p.people, p.firms, p.trades, p.suffixes))
    for k, code in enumerate(codes):
        cid = first_id + k
        prov, city, area, districts = cities[k]
        individual = rnd() < 0.15
        created = now - timedelta(seconds=86400 + int(rnd() * 95_000_000))
        created_v = ts(created)
        if individual:
            name, sp, full, initials = persons[k]
            norm = name
            mail = email(full) if rnd() < 0.6 else None
        else:
            firm, trade, suffix = firms[k], trades[k], suffixes[k]
            name = city[0] + firm[0] + trade[0] + suffix[0]
            sp = " ".join((city[1], firm[1], trade[1], suffix[1]))
            full = city[2] + firm[2] + trade[2] + suffix[2]
            initials = city[3] + firm[3] + trade[3] + suffix[3]
            norm = city[0] + firm[0] + trade[0] + suffix[4]
            mail = f"info@{initials}{10 + int(rnd() * 89)}.com.cn" if rnd() < 0.5 else None
        owner = owner_of[k]
        path = STATUS_PATHS[bisect(p.status_cum, rnd() * total)][1]
        at, at_v = created, created_v
        for i, status in enumerate(path):
            if i:
                at = min(now, at + timedelta(seconds=259200 + int(rnd() * 17_000_000)))
                at_v = ts(at)
            hist.append((cid, status, path[i - 1] if i else None, at_v, owner or admin_id,
                         "演示数据" if i else "新建"))
        mob = mobile()
        phone = landline(area) if not individual or rnd() < 0.2 else None
        cust.append((
            cid, code, name, norm, "individual" if individual else "enterprise", path[-1], at_v, no,
            ratings[k], sources[k], industries[k], owner, prov, city[0], pick(districts),
            f"{streets[k]}{1 + int(rnd() * 998)}号", phone, mob, mail,
            None if individual else pick(capitals),
            None if individual else pick((5, 12, 30, 80, 150, 500)),
            pick(("male", "female")) if individual else None,
            pick(W.NEEDS) if rnd() < 0.3 else None,
            created_v, admin_id, 1,
        ))
        names, pys = [sp], [full, initials]
        digits = [phone_national(phone), mob[3:]]
        mails = [mail]
        for j in range(pick((1, 2)) if individual else pick((1, 2, 2, 3))):
            cname, csp, cfull, cinit = pick(p.people)
            cmob = mobile()
            cphone = landline(area) if rnd() < 0.2 else None
            cmail = email(cfull) if rnd() < 0.5 else None
            first = yes if j == 0 else no
            cont.append((cid, cname, pick(W.TITLES), cmob, cphone, cmail, first, first, created_v, 1))
            names.append(csp)
            pys += [cfull, cinit]
            digits += [cmob[3:], phone_national(cphone)]
            mails.append(cmail)
        # the same text as search.document.assemble gives for these values (demo names are all Chinese)
        rest = dict.fromkeys(x for x in (code.lower(), *pys, *digits, *mails) if x)
        docs.append((cid, with_scope(sections(dict.fromkeys(names), rest), owner)))
    return cust, cont, hist, docs


def phone_national(phone: str | None) -> str | None:
    """+8621xxxxxxxx → 021xxxxxxxx (what search.document.phone_digits gives for a landline)."""
    return "0" + phone[3:] if phone else None
