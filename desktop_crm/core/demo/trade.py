"""The demo's trade: orders over the last three calendar years and this one (seasonal, growing,
each buyer with its favourite products), contracts with their terms and renewals, and
opportunities in every stage with their history and actions."""

from __future__ import annotations

import math
from bisect import bisect
from datetime import date, datetime, timedelta
from itertools import accumulate

from desktop_crm.core.demo import words as W
from desktop_crm.core.demo.forms import RowForm
from desktop_crm.core.demo.people import Life, office_time

OPEN_STAGES = ("lead", "contacted", "qualified", "proposal", "negotiation")
GROWTH = 0.12  # sales grow by about this much a year
WEEKDAY = (1.0, 1.0, 1.0, 1.0, 0.95, 0.45, 0.25)


class Counters:
    """Numbers and ids handed out while generating (read from and saved to the database by the loader)."""

    def __init__(self, **start: int):
        self.__dict__.update(start)

    def take(self, name: str) -> int:
        value = self.__dict__[name]
        self.__dict__[name] = value + 1
        return value


def poisson(rnd, lam: float) -> int:  # noqa: ANN001
    if lam <= 0:
        return 0
    if lam > 30:  # the normal approximation is plenty for a demo
        return max(0, round(lam + math.sqrt(lam) * math.sqrt(-2 * math.log(rnd() or 1e-12))
                            * math.cos(2 * math.pi * rnd())))
    limit, k, prod = math.exp(-lam), 0, rnd()
    while prod > limit:
        k += 1
        prod *= rnd()
    return k


class Trade:
    """Generates the trade rows of a batch of lives into `out`."""

    def __init__(self, rng, now: datetime, admin_id: int, counters: Counters, form: RowForm):  # noqa: ANN001
        self.rnd = rng.random
        self.now, self.today = now, now.date()
        self.start = date(now.year - 3, 1, 1)  # orders from the first of the three full years back
        self.admin, self.counters, self.form = admin_id, counters, form
        self.product_cum = list(accumulate(p[4] for p in W.PRODUCTS))
        top = max(W.SEASON) * (1 + GROWTH) ** ((self.today - self.start).days / 365)
        self.accept = [s / top for s in W.SEASON]
        self.month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    # ------------------------------------------------------------------ orders

    def _day(self, lo: date, hi: date) -> date:
        """A day in [lo, hi] drawn with the season, the weekday and the growth of the trade."""
        rnd, span = self.rnd, (hi - lo).days + 1
        for _ in range(60):
            d = lo + timedelta(days=int(rnd() * span))
            w = self.accept[d.month - 1] * WEEKDAY[d.weekday()] * (1 + GROWTH) ** ((d - self.start).days / 365)
            if rnd() < w:
                return d
        return d

    def _product(self) -> tuple:
        return W.PRODUCTS[bisect(self.product_cum, self.rnd() * self.product_cum[-1])]

    def orders(self, life: Life, out: dict[str, list[tuple]]) -> None:
        active = life.since("active")
        if active is None:
            return
        rnd, f = self.rnd, self.form
        lost = life.since("lost")
        first = active.date()
        last = (lost.date() - timedelta(days=30 + int(rnd() * 90))) if lost else self.today
        if "churn" in life.plants:  # a good customer gone quiet
            last = self.today - timedelta(days=200 + int(rnd() * 150))
        last = max(last, first)
        lo = max(first, self.start)
        if lo > last:
            return
        years = ((last - lo).days + 1) / 365
        n = poisson(rnd, life.tier * years)
        days = [self._day(lo, last) for _ in range(n)]
        if first >= self.start:
            days.append(first)  # the deal that made it a buyer
        if "order_today" in life.plants:  # the month's sales are never empty, even on its first morning
            days.append(self.today)
        if not days:
            return
        favourites = [self._product() for _ in range(1 + int(rnd() * 3))]
        scale = {0.4: 0.5, 1.1: 1.0, 2.8: 1.6, 8.0: 2.5}.get(life.tier, 1.0)
        prices = {}
        for d in sorted(days):
            product = favourites[int(rnd() * len(favourites))] if rnd() < 0.8 else self._product()
            name, category, (plo, phi), (qlo, qhi), _w = product
            price = prices.get(name)
            if price is None:
                price = prices[name] = int((plo + rnd() * (phi - plo)) * 2) * 50  # to half a yuan, in cents
            qty = max(1, int((qlo + rnd() ** 2 * (qhi - qlo)) * scale))
            amount = price * qty
            cost = int(amount * (0.62 + rnd() * 0.2)) if rnd() < 0.97 else None
            age = (self.today - d).days
            r = rnd()
            paid = amount if age > 45 and r < 0.96 or r < 0.4 else (amount // 2 if r < 0.8 else 0)
            number = f"SO{d:%y%m%d}{self.counters.take('order'):07d}"
            out["orders"].append((number, life.id, f.day(d), name, category, f.quantity(qty), f.cents(amount),
                                  None if cost is None else f.cents(cost), f.cents(paid), f.day(d + timedelta(days=30)),
                                  f.timestamp(min(self.now, office_time(d, rnd))), self.admin, 1))
            life.orders.append((d, number, amount))

    # ------------------------------------------------------------------ contracts

    def contracts(self, life: Life, out: dict[str, list[tuple]]) -> None:
        active = life.since("active")
        if active is None or life.individual or not (life.tier >= 1.1 or "contract_ending" in life.plants
                                                     or self.rnd() < 0.3):
            return
        rnd, f, today = self.rnd, self.form, self.today
        signed = active.date()
        lost = life.since("lost")
        if "contract_ending" in life.plants:  # the current term ends in three weeks
            start = _years_before(today + timedelta(days=21), 1)
            signed = _years_before(start, 1 + int(rnd() * 2))
        elif lost is not None:
            start = signed
        else:  # renewed every year: the current term
            start = signed
            while _years_before(start, -1) <= today:
                start = _years_before(start, -1)
        end = _years_before(start, -1) - timedelta(days=1)
        status = "active" if end >= today else "ended"
        amount = int(life.tier * 20_000 * (0.6 + rnd() * 0.8)) * 100
        number = f"HT{signed.year}{self.counters.take('contract'):06d}"
        out["contracts"].append((number, life.id, "年度供货合同", f.day(signed), f.day(start), f.day(end),
                                 f.cents(amount), status, f.timestamp(office_time(signed, rnd)), life.owner or self.admin,
                                 1))

    # ------------------------------------------------------------------ opportunities

    def opportunities(self, life: Life, out: dict[str, list[tuple]]) -> None:  # noqa: C901
        rnd, f, now = self.rnd, self.form, self.now
        status = life.status
        stale = "opportunity_stale" in life.plants
        r = rnd()
        if stale or status == "target" and r < 0.5:
            opened = life.since("target") or life.created
            final = "lost" if not stale and (now - opened).days > 180 and rnd() < 0.3 else \
                OPEN_STAGES[min(4, int(rnd() ** 0.8 * 5))]
        elif status == "active" and r < 0.15 and life.since("target") is not None:
            opened, final = life.since("target"), "won"
        elif status == "potential" and r < 0.05:
            opened, final = life.created, "lead"
        else:
            return
        oid = self.counters.take("opportunity")
        owner = life.owner
        user = owner or self.admin
        steps = list(OPEN_STAGES[:OPEN_STAGES.index(final) + 1]) if final in OPEN_STAGES else \
            list(OPEN_STAGES[:2 + int(rnd() * 4)]) + [final]
        at, moves = opened, []
        won_at = life.since("active") if final == "won" else None
        for k, stage in enumerate(steps):
            if k:
                at = won_at if stage == "won" else office_time((at + timedelta(days=3 + rnd() * 25)).date(), rnd)
                if won_at is not None and stage != "won":  # the steps before the deal stay before it
                    at = max(moves[-1][1], min(at, won_at - timedelta(minutes=len(steps) - k)))
                if at is None or at > now:
                    break
            moves.append((stage, at))
        stages = out["opportunity_stages"]
        for k, (stage, at) in enumerate(moves):
            reason = W.OPPORTUNITY_LOST[int(rnd() * len(W.OPPORTUNITY_LOST))] if stage == "lost" else None
            stages.append((oid, stage, moves[k - 1][0] if k else None, f.timestamp(at), user, reason))
        stage, since = moves[-1]
        closed = stage in ("won", "lost")
        if closed:
            last_action = since
        elif stale or rnd() < 0.5:  # not touched this month
            last_action = max(since, self.month_start - timedelta(days=5 + int(rnd() * 50)))
            last_action = min(last_action, self.month_start - timedelta(hours=1))
        else:
            last_action = self.month_start + timedelta(seconds=int(rnd() * (now - self.month_start).total_seconds()))
        last_action = max(last_action, since)
        actions = out["opportunity_actions"]
        for k in range(1 + int(rnd() * 3)):
            when = last_action - timedelta(days=k * (2 + int(rnd() * 10)))
            if when < opened:
                break
            actions.append((oid, f.timestamp(when), user, W.OPPORTUNITY_ACTIONS[int(rnd() * len(W.OPPORTUNITY_ACTIONS))]))
        if closed:
            expected = since.date()
        else:
            expected = self.today + timedelta(days=(-int(rnd() * 30)) if rnd() < 0.15 else 5 + int(rnd() * 115))
        amount = int(5_000 + rnd() ** 2 * 500_000) // 100 * 10_000  # round hundreds of yuan, in cents
        name = W.OPPORTUNITY_NAMES[int(rnd() * len(W.OPPORTUNITY_NAMES))]
        lost_reason = stages[-1][5] if stage == "lost" else None
        out["opportunities"].append((oid, name, life.id, f.cents(amount), f.day(expected), stage, f.timestamp(since),
                                     lost_reason, owner, f.timestamp(last_action), f.timestamp(opened), user, 1))
        if stage in ("proposal", "negotiation") and not life.individual and rnd() < 0.3:
            number = f"HT{self.today.year}{self.counters.take('contract'):06d}"
            out["contracts"].append((number, life.id, name, None, None, None, f.cents(amount), "draft",
                                     f.timestamp(since), user, 1))


def _years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (negative: later); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
