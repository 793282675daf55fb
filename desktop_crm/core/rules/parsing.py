"""Parsing of typed or imported values (DOMAIN §2): control characters, dates and amounts.

Pure functions. Errors are `ValueError` with a translated message naming the
problem. Text is NFKC-normalised first, so full-width digits and punctuation
typed with a Chinese IME are accepted. `validation` re-exports everything public
here, so callers can import all field rules from one place.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from desktop_crm.core.i18n import _

_LINE_BREAKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Invisible format characters that sneak in from copy/paste (zero-width, bidi controls, BOM).
# U+200D ZERO WIDTH JOINER is kept: emoji sequences need it.
_INVISIBLE = set("\u00ad\u200b\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
                 "\u2066\u2067\u2068\u2069\ufeff")


def strip_control(text: str, multiline: bool = False) -> str:
    """Remove control and invisible format characters; tab and line breaks (CR LF counts as one) become a space.

    With `multiline=True` (notes, descriptions) line breaks are kept and normalised
    to "\\n" (CR LF and CR become LF); tabs still become a space. Other C0/C1
    control characters, lone surrogates and invisible format characters (zero-width
    space, bidi overrides, BOM, soft hyphen) are removed. Nothing else changes:
    no trimming, no collapsing of spaces.
    """
    text = text.replace("\r\n", "\n")
    if multiline:
        text = text.replace("\r", "\n")
    out: list[str] = []
    for ch in text:
        if ch == "\n" and multiline:
            out.append(ch)
        elif ch in _LINE_BREAKS:
            out.append(" ")
        elif ch in _INVISIBLE or unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def clean_text(value: object) -> str:
    """str(value), NFKC-normalised, control characters handled as in `strip_control`, trimmed."""
    return strip_control(unicodedata.normalize("NFKC", str(value))).strip()


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31
_TIME = r"(?:(?:[ T]+|(?<=[日号]))(\d{1,2})[:时点](\d{1,2})(?:[:分](\d{1,2})(?:\.(\d{1,6}))?)?[分秒]?)?"
_DATE_RES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME + "$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})" + _TIME + "$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?" + _TIME + "$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})" + _TIME + "$"),
)


def parse_datetime(value: object) -> datetime:
    """Read a date-time from a datetime/date, an Excel serial number or text; a date alone means midnight.

    Text forms: `2024-03-05`, `2024/3/5`, `2024.3.5`, `20240305`, `2024年3月5日`,
    each optionally followed by a time `14:30`, `14:30:15(.123)` or `14时30分`;
    `T` may separate date and time (`2024-03-05T14:30:00`). Full-width digits are accepted. Excel
    serials use the 1900 date system (1 = 1900-01-01, 60 = the nonexistent
    1900-02-29 is rejected); the fraction is the time of day. Numeric text is
    not taken as a serial. Times are naive: a time zone suffix is rejected.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time.min)
    if isinstance(value, bool) or value is None:
        raise ValueError(_("A date is required."))
    if isinstance(value, int | float | Decimal):
        return _from_serial(value)
    text = clean_text(value)
    if not text:
        raise ValueError(_("A date is required."))
    bad = ValueError(_("\"{value}\" is not a valid date; use a form like 2024-03-05.").format(value=text))
    for pattern in _DATE_RES:
        m = pattern.match(text)
        if m:
            y, mo, d, hh, mm, ss, frac = m.groups()
            try:
                return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0),
                                int((frac or "0").ljust(6, "0")))
            except ValueError:
                raise bad from None
    raise bad


def parse_date(value: object) -> date:
    """Read a date from the same inputs as `parse_datetime`; a time part is accepted and dropped."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return parse_datetime(value).date()


def _from_serial(value: int | float | Decimal) -> datetime:
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        ok = number.is_finite() and 1 <= number < _MAX_SERIAL + 1
    except (InvalidOperation, ValueError):
        ok = False
    if not ok:
        raise ValueError(_("{value} is not a valid Excel date number.").format(value=value))
    days = math.floor(number)
    if days == 60:
        raise ValueError(_("Excel date number 60 is 1900-02-29, which does not exist."))
    base = _EXCEL_EPOCH + timedelta(days=1) if days < 60 else _EXCEL_EPOCH
    micro = int(((number - days) * 86_400_000_000).to_integral_value())
    try:
        return datetime.combine(base + timedelta(days=days), time.min) + timedelta(microseconds=micro)
    except OverflowError:
        raise ValueError(_("{value} is not a valid Excel date number.").format(value=value)) from None


# ---------------------------------------------------------------- amounts

_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_CURRENCY = ("¥", "元", "rmb", "cny")


def parse_decimal(value: object) -> Decimal:
    """Read an exact Decimal from an int, Decimal, float or text like `1,234.50`, `¥１２３`, `-12元`.

    Text may carry a currency sign (¥, ￥, 元, RMB, CNY) before or after the number,
    thousands separators in groups of three and full-width digits; exponents,
    spaces inside the number, NaN and infinities are rejected. Floats are read
    through `repr` so 0.1 gives Decimal("0.1"). The value is not rounded.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(_("A number is required."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal | float):
        number = Decimal(repr(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise ValueError(_("\"{value}\" is not a number.").format(value=value))
        return number
    text = clean_text(value).casefold()
    if not text:
        raise ValueError(_("A number is required."))
    sign = ""
    if text[0] in "+-":
        sign, text = text[0], text[1:].lstrip()
    for mark in _CURRENCY:
        if text.startswith(mark):
            text = text[len(mark):].lstrip()
        if text.endswith(mark):
            text = text[: -len(mark)].rstrip()
    if text and text[0] in "+-" and not sign:
        sign, text = text[0], text[1:]
    if not text or not _NUMBER_RE.match(text) or not any(ch.isdigit() for ch in text):
        raise ValueError(_("\"{value}\" is not a number.").format(value=clean_text(value)))
    try:
        return Decimal(sign + text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("\"{value}\" is not a number.").format(value=clean_text(value))) from None
