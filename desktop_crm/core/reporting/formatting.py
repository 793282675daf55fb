"""One way to show a report cell as text, by column kind.

The screen, the PDF and the CSV all call `format_cell`, so what a user reads is
the same everywhere: money `¥1,234.50` (in 万元 `¥12.35万`), percent `12.34%`, int `1,234`,
fraction `0.1234`, number `1,234.57`, date `2024-03-01`, datetime `2024-03-01 09:30`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

_CENT = Decimal("0.01")


WAN = Decimal(10000)  # 万: money shown in ten-thousands of yuan


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else str(value))


def money_text(value: Any) -> str:
    """Money with its currency, the one way every screen, PDF and CSV shows it: ¥1,234.50, -¥12.00."""
    if value is None:
        return ""
    try:
        d = _decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return f"-¥{-d:,.2f}" if d < 0 else f"¥{d:,.2f}"


def _money(value: Any) -> str:
    return money_text(value)


def _wan(value: Any) -> str:
    """Money in 万元: ¥1,234,500.00 → ¥123.45万."""
    try:
        d = (_decimal(value) / WAN).quantize(_CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return (f"-¥{-d:,.2f}" if d < 0 else f"¥{d:,.2f}") + "万"


def _int(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else _number(value, "{:,.0f}")


def _number(value: Any, pattern: str = "{:,.2f}") -> str:
    try:
        return pattern.format(value)
    except (TypeError, ValueError):
        return str(value)


def _percent(value: Any) -> str:
    try:
        return f"{float(value) * 100:.2f}%"
    except (TypeError, ValueError):
        return str(value)


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def _datetime(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, date) else str(value)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


_FORMATTERS = {
    "text": _text,
    "int": _int,
    "money": _money,
    "wan": _wan,
    "percent": _percent,
    "fraction": lambda v: _number(v, "{:.4f}"),
    "number": _number,
    "date": _date,
    "datetime": _datetime,
}


def formatter(kind: str):
    """The formatting function for a column kind (look it up once per column in hot loops)."""
    fmt = _FORMATTERS.get(kind, _text)

    def format_value(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        return fmt(value)

    return format_value


def format_cell(value: Any, kind: str) -> str:
    """Display text of one cell: '' for None, strings as they are, else by kind."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return _FORMATTERS.get(kind, _text)(value)
