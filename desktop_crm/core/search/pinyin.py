"""Pinyin forms of Chinese names: full (`zhangsan`) and initials (`zs`).

pypinyin reads some surnames with their common reading (曾 zeng/ceng, 单 shan/dan,
解 xie/jie ...); for a person's name the first character uses the surname reading.
"""

from __future__ import annotations

from functools import lru_cache

# Surnames whose surname reading differs from the most common reading of the character.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
    "盖": "ge", "尉": "yu", "乐": "yue", "员": "yun", "繁": "po", "覃": "qin", "缪": "miao",
    "晟": "cheng", "种": "chong", "秘": "bi", "折": "she", "召": "shao", "长": "chang",
    "万俟": "moqi", "尉迟": "yuchi", "单于": "chanyu", "黑": "he", "重": "chong",
    "翟": "zhai", "阚": "kan", "沈": "shen", "华": "hua", "过": "guo", "纪": "ji", "任": "ren",
    "宁": "ning", "柏": "bai", "莘": "shen", "句": "gou", "相": "xiang", "车": "che", "薄": "bo",
}


@lru_cache(maxsize=65536)
def pinyin_forms(text: str, surname: bool = False) -> tuple[str, str]:
    """(full, initials) for the Chinese characters of `text`; other characters kept folded."""
    from pypinyin import Style, lazy_pinyin

    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "", ""
    rest = text
    head: list[str] = []
    if surname:
        for length in (2, 1):
            sur = text[:length]
            if len(sur) == length and sur in SURNAME_READINGS:
                head = [SURNAME_READINGS[sur]]
                rest = text[length:]
                break
    syllables = head + [s for s in lazy_pinyin(rest, style=Style.NORMAL, errors="ignore") if s.strip()]
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials
