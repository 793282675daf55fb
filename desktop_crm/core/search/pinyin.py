"""Pinyin forms of Chinese names: full (`zhangsan`) and initials (`zs`).

pypinyin reads some surnames with their common reading (曾 ceng, 单 dan, 解 jie, 仇 chou,
区 qu, 查 cha, 朴 pu, 盖 gai, 乐 le ...); for a person's name the first character (or a
compound surname of two) uses the surname reading. Compound surnames are several
syllables, so 尉迟恭 gives `yuchigong` and `ycg`.
"""

from __future__ import annotations

from functools import lru_cache

# Surname readings that differ from (or are ambiguous in) pypinyin's reading of the
# character alone; compound surnames as space-separated syllables.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
    "盖": "ge", "尉": "yu", "乐": "yue", "员": "yun", "繁": "po", "覃": "qin", "缪": "miao",
    "晟": "cheng", "种": "chong", "秘": "bi", "折": "she", "召": "shao", "长": "chang",
    "黑": "he", "重": "chong", "翟": "zhai", "阚": "kan", "沈": "shen", "华": "hua", "过": "guo",
    "纪": "ji", "任": "ren", "宁": "ning", "柏": "bai", "莘": "shen", "句": "gou", "相": "xiang",
    "车": "che", "薄": "bo", "令狐": "ling hu", "万俟": "mo qi", "尉迟": "yu chi", "单于": "chan yu",
    "澹台": "tan tai", "长孙": "zhang sun", "乐正": "yue zheng",
}


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=65536)
def pinyin_forms(text: str, surname: bool = False) -> tuple[str, str]:
    """(full, initials) for the Chinese characters of `text`; ("", "") when there are none.

    `surname=True` reads the start of `text` as a person's surname."""
    from pypinyin import Style, lazy_pinyin

    if not text or not any(_is_han(ch) for ch in text):
        return "", ""
    rest = text
    head: list[str] = []
    if surname:
        for length in (2, 1):
            sur = text[:length]
            if len(sur) == length and sur in SURNAME_READINGS:
                head = SURNAME_READINGS[sur].split()
                rest = text[length:]
                break
    han = "".join(ch for ch in rest if _is_han(ch))
    syllables = head + [s for s in lazy_pinyin(han, style=Style.NORMAL, errors="ignore") if s.strip()]
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials
