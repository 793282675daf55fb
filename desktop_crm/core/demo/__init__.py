"""Demo data: a company in the middle of its year, up to today.

Users of every role in four departments (and a rep who left), customers with contacts and a
status history, orders over the last three calendar years and this one with a seasonal trade,
contracts and opportunities, complaints in every state of the workflow, follow-ups, return
visits, birthdays, handovers and the customer pool; grades, loyalty stages and ABC classes
computed at the end by the same recompute a user runs. The same seed and day give the same
business.

Modules: `staff` (users, who is who), `people` (customers and the course of their life),
`trade` (orders, contracts, opportunities), `service` (complaints), `care` (follow-ups, visits,
owners over time), `forms` (tables, columns, driver form), `load` (the bulk load), `first_run`.

Other areas add their own demo data by appending a generator to `EXTRA_GENERATORS` (or
decorating it with `@extra_generator`): it is called after the load is committed as
`fn(db, customer_ids, rng, progress)`.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime

from desktop_crm.core.db import Database
from desktop_crm.core.demo import load as _load
from desktop_crm.core.demo.load import BULK, EXTRA_GENERATORS, TIMES, Generator  # noqa: F401
from desktop_crm.core.demo.staff import DEMO_PASSWORD, DEPARTMENTS, ensure_users  # noqa: F401
from desktop_crm.core.i18n import _
from desktop_crm.core.services.context import Ctx

DEFAULT_CUSTOMERS = 2000
# what the summary counts, in its order
COUNTED = ("contacts", "orders", "contracts", "opportunities", "complaints", "visit_plans", "interactions")


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
    counts: dict[str, int] = field(default_factory=dict)  # rows written per table

    def summary_lines(self) -> list[str]:
        lines = [_("Demo data: {n} customers ({first} … {last}) and {c} contacts in {s:.1f} s.").format(
            n=self.customers, first=self.first_code, last=self.last_code, c=self.contacts, s=self.seconds)]
        if self.counts:
            lines.append(_("Orders {orders}, contracts {contracts}, opportunities {opportunities}, complaints "
                           "{complaints}, return visits {visit_plans}, follow-ups and visits logged "
                           "{interactions}.").format(**{k: self.counts.get(k, 0) for k in COUNTED}))
        if self.admin_password:
            lines.append(_("Administrator: admin / {pw}").format(pw=self.admin_password))
        for name, role, dept in self.created_users:
            lines.append(_("User {name} ({role}{dept}), password {pw}").format(
                name=name, role=role, dept=f", {dept}" if dept else "", pw=DEMO_PASSWORD))
        lines.append(_("Database: {url}").format(url=Database.display_url(self.url)))
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


def generate(db: Database, customers: int = DEFAULT_CUSTOMERS, seed: int = 1, progress=None,  # noqa: ANN001
             now: datetime | None = None, ctx: Ctx | None = None) -> DemoResult:
    """Add `customers` demo customers with their business (and the demo users) as of `now`. On a
    database with users, `ctx` is the administrator who asks for it; an empty one gets `admin`."""
    t0 = time.monotonic()
    ctx, admin_pw, created_users = ensure_users(db, ctx)
    now = (now or datetime.now()).replace(microsecond=0)
    result = DemoResult(url=db.url, customers=customers, contacts=0, admin_password=admin_pw,
                        created_users=created_users)
    if customers > 0:
        ids, counts, first, last = _load.load(db, ctx, customers, seed, now, progress)
        result.customer_ids, result.counts, result.first_code, result.last_code = ids, counts, first, last
        result.contacts = counts["contacts"]
        rng = random.Random(seed + 1)
        for fn in EXTRA_GENERATORS:
            fn(db, ids, rng, progress)
    result.seconds = time.monotonic() - t0
    return result
