"""Field validators and parsers (DOMAIN §2)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_crm.core.rules.validation import (
    check_resident_id,
    check_uscc,
    normalize_name,
    normalize_phone,
    parse_date,
    parse_datetime,
    parse_decimal,
    phone_digits,
    strip_control,
    validate_email,
)


@pytest.mark.parametrize("text, expected", [
    ("13812345678", "+8613812345678"),
    ("138 1234 5678", "+8613812345678"),
    ("138-1234-5678", "+8613812345678"),
    ("+86 138 1234 5678", "+8613812345678"),
    ("0086 13812345678", "+8613812345678"),
    ("8613812345678", "+8613812345678"),
    ("１３８１２３４５６７８", "+8613812345678"),
    ("＋８６ １３８－１２３４－５６７８", "+8613812345678"),
    ("010-12345678", "+861012345678"),
    ("(010) 1234 5678", "+861012345678"),
    ("+86 10 12345678", "+861012345678"),
    ("0755 8888 8888", "+8675588888888"),
    ("0755-88888888", "+8675588888888"),
    ("+1 650 253 0000", "+16502530000"),
    ("  13812345678\t", "+8613812345678"),
])
def test_normalize_phone_accepts_formats(text, expected):
    assert normalize_phone(text) == expected


@pytest.mark.parametrize("text, fragment", [
    ("", "empty"),
    ("   ", "empty"),
    ("---", "no digits"),
    ("12345", "too short"),
    ("1381234", "not a valid"),
    ("010", "too short"),
    ("1381234567890123", "too long"),
    ("138abc45678", "\"a\""),
    ("010-12345678 转 123", "\"转\""),
    ("12012345678", "not a valid phone number"),  # 120 is no mobile prefix
])
def test_normalize_phone_rejects_with_reason(text, fragment):
    with pytest.raises(ValueError) as err:
        normalize_phone(text)
    assert fragment in str(err.value)


def test_normalize_phone_valid_not_just_possible():
    # 11 digits starting with 1 is "possible" in CN but 100 is not an assigned mobile range.
    with pytest.raises(ValueError):
        normalize_phone("10012345678")


@pytest.mark.parametrize("text, digits", [
    ("+8613812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("+861012345678", "01012345678"),
    ("010-1234-5678", "01012345678"),
    ("+8675588888888", "075588888888"),
    ("+16502530000", "16502530000"),
    ("5678", "5678"),
    ("+86 138", "138"),
    ("0086 1381", "1381"),
    ("１３８", "138"),
    ("", ""),
    (None, ""),
])
def test_phone_digits(text, digits):
    assert phone_digits(text) == digits


def test_phone_digits_fragment_matches_stored_number():
    stored = phone_digits(normalize_phone("0755 8888 8888"))
    assert phone_digits("0755-8888") in stored
    assert phone_digits("8888 8888") in stored


@pytest.mark.parametrize("text, expected", [
    ("a@b.com", "a@b.com"),
    ("Zhang.San+crm@Example.COM", "Zhang.San+crm@example.com"),
    (" li_si@mail.example.cn ", "li_si@mail.example.cn"),
    ("wang＠qq．com", "wang@qq.com"),  # full-width @ and dot from a Chinese IME
    ("张三@例子.中国", "张三@例子.中国"),
])
def test_validate_email_ok(text, expected):
    assert validate_email(text) == expected


@pytest.mark.parametrize("text", [
    "", "plain", "a@@b.com", "a@b", "@b.com", "a@.com", "a@b..com", "a..b@c.com", ".a@b.com", "a.@b.com",
    "a b@c.com", "a@-b.com", "a@b-.com", "a@b.123", "a@b_c.com", "x" * 65 + "@b.com",
])
def test_validate_email_rejects(text):
    with pytest.raises(ValueError):
        validate_email(text)


def test_check_uscc():
    assert check_uscc("91350100M000100Y43")
    assert check_uscc(" 91350100m000100y43 ")  # case and spaces are forgiven
    assert not check_uscc("91350100M000100Y44")  # wrong check digit
    assert not check_uscc("91350100M000100Y4")  # 17 chars
    assert not check_uscc("91350100I000100Y43")  # I is not in the charset
    assert not check_uscc("")


def test_check_uscc_check_digit_31_maps_to_0():
    # find a body whose weighted sum is 0 mod 31: check digit 31 -> "0"
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert check_uscc("0" * 17 + "0")
    assert not check_uscc("0" * 17 + chars[1])


def test_check_resident_id():
    assert check_resident_id("11010519491231002X")
    assert check_resident_id("11010519491231002x")
    assert not check_resident_id("110105194912310021")  # wrong check digit
    assert not check_resident_id("110105491231002")  # 15-digit old form
    assert not check_resident_id("1101051949123100X2")
    assert not check_resident_id("")


def test_check_resident_id_needs_a_real_birth_date():
    # same check-digit arithmetic, impossible dates: build valid check digits for them
    def with_check(body: str) -> str:
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]

    assert check_resident_id(with_check("11010520000229001"))  # leap day exists in 2000
    assert not check_resident_id(with_check("11010519000229001"))  # 1900 was no leap year
    assert not check_resident_id(with_check("11010519491331001"))  # month 13
    assert not check_resident_id(with_check("11010517991231001"))  # before 1800
    assert not check_resident_id(with_check("11010520300101001"), as_of=date(2024, 1, 1))  # born in the future
    assert check_resident_id(with_check("11010520300101001"))


@pytest.mark.parametrize("a, b", [
    ("深圳市腾讯计算机系统有限公司", "深圳市腾讯计算机系统有限责任公司"),
    ("深圳市腾讯计算机系统有限公司", " 深圳市 腾讯计算机系统 "),
    ("华为技术有限公司", "华为技术股份有限公司"),
    ("某某集团有限公司", "某某"),
    ("某某（集团）有限公司", "某某"),
    ("ＡＢＣ贸易公司", "abc贸易"),
    ("Acme Co., Ltd.", "ACME"),
    ("Acme Company Limited", "acme"),
    ("Acme Inc.", "acme"),
    ("A.C.M.E", "acme"),
])
def test_normalize_name_matches(a, b):
    assert normalize_name(a) == normalize_name(b)


def test_normalize_name_keeps_words_that_only_end_like_suffixes():
    assert normalize_name("Tesco") == "tesco"
    assert normalize_name("有限公司") == "有限公司"  # nothing but a suffix: kept
    assert normalize_name("张三") != normalize_name("张四")


@pytest.mark.parametrize("value, expected", [
    (date(2024, 3, 5), date(2024, 3, 5)),
    (datetime(2024, 3, 5, 14, 30), date(2024, 3, 5)),
    ("2024-03-05", date(2024, 3, 5)),
    ("2024/3/5", date(2024, 3, 5)),
    ("2024.3.5", date(2024, 3, 5)),
    ("20240305", date(2024, 3, 5)),
    ("2024年3月5日", date(2024, 3, 5)),
    ("２０２４年３月５日", date(2024, 3, 5)),
    ("２０２４－０３－０５", date(2024, 3, 5)),
    ("2024-03-05 00:00:00", date(2024, 3, 5)),
    (45356, date(2024, 3, 5)),
    (45356.75, date(2024, 3, 5)),
    (Decimal("45356"), date(2024, 3, 5)),
    (1, date(1900, 1, 1)),
    (59, date(1900, 2, 28)),
    (61, date(1900, 3, 1)),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05 14:30", datetime(2024, 3, 5, 14, 30)),
    ("2024/3/5 9:05:07", datetime(2024, 3, 5, 9, 5, 7)),
    ("2024-03-05T14:30:00.25", datetime(2024, 3, 5, 14, 30, 0, 250000)),
    ("2024年3月5日 14时30分", datetime(2024, 3, 5, 14, 30)),
    ("2024年3月5日14点30分15秒", datetime(2024, 3, 5, 14, 30, 15)),
    ("２０２４０３０５ １４：３０", datetime(2024, 3, 5, 14, 30)),
    (45356.5, datetime(2024, 3, 5, 12, 0)),
    (date(2024, 3, 5), datetime(2024, 3, 5)),
])
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize("value", [
    "", None, True, "2024-02-30", "2023-02-29", "2024-13-01", "2024-3", "05/03/2024", "yesterday", "2024-03-05+08:00",
    "2024-03-05T14:30:00+08:00", "2024-03-05 25:00", 0, 60, -5, 3_000_000, float("nan"), float("inf"),
    Decimal("NaN"), "45356",
])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError):
        parse_datetime(value)


@pytest.mark.parametrize("value, expected", [
    (12, Decimal("12")),
    (Decimal("1.005"), Decimal("1.005")),
    (0.1, Decimal("0.1")),
    ("1,234.50", Decimal("1234.50")),
    ("1,234,567", Decimal("1234567")),
    ("１２３", Decimal("123")),
    ("１，２３４．５", Decimal("1234.5")),
    ("¥1,000", Decimal("1000")),
    ("￥ 99.9", Decimal("99.9")),
    ("12元", Decimal("12")),
    ("-¥12.5", Decimal("-12.5")),
    ("¥-12.5", Decimal("-12.5")),
    ("RMB 3.50", Decimal("3.50")),
    ("+7", Decimal("7")),
    (".5", Decimal("0.5")),
    ("  42  ", Decimal("42")),
])
def test_parse_decimal(value, expected):
    result = parse_decimal(value)
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize("value", [
    "", None, True, "abc", "NaN", "inf", "-Infinity", "1e5", "1,23", "12,3456", "1.2.3", "--1", "¥", "1 000", "5.",
    Decimal("NaN"), Decimal("Infinity"), float("nan"), float("-inf"), "12$",
])
def test_parse_decimal_rejects(value):
    with pytest.raises(ValueError):
        parse_decimal(value)


def test_strip_control():
    assert strip_control("a\tb\nc") == "a b c"
    assert strip_control("a\r\nb") == "a b"
    assert strip_control("a\x00b\x07c\x7fd\x9f") == "abcd"
    assert strip_control("\ufeffzero\u200bwidth\u202e") == "zerowidth"
    assert strip_control("👨\u200d👩") == "👨\u200d👩"  # ZWJ kept for emoji
    assert strip_control("line1\r\nline2\rline3\tx", multiline=True) == "line1\nline2\nline3 x"
    assert strip_control("  keep  spaces ") == "  keep  spaces "


# ---------------------------------------------------------------- properties

_any_text = st.text(max_size=60) | st.text(alphabet="0123456789+-()./ ０１２３４５６７８９年月日:,.¥元@", max_size=30)


@given(_any_text)
def test_validators_only_raise_value_error(text):
    for fn in (normalize_phone, validate_email, parse_date, parse_datetime, parse_decimal):
        try:
            fn(text)
        except ValueError:
            pass
    # these never raise
    assert isinstance(check_uscc(text), bool)
    assert isinstance(check_resident_id(text), bool)
    assert isinstance(normalize_name(text), str)
    assert isinstance(phone_digits(text), str)
    assert isinstance(strip_control(text), str)
    assert isinstance(strip_control(text, multiline=True), str)


@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.decimals(), st.none(),
                 st.booleans()))
def test_number_inputs_only_raise_value_error(value):
    for fn in (parse_date, parse_decimal):
        try:
            fn(value)
        except ValueError:
            pass


@given(_any_text)
def test_normalize_phone_result_is_stable(text):
    try:
        e164 = normalize_phone(text)
    except ValueError:
        return
    assert e164.startswith("+") and e164[1:].isdigit()
    assert normalize_phone(e164) == e164


@given(st.text(max_size=40))
def test_strip_control_leaves_no_control_chars(text):
    out = strip_control(text)
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in out)
    assert "\n" not in out


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9))
def test_parse_decimal_round_trips_formatted_amounts(value):
    assert parse_decimal(f"{value:,}") == value
    assert parse_decimal(f"¥{value}") == value


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_parse_date_round_trips(d):
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d
    assert parse_date(d.strftime("%Y%m%d")) == d if d.year >= 1000 else True
    assert parse_date((d - date(1899, 12, 30)).days) == d
