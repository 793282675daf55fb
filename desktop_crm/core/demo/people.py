"""The customers of the demo: who they are (names, places, phones, contacts) and the course of
their life with the company (created, status path with dates, owner, size of their trade), as
`Life` objects the other generators read; then their rows. Pools of precomputed names and
pinyin keep one customer at a few dozen random picks and string joins.
"""

from __future__ import annotations

import random
from bisect import bisect
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from desktop_crm.core.demo import words as W
from desktop_crm.core.demo.forms import RowForm
from desktop_crm.core.rules.validation import normalize_name
from desktop_crm.core.search.document import sections
from desktop_crm.core.search.pinyin import pinyin_forms

SOURCES = ["door_to_door", "exhibition", "club", "relatives", "directory", "consultant", "agent", "referral",
           "phone", "letter", "sms", "web", "competitor", "other"]
# (weight, statuses from creation to now); a step not yet reached by today is left out
STATUS_PATHS = [(30, ("potential",)), (20, ("potential", "target")), (18, ("potential", "active")),
                (17, ("potential", "target", "active")), (10, ("potential", "target", "active", "lost")),
                (5, ("potential", "invalid"))]
# days from one status to the next (min, max)
STEP_DAYS = {"target": (3, 90), "active": (7, 150), "lost": (150, 1000), "invalid": (2, 60)}
# size of a buyer's trade: (weight, orders a year)
TIERS = [(65, 0.4), (25, 1.1), (8, 2.8), (2, 8.0)]
YEARS = 5  # customers were created over the last five years, more of them lately
FRESH = 0.01  # share of customers created this month
PERSONS = 40_000
SHORT_LANDLINES = {"592": 7}  # subscriber numbers of 7 digits (else 8)
CAPITALS = [Decimal(k * 10000) for k in (50, 100, 200, 500, 1000, 5000)]
# the first customers of every rep are given what makes each of the rep's reminder groups show
# something: (forced status path, tier index, plants)
PLANTS = [(("potential", "active"), 3, ("key_silent", "contract_ending", "order_today")),
          (("potential", "active"), 0, ("churn", "follow_up_today", "visit_done_recent")),
          (("potential", "target"), None, ("opportunity_stale", "follow_up_overdue", "birthday_soon")),
          (("potential", "target", "active"), 1, ("complaint_open", "visit_due")),
          (("potential",), None, ("fresh",))]


class Life:
    """One customer's course: what the trade, service and care generators build on."""

    __slots__ = ("id", "code", "name", "owner", "created", "path", "individual", "contacts", "tier", "plants",
                 "last_contact", "former_owner", "orders")

    def __init__(self, cid: int, code: str, owner: int | None, created: datetime):
        self.id, self.code, self.owner, self.created = cid, code, owner, created
        self.name = ""
        self.path: list[tuple[str, datetime]] = []
        self.individual = False
        self.contacts: list[tuple[int, str, str]] = []  # id, name, mobile
        self.tier = 0  # orders a year, for buyers
        self.plants: tuple[str, ...] = ()
        self.last_contact: datetime | None = None
        self.former_owner: int | None = None  # set when the customer was handed over
        self.orders: list[tuple[date, str, int]] = []  # date, order no, amount in cents

    @property
    def status(self) -> str:
        return self.path[-1][0]

    def since(self, status: str) -> datetime | None:
        for s, at in self.path:
            if s == status:
                return at
        return None

    def touch(self, at: datetime) -> None:
        if self.last_contact is None or at > self.last_contact:
            self.last_contact = at


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



# what the whole company needs once, not once per rep: given to the first rep's customers only
ONCE = {"order_today": "order_today", "complaint_open": "critical_call"}


class Planter:
    """Hands each rep's first customers the PLANTS, one each, in order; ONCE plants go to the first rep."""

    def __init__(self, reps: set[int]):
        self.reps = reps
        self.first = min(reps) if reps else None
        self.given: dict[int, int] = {}

    def next_for(self, owner: int | None) -> tuple | None:
        if owner not in self.reps:
            return None
        k = self.given.get(owner, 0)  # type: ignore[arg-type]
        if k >= len(PLANTS):
            return None
        self.given[owner] = k + 1  # type: ignore[index]
        path, tier, plants = PLANTS[k]
        if owner == self.first:
            plants = (*plants, *(ONCE[p] for p in plants if p in ONCE and ONCE[p] != p))
        else:
            plants = tuple(p for p in plants if ONCE.get(p) != p)
        return path, tier, plants


def office_time(day: date, rnd) -> datetime:  # noqa: ANN001
    """A moment of the working day (08:30–19:00) on `day`."""
    return datetime(day.year, day.month, day.day, 8, 30) + timedelta(seconds=int(rnd() * 37_800))


def _created(rnd, now: datetime) -> datetime:  # noqa: ANN001
    month_start = now.replace(day=1, hour=0, minute=0, second=0)
    if rnd() < FRESH:
        return month_start + timedelta(seconds=int(rnd() * (now - month_start).total_seconds()))
    age = 1 + (YEARS * 365 - 1) * rnd() ** 1.15  # more customers lately: the company grows
    return min(now, office_time((now - timedelta(days=age)).date(), rnd))


def _path(rnd, keys: tuple[str, ...], created: datetime, now: datetime) -> list[tuple[str, datetime]]:  # noqa: ANN001
    out, at = [(keys[0], created)], created
    for status in keys[1:]:
        lo, hi = STEP_DAYS[status]
        at = office_time((at + timedelta(days=lo + rnd() * (hi - lo))).date(), rnd)
        if at > now:
            break
        out.append((status, at))
    return out


def batch(p: Pools, first_id: int, first_contact: int, codes: list[str], owners: list, admin_id: int,  # noqa: C901
          now: datetime, out: dict[str, list[tuple]], *, planter: Planter | None = None,
          former: tuple[int, datetime] | None = None, with_scope=lambda doc, owner: doc,  # noqa: ANN001
          form: RowForm) -> tuple[list[Life], list[tuple]]:
    """Lives of len(codes) customers with ids from first_id, contacts numbered from first_contact;
    contacts, status history and search documents (through the search backend's `with_scope`)
    appended to `out`. Returns the lives
    and the customer rows without their last contact (`customer_row` completes them)."""
    rnd = p.rng.random
    ts, day = form.timestamp, form.day
    yes, no = form.flag(True), form.flag(False)
    capitals = [form.money(c) for c in CAPITALS]
    today = now.date()
    tier_cum = list(accumulate(w for w, _ in TIERS))

    def pick(seq):  # noqa: ANN001, ANN202
        return seq[int(rnd() * len(seq))]

    def mobile() -> str:
        return "+86" + pick(W.MOBILE_PREFIXES) + f"{int(rnd() * 1e8):08d}"

    def landline(area: str) -> str:
        n = SHORT_LANDLINES.get(area, 8)
        return f"+86{area}{pick('567')}{int(rnd() * 10 ** (n - 1)):0{n - 1}d}"

    def email(full: str) -> str:
        return f"{full}{1 + int(rnd() * 998)}@{pick(W.MAIL_DOMAINS)}"

    def birthday(soon: bool = False) -> date:
        if soon:  # a year with the same leap-ness, for a 29 February
            d = today + timedelta(days=2)
            return d.replace(year=d.year - 32 - 4 * int(rnd() * 5))
        d = date(1960 + int(rnd() * 42), 1, 1) + timedelta(days=int(rnd() * 365))
        return d

    lives: list[Life] = []
    heads: list[tuple] = []
    cont, hist, docs = out["contacts"], out["customer_status_history"], out["customer_search"]
    total = p.status_cum[-1]
    n = len(codes)
    next_contact = first_contact
    # the picks every customer makes, drawn a column at a time (a list comprehension each)
    cities, owner_of, ratings, sources, industries, streets, persons, firms, trades, suffixes = (
        p.rng.choices(seq, k=n) for seq in (p.cities, owners, "AABBBCCD", SOURCES, p.industries, W.STREETS,
                                            p.people, p.firms, p.trades, p.suffixes))
    for k, code in enumerate(codes):
        cid = first_id + k
        prov, city, area, districts = cities[k]
        owner = owner_of[k]
        plan = planter.next_for(owner) if planter is not None else None
        life = Life(cid, code, owner, _created(rnd, now))
        individual = life.individual = rnd() < 0.15 and plan is None
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
        life.name = name
        if plan is not None:
            keys, tier, life.plants = plan
            if "fresh" not in life.plants:  # old enough for every step of the path
                life.created = office_time((now - timedelta(days=500 + rnd() * 700)).date(), rnd)
            else:
                life.created = now - timedelta(seconds=int(rnd() * min(3600, (now - now.replace(
                    day=1, hour=0, minute=0, second=0)).total_seconds())))
        else:
            keys = STATUS_PATHS[bisect(p.status_cum, rnd() * total)][1]
            tier = None
        life.path = _path(rnd, keys, life.created, now)
        if "active" in keys:
            life.tier = TIERS[tier if tier is not None else bisect(tier_cum, rnd() * tier_cum[-1])][1]
        if former is not None and owner is not None and life.created < former[1] and rnd() < 0.08:
            life.former_owner = former[0]
        created_v = ts(life.created)
        reasons = {"lost": W.LOST_REASONS, "invalid": W.INVALID_REASONS}
        for i, (status, at) in enumerate(life.path):
            who = owner if life.former_owner is None else life.former_owner
            hist.append((cid, status, life.path[i - 1][0] if i else None, ts(at), who or admin_id,
                         (pick(reasons[status]) if status in reasons else "演示数据") if i else "新建"))
        mob = mobile()
        phone = landline(area) if not individual or rnd() < 0.2 else None
        heads.append((
            cid, code, name, norm, "individual" if individual else "enterprise", life.status,
            ts(life.path[-1][1]), no, ratings[k], sources[k], industries[k], owner, prov, city[0], pick(districts),
            f"{streets[k]}{1 + int(rnd() * 998)}号", phone, mob, mail,
            None if individual else pick(capitals),
            None if individual else pick((5, 12, 30, 80, 150, 500)),
            pick(("male", "female")) if individual else None,
            day(birthday()) if individual and rnd() < 0.7 else None,
            pick(W.NEEDS) if rnd() < 0.3 else None,
        ))
        names, pys = [sp], [full, initials]
        digits = [phone_national(phone), mob[3:]]
        mails = [mail]
        for j in range(pick((1, 1, 2)) if individual else pick((1, 1, 2, 2, 3))):
            cname, csp, cfull, cinit = pick(p.people)
            cmob = mobile()
            cphone = landline(area) if rnd() < 0.2 else None
            cmail = email(cfull) if rnd() < 0.5 else None
            first = yes if j == 0 else no
            soon = j == 0 and "birthday_soon" in life.plants
            bday = day(birthday(soon)) if soon or rnd() < 0.35 else None
            cont.append((next_contact, cid, cname, pick(W.TITLES), cmob, cphone, cmail, bday, first, first,
                         created_v, 1))
            life.contacts.append((next_contact, cname, cmob))
            next_contact += 1
            names.append(csp)
            pys += [cfull, cinit]
            digits += [cmob[3:], phone_national(cphone)]
            mails.append(cmail)
        # the same text as search.document.assemble gives for these values (demo names are all Chinese)
        rest = dict.fromkeys(x for x in (code.lower(), *pys, *digits, *mails) if x)
        docs.append((cid, with_scope(sections(dict.fromkeys(names), rest), owner)))
        lives.append(life)
    return lives, heads


def customer_rows(lives: list[Life], heads: list[tuple], admin_id: int, basis: str, form: RowForm) -> list[tuple]:
    """The customer rows, completed with each life's last contact. A customer who never ordered
    gets the grading a recompute gives it (no grade, value 0, loyalty `potential`, no ABC class), so
    the recompute after the load only writes the buyers."""
    ts = form.timestamp
    unranked = (form.cents(0), basis, "potential", None)
    buyer = (None, None, None, None)
    return [(*head, ts(life.last_contact) if life.last_contact else None, ts(life.created), admin_id, 1,
             *(buyer if life.orders else unranked)) for life, head in zip(lives, heads, strict=True)]


def phone_national(phone: str | None) -> str | None:
    """+8621xxxxxxxx → 021xxxxxxxx (what search.document.phone_digits gives for a landline)."""
    return "0" + phone[3:] if phone else None
