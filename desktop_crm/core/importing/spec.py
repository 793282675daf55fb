"""What an importer is: an `ImportSpec` the generic engine runs.

An area adds an importer by writing one spec module (see `customers.py`,
`contacts.py`) and one line in `SPEC_MODULES` below; `import NAME FILE` on the
command line and the GUI's import dialog then offer it.

A spec provides two functions, both called once per data row:

* `validate(rc, raw) -> Planned` — phase 1 (and again just before writing):
  clean the raw values (`raw` maps column key → cell value, only the columns
  present in the file), check them against the database through `rc.session`
  WITHOUT changing anything, and decide what the row will do: create, update or
  skip (with a reason, e.g. identical / already exists / duplicate). Raise
  `RowError({field: message})` (or a core `ValidationError`) for a bad row.
* `write(rc, planned) -> str` — phase 2: carry the plan out inside
  `rc.session` (the batch's transaction) through the area's `*_in_session`
  services so validation, audit and search are shared; return CREATED, UPDATED
  or SKIPPED.

A spec may also give `parse(raw)`: the part of cleaning that needs no database
(numbers, dates, text). `validate` then receives what `parse` returned instead of
`raw` — and must not change it: the engine parses each row once and hands the
same result to the check and to the write.

`rc.state` is a dict private to one phase of one import: use it for caches
(code → id) and for keys seen earlier in the file. `after_batch(rc, ids)` runs
once per committed unit, before commit (e.g. one search reindex per batch).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from desktop_crm.core.errors import CrmError
from desktop_crm.core.importing.headers import ImportColumn
from desktop_crm.core.services.context import Ctx

CREATE, UPDATE, UPSERT = "create", "update", "upsert"
MODES = (CREATE, UPDATE, UPSERT)
CREATED, UPDATED, SKIPPED = "created", "updated", "skipped"


class RowError(CrmError):
    """One row cannot be imported; `errors` maps a column key (or "row") to the reason."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass
class Planned:
    """What a validated row will do. `action` is CREATE, UPDATE or "skip"; `values` are cleaned;
    `target` is whatever the spec needs to write (e.g. the existing record's id);
    `warning` is shown for the row (a skip reason, a duplicate hint)."""

    action: str
    values: dict[str, Any] = field(default_factory=dict)
    target: Any = None
    warning: str = ""
    touched: list[int] = field(default_factory=list)  # ids for after_batch (set by write)


SKIP = "skip"


def cell_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as clean text: "" for nothing, and a whole number Excel stored as 1001.0 as "1001"."""
    from desktop_crm.core.rules.parsing import clean_text

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value)


@dataclass
class RowContext:
    session: Session
    ctx: Ctx
    mode: str
    row_no: int
    state: dict[str, Any]
    source: str  # the file's name (for reasons and audit notes)
    columns: frozenset[str] = frozenset()  # keys of the columns present in the file
    phase: str = "check"  # "check" (read-only, every row first) or "write" (in the unit's transaction)

    def customer_visible(self, customer_id: int) -> bool:
        """Whether the importing user may see this customer (the scope of the single-record services)."""
        from sqlalchemy import select

        from desktop_crm.core.models import Customer
        from desktop_crm.core.services.permissions import customer_scope

        cache = self.state.setdefault("visible", {})
        if customer_id not in cache:
            cache[customer_id] = self.session.scalar(select(Customer.id).where(
                Customer.id == customer_id, customer_scope(self.ctx.actor))) is not None
        return cache[customer_id]

    def visible_customer_id(self, code: str) -> int | None:
        """The id of the customer with this code if the importing user may see it (cached per phase)."""
        from sqlalchemy import select

        from desktop_crm.core.models import Customer
        from desktop_crm.core.services.permissions import customer_scope

        cache = self.state.setdefault("customers", {})
        if code not in cache:
            cache[code] = self.session.scalar(select(Customer.id).where(Customer.code == code,
                                                                        customer_scope(self.ctx.actor)))
        return cache[code]


@dataclass(frozen=True)
class ImportSpec:
    name: str  # "customers" — the command line's `import NAME`
    title: str  # English, N_() marked; translate with _() when shown
    columns: tuple[ImportColumn, ...]
    validate: Callable[[RowContext, dict[str, Any]], Planned]
    write: Callable[[RowContext, Planned], str]
    match_key: str | None = None  # the column that identifies an existing record (update/upsert)
    # the columns an update needs (the others are changed only when given); default: the match key
    update_keys: tuple[str, ...] | None = None
    modes: tuple[str, ...] = MODES
    after_batch: Callable[[RowContext, list[int]], None] | None = None
    batch_size: int = 1000
    # after_import(ctx, result): runs once after the write phase (e.g. orders recompute grades)
    after_import: Callable[[Any, Any], None] | None = None
    parse: Callable[[dict[str, Any]], Any] | None = None  # pure cleaning, done once per row (see above)

    def prepare(self, raw: dict[str, Any]) -> Any:  # noqa: ANN401 - whatever `parse` makes
        return raw if self.parse is None else self.parse(raw)

    def required_for(self, mode: str) -> tuple[str, ...]:
        """The columns a file must have: those marked required, or for an update only what finds the record."""
        if mode == UPDATE and (self.update_keys or self.match_key):
            return self.update_keys or (self.match_key,)  # type: ignore[return-value]
        return tuple(c.key for c in self.columns if c.required)

    def column(self, key: str) -> ImportColumn:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


# name -> "module:attribute" of its ImportSpec; areas add one line each.
SPEC_MODULES: dict[str, str] = {
    "customers": "desktop_crm.core.importing.customers:CUSTOMERS",
    "contacts": "desktop_crm.core.importing.contacts:CONTACTS",
    "complaints": "desktop_crm.core.importing.complaints_spec:COMPLAINTS",
    "orders": "desktop_crm.core.importing.orders_spec:ORDERS",
    "contracts": "desktop_crm.core.importing.contracts_spec:CONTRACTS",
    "leads": "desktop_crm.core.importing.leads_spec:LEADS",
    "opportunities": "desktop_crm.core.importing.opportunities_spec:OPPORTUNITIES",
}
_registered: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> None:
    """Register a spec at run time (tests, plug-ins); SPEC_MODULES is the static list."""
    _registered[spec.name] = spec


def spec_names() -> list[str]:
    return sorted(set(SPEC_MODULES) | set(_registered))


def get_spec(name: str) -> ImportSpec:
    if name in _registered:
        return _registered[name]
    target = SPEC_MODULES.get(name)
    if target is None:
        raise KeyError(name)
    module, _sep, attr = target.partition(":")
    spec = getattr(importlib.import_module(module), attr)
    _registered[name] = spec
    return spec
