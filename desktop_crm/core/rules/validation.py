"""Field validators and normalisers (DOMAIN §2): phones, e-mail, IDs, names; dates and amounts re-exported.

Every function is pure. Normalisers raise `ValueError` whose message is already
translated and names the problem; callers put it under the field's name in a
`ValidationError`. Check-digit functions return a bool (a bad USCC check digit
is a warning, not a block). Text input is NFKC-normalised first, so full-width
digits and punctuation typed with a Chinese IME are accepted.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

import phonenumbers

from desktop_crm.core.i18n import _
from desktop_crm.core.rules.parsing import (
    clean_text,
    parse_date,
    parse_datetime,
    parse_decimal,
    strip_control,
)

__all__ = [
    "check_resident_id", "check_uscc", "clean_text", "normalize_name", "normalize_phone", "parse_date",
    "parse_datetime", "parse_decimal", "phone_digits", "strip_control", "validate_email",
]

# ---------------------------------------------------------------- phones

_PHONE_ALLOWED = set("0123456789+-()./ ")


@functools.lru_cache(maxsize=4096)
def display_phone(value: str | None) -> str:
    """A stored number as people in China read it, the one form used on every screen: mobiles
    `138 0013 8000`, landlines with their trunk 0 and area code `010 7306 0062`; other countries
    in international form; anything unparsable as it is."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return text
    if number.country_code == 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_phone(text: str, region: str = "CN") -> str:
    """Parse a phone number in any common formatting and return it in E.164 (`+8613812345678`)."""
    raw = clean_text(text) if text is not None else ""
    if not raw:
        raise ValueError(_("The phone number is empty."))
    for ch in raw:
        if ch not in _PHONE_ALLOWED:
            raise ValueError(_("The phone number contains \"{char}\", which is not allowed.").format(char=ch))
    if not any(ch.isdigit() for ch in raw):
        raise ValueError(_("The phone number has no digits."))
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(_("\"{value}\" is not a phone number.").format(value=raw)) from exc
    if number.extension:
        raise ValueError(_("Phone extensions cannot be stored; put the extension in the notes."))
    if not phonenumbers.is_valid_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        R = phonenumbers.ValidationResult
        if reason == R.TOO_SHORT:
            msg = _("The phone number \"{value}\" is too short.")
        elif reason == R.IS_POSSIBLE_LOCAL_ONLY:
            msg = _("The phone number \"{value}\" is too short; a landline needs its area code, e.g. 010-12345678.")
        elif reason in (R.TOO_LONG, R.INVALID_LENGTH):
            msg = _("The phone number \"{value}\" is too long or has a wrong number of digits.")
        elif reason == R.INVALID_COUNTRY_CODE:
            msg = _("The phone number \"{value}\" has an unknown country code.")
        else:
            msg = _("\"{value}\" is not a valid phone number (no such mobile prefix or area code).")
        raise ValueError(msg.format(value=raw))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits(text: str | None) -> str:
    """Digits of a phone for substring search: Chinese numbers in national form without +86, never raises.

    A valid Chinese number gives its national digits with the trunk 0 for
    landlines (`+861012345678` -> `01012345678`, mobiles `13812345678`); a valid
    foreign number gives its E.164 digits without "+". Anything else (a fragment
    such as `5678`) gives its digits, dropping a leading `+86` / `0086`.
    """
    if not text:
        return ""
    raw = clean_text(text)
    digits = "".join(ch for ch in raw if ch.isdigit() and ch.isascii())
    try:
        number = phonenumbers.parse(raw, "CN")
        if phonenumbers.is_valid_number(number):
            if number.country_code == 86:
                national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
                return "".join(ch for ch in national.split("ext")[0] if ch.isdigit())
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
    except phonenumbers.NumberParseException:
        pass
    if raw.startswith("+86"):
        return digits[2:]
    if raw.startswith("0086"):
        return digits[4:]
    return digits


# ---------------------------------------------------------------- e-mail

_LOCAL_RE = re.compile(r"^[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*$")
_LABEL_RE = re.compile(r"^[^\W_](?:(?:[^\W_]|-)*[^\W_])?$")


def validate_email(text: str) -> str:
    """Check e-mail syntax (no network) and return it trimmed, with the domain in lower case."""
    raw = clean_text(text) if text is not None else ""
    if not raw:
        raise ValueError(_("The e-mail address is empty."))
    if raw.count("@") != 1:
        raise ValueError(_("\"{value}\" is not an e-mail address: it needs exactly one @.").format(value=raw))
    local, domain = raw.split("@")
    labels = domain.split(".")
    if (not local or len(local) > 64 or not _LOCAL_RE.match(local) or len(raw) > 254
            or len(labels) < 2 or len(domain) > 253
            or not all(len(label) <= 63 and _LABEL_RE.match(label) for label in labels)
            or labels[-1].isdigit()):
        raise ValueError(_("\"{value}\" is not a valid e-mail address.").format(value=raw))
    return f"{local}@{domain.lower()}"


# ---------------------------------------------------------------- national codes

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_RID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RID_CHECK = "10X98765432"


def check_uscc(code: str) -> bool:
    """True when `code` is an 18-character unified social credit code with a correct GB 32100-2015 check digit."""
    text = clean_text(code).upper() if code is not None else ""
    if len(text) != 18 or any(ch not in _USCC_CHARS for ch in text):
        return False
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(text[:17], _USCC_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    return text[17] == _USCC_CHARS[check]


def check_resident_id(id_number: str, as_of: date | None = None) -> bool:
    """True for an 18-character GB 11643 resident ID with a correct check digit and a real birth date.

    The birth date (characters 7-14) must be a calendar date from 1800 on and, when
    `as_of` is given, not after it. A lowercase "x" is accepted. Old 15-digit
    IDs have no check digit and return False.
    """
    text = clean_text(id_number).upper() if id_number is not None else ""
    if len(text) != 18 or not text[:17].isascii() or not text[:17].isdigit() or text[17] not in "0123456789X":
        return False
    total = sum(int(ch) * w for ch, w in zip(text[:17], _RID_WEIGHTS, strict=True))
    if text[17] != _RID_CHECK[total % 11]:
        return False
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return born.year >= 1800 and (as_of is None or born <= as_of)


# ---------------------------------------------------------------- names

_ZH_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团")
_EN_SUFFIX_RE = re.compile(
    r"(?:^|(?<=[\W_]))(?:co[\W_]*ltd|company[\W_]*limited|co[\W_]*limited|limited|ltd|incorporated|inc"
    r"|corporation|corp|llc|plc|company|co|group)[\W_]*$"
)


def normalize_name(name: str) -> str:
    """Key for duplicate detection: NFKC, casefold, company suffixes removed, no whitespace or punctuation.

    Suffixes (有限责任公司, 股份有限公司, 有限公司, 公司, 集团; Co., Ltd., Limited, Inc.,
    Corp., LLC, PLC, Company, Group) are removed repeatedly from the end, so
    "某某集团有限公司" and "某某" give the same key; English suffixes only as whole
    words ("Tesco" keeps its "co"). A name that is only a suffix is kept as is.
    """
    text = clean_text(name).casefold() if name is not None else ""
    while True:
        stripped = _strip_suffix(_rstrip_punct(text))
        if stripped is None or not _squash(stripped):
            return _squash(text)
        text = stripped


def _strip_suffix(text: str) -> str | None:
    for suffix in _ZH_SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    m = _EN_SUFFIX_RE.search(text)
    return text[: m.start()] if m else None


def _rstrip_punct(text: str) -> str:
    end = len(text)
    while end and _is_punct_or_space(text[end - 1]):
        end -= 1
    return text[:end]


def _squash(text: str) -> str:
    return "".join(ch for ch in text if not _is_punct_or_space(ch))


def _is_punct_or_space(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PZC"
