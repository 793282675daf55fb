"""The normalised search text of a customer and the normalised form of a query."""

from __future__ import annotations

import re
import unicodedata

from desktop_crm.core.search.pinyin import pinyin_forms

_SPACE = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """NFKC (full-width → half-width), lower case, single spaces."""
    if not text:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def phone_digits(text: str | None) -> str:
    """Digits of a phone number without the +86 country code, so fragments match."""
    if not text:
        return ""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", text))
    if digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return digits


def build_document(customer, contacts: list) -> str:  # noqa: ANN001 - rows with the named attributes
    names = [customer.name] + [c.name for c in contacts]
    parts = [fold(customer.code), *(fold(n) for n in names if n)]
    for n in names:
        if n:
            full, initials = pinyin_forms(n, surname=n is not customer.name or len(n) <= 4)
            parts += [full, initials]
    for phone in [customer.phone, customer.mobile, *(p for c in contacts for p in (c.mobile, c.phone))]:
        digits = phone_digits(phone)
        if digits:
            parts.append(digits)
    for email in [customer.email, *(c.email for c in contacts)]:
        if email:
            parts.append(fold(email))
    return " ".join(dict.fromkeys(p for p in parts if p))


def normalize_query(query: str | None) -> list[str]:
    """Terms of a query: folded, phone-like terms reduced to digits."""
    terms = []
    for term in fold(query).split(" "):
        if not term:
            continue
        if re.fullmatch(r"[\d\-+() ]{3,}", term):
            term = phone_digits(term) or term
        terms.append(term)
    return terms
