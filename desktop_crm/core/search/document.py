"""The normalised search text of a customer and the normalised form of a query.

A document is plain text, one space between parts: every name with each Chinese
character standing alone ("上 海 迅 捷"), the first two characters of every word that
follows (`zh`, `13`), then SECTION, then in full the code, the names' non-Chinese words,
the pinyin of every name in full and as initials, the digits of every phone number and
every email address. Spacing out Chinese characters lets a word index find Chinese of any
length as a phrase of characters; the same form is applied to query terms, so a plain
LIKE also works.

The SQLite backend indexes the two parts apart: its word index reads the part before
SECTION (Chinese phrases, and latin or digit terms of 1–2 characters, which only ever
need a word's first two characters), its trigram index the part after it (substrings of
3 or more). Neither reads what it never answers, which halves the work of building them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from desktop_crm.core.search.pinyin import pinyin_forms

_SPACE = re.compile(r"\s+")
SECTION = "\x1f"  # a separator to every tokenizer, and nothing a user types
_WORD = re.compile(r"[^\W_]+")  # a word as FTS5's unicode61 tokenizer cuts it (letters and digits)
_CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_DIGIT_GAP = re.compile(r"(?<=\d)[\s\-()./]+(?=[\d(])")
_PHONE_TERM = re.compile(r"[\d\-+()]{3,}")


def fold(text: str | None) -> str:
    """NFKC (full-width → half-width), lower case, single spaces."""
    if not text:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def spaced(text: str | None) -> str:
    """Folded text with every Chinese character as a word of its own: "a座大厦" → "a 座 大 厦"."""
    return _SPACE.sub(" ", _CJK.sub(r" \1 ", fold(text))).strip()


def phone_digits(text: str | None) -> str:
    """Digits of a phone number in national form: +86 dropped, a landline keeps its leading 0
    (+86 21 1234 5678 → 02112345678, Beijing's +86 10 … → 010…), so fragments typed either
    way match. After +86 only a mobile (11 digits from 1) has no trunk 0."""
    if not text:
        return ""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", text))
    if digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
        if not digits.startswith("0") and not (len(digits) == 11 and digits.startswith("1")):
            digits = "0" + digits
    return digits


def assemble(code: str | None, names: Iterable[str], pinyins: Iterable[tuple[str, str]],
             phones: Iterable[str | None], emails: Iterable[str | None]) -> str:
    """The document from its parts (bulk loaders pass pinyin they computed themselves): the
    spaced names, SECTION, then the code, the names' non-Chinese words, pinyin, phone digits
    and e-mails — the part after SECTION is all a substring (trigram) index needs."""
    spaced_names = [spaced(n) for n in names if n]  # folding made any SECTION in them a space
    rest = [fold(code)]
    rest += [w for n in spaced_names for w in n.split() if not has_cjk(w)]
    for full, initials in pinyins:
        rest += [full, initials]
    rest += [phone_digits(p) for p in phones if p]
    rest += [fold(e) for e in emails if e]
    return sections(dict.fromkeys(n for n in spaced_names if n), dict.fromkeys(r for r in rest if r))


def sections(names: Iterable[str], rest: Iterable[str]) -> str:
    """The stored layout: spaced names and the short forms of the rest (what a word index
    reads), SECTION, then the rest in full (what a substring index reads)."""
    tail = " ".join(rest)
    words = spaced(tail) if has_cjk(tail) else tail
    shorts = " ".join(dict.fromkeys(w[:2] for w in _WORD.findall(words)))
    return f"{' '.join(names)} {shorts} {SECTION} {tail}"


def name_pinyin(name: str, *, person: bool) -> tuple[str, str]:
    return pinyin_forms(name, surname=person)


def build_document(customer, contacts: list) -> str:  # noqa: ANN001 - rows with the named attributes
    person_name = getattr(customer, "kind", None) == "individual" or len(customer.name or "") <= 4
    names = [customer.name] + [c.name for c in contacts]
    pinyins = [name_pinyin(customer.name, person=person_name)] if customer.name else []
    pinyins += [name_pinyin(c.name, person=True) for c in contacts if c.name]
    phones = [customer.phone, customer.mobile, *(p for c in contacts for p in (c.mobile, c.phone))]
    emails = [customer.email, *(c.email for c in contacts)]
    return assemble(customer.code, names, pinyins, phones, emails)


def _term(term: str) -> str:
    if _PHONE_TERM.fullmatch(term) and sum(ch.isdigit() for ch in term) >= 3:
        return phone_digits(term) or term
    return spaced(term)


def normalize_query(query: str | None) -> list[str]:
    """Terms of a query in document form: folded, Chinese characters spaced out (a term of
    several characters stays one term), phone-like terms reduced to digits ("138-0013 8000"
    → "13800138000"). Terms without a letter, digit or Chinese character are dropped."""
    text = _DIGIT_GAP.sub("", fold(query))
    terms = []
    for raw in text.split(" "):
        if not raw or not any(ch.isalnum() for ch in raw):
            continue
        term = _term(raw)
        if term and term not in terms:
            terms.append(term)
    return terms
