"""The one report model (ARCHITECTURE rule 9): computed once, rendered many ways.

A report builder fills these plain dataclasses; the screen (Qt model), print
preview, the Excel, PDF, CSV and JSON writers only render them, so the numbers
cannot disagree. Values in rows are raw Python values keyed by column key:

    text      str                    int       int
    money     Decimal (cents)        percent   fraction (0.1234 shows as 12.34%)
    fraction  fraction/ratio         number    int/float/Decimal (2 decimals)
    date      datetime.date          datetime  datetime.datetime (naive, local)

`None` means "no value" everywhere. Display text comes from
`reporting.formatting.format_cell`; JSON from `Report.to_dict()`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from desktop_crm.core.i18n import _

KINDS = ("text", "int", "money", "wan", "percent", "fraction", "number", "date", "datetime")
NUMERIC_KINDS = frozenset({"int", "money", "wan", "percent", "fraction", "number"})  # wan: money shown in 万元
CHART_KINDS = ("bar", "pie", "line")
# row key: machine keys of the row's label cells, column -> key (an enum key, a month 1–12, a bool).
# Screens, Excel and PDF show the labels; JSON gives the key under the column and the label beside it.
KEYS = "_keys"
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"
    # Optional width hint in characters; renderers guess from content when None.
    width: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; expected one of {KINDS}")

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Totals row keyed by column key (a text column usually holds _("Total")).
    totals: dict[str, Any] | None = None

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        cols = self.columns
        kinds = [(c.key, c.kind) for c in cols]
        return {
            "columns": [{"key": c.key, "title": c.title} for c in cols],
            "rows": [_json_row(row, kinds) for row in self.rows],
            "totals": (
                {k: json_value(self.totals.get(k), kind) for k, kind in kinds if k in self.totals}
                if self.totals
                else {}
            ),
        }


@dataclass
class ChartSeries:
    """A chart over explicit categories; `series` is [(name, values)] aligned with categories."""

    kind: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[Any]]]

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}; expected one of {CHART_KINDS}")
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(f"series {name!r} has {len(values)} values for {len(self.categories)} categories")

    def float_series(self) -> list[tuple[str, list[float]]]:
        return [(name, [float(v or 0) for v in values]) for name, values in self.series]


class Section(NamedTuple):
    key: str
    title: str
    table: Table


class Parameter(NamedTuple):
    """A report parameter as shown (`label`, `value`); `key` names it in JSON when given."""

    label: str
    value: Any
    key: str | None = None


@dataclass
class Report:
    key: str
    title: str
    main: Table
    period: str = ""
    parameters: list[Parameter] = field(default_factory=list)
    scope: str = ""
    company: str = ""
    produced_by: str = ""
    produced_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    sections: list[Section] = field(default_factory=list)
    chart: ChartSeries | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Accept plain tuples for convenience; keep named tuples inside.
        self.parameters = [p if isinstance(p, Parameter) else Parameter(*p) for p in self.parameters]
        self.sections = [s if isinstance(s, Section) else Section(*s) for s in self.sections]
        if isinstance(self.notes, str):
            self.notes = [self.notes] if self.notes else []

    def tables(self) -> list[tuple[str, str, Table]]:
        """The main table then every section, as (key, title, table)."""
        return [(self.key, self.title, self.main)] + [tuple(s) for s in self.sections]

    def total_rows(self) -> int:
        return sum(len(t.rows) for _, _, t in self.tables())

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: report, title, parameters, columns, rows, totals, sections, notes."""
        main = self.main.to_dict()
        return {
            "report": self.key,
            "title": self.title,
            "period": self.period,
            "scope": self.scope,
            "company": self.company,
            "produced_by": self.produced_by,
            "produced_at": self.produced_at.isoformat(timespec="seconds") if self.produced_at else None,
            "parameters": {(p.key or p.label): _plain(p.value) for p in self.parameters},
            "columns": main["columns"],
            "rows": main["rows"],
            "totals": main["totals"],
            "sections": {s.key: dict(s.table.to_dict(), title=s.title) for s in self.sections},
            "notes": list(self.notes),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def total_label() -> str:
    """The label builders put in the first text column of a totals row."""
    return _("Total")


def money_cents(value: Any) -> Decimal:
    """Round half-up to cents (Decimal in, Decimal out; floats through their repr)."""
    d = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else str(value))
    return d.quantize(_CENT, rounding=ROUND_HALF_UP)


def _json_row(row: dict[str, Any], kinds: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    keys = row.get(KEYS) or {}
    for k, kind in kinds:
        if k in keys:  # the machine key, and the label as shown beside it
            out[k] = _plain(keys[k])
            out[f"{k}_label"] = _plain(row.get(k))
        else:
            out[k] = json_value(row.get(k), kind)
    return out


def json_value(value: Any, kind: str) -> Any:
    """A cell as a JSON value at full precision (rounding belongs to the renderers): numbers as
    numbers, fractions as fractions of 1, dates in ISO form."""
    if value is None:
        return None
    if kind == "int":
        return int(value) if not isinstance(value, str) else value
    if kind in ("money", "wan", "percent", "fraction", "number"):
        return float(value) if not isinstance(value, str) else value
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
