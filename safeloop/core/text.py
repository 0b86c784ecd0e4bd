from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import RE_HANS
from pypinyin.seg import mmseg

# Full-width ASCII letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９), as pasted from Chinese documents, fold to
# half-width; so do the odd spaces. Chinese punctuation (，：（）；。) stays as it is: NFKC would
# turn it into ASCII, and official documents use Chinese punctuation throughout.
_FOLD = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_FOLD |= {0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: None, 0xFEFF: None}
_FOLD[0x0000] = None  # NUL: no text (PostgreSQL refuses it), e.g. from a spreadsheet cell
# For matching a typed name with a stored one (never for storing): brackets of either width are
# the same, spaces and case do not count.
_KEY = {ord("（"): "(", ord("）"): ")", ord(" "): None}


def clean_text(raw: object) -> str:
    """Trim, and fold full-width letters, digits and spaces to half-width; nothing else."""
    if raw is None:
        return ""
    return str(raw).translate(_FOLD).strip()


def name_key(text: object) -> str:
    """The one comparison key of a name or label, applied to BOTH sides of a lookup (the stored
    name and what was typed): `clean_text`, then 消防安全（人员密集场所） and 消防安全(人员密集场所)
    are the same, and spaces and case are ignored."""
    return clean_text(text).translate(_KEY).lower()


def pinyin_initials(text: str) -> str:
    """'益阳市安达化工' -> 'yysadhg'; non-Chinese characters are kept, lower-cased.

    Exactly pypinyin's `lazy_pinyin(text, style=FIRST_LETTER)` (its phrases decide a polyphonic
    character: 重庆 cq, 重量 zl), but cheaper: the text is split into runs of Chinese and other
    characters by one regular expression (pypinyin walks it character by character), each run
    is cut into pypinyin's phrases, and each phrase's initials are cached. (Pinyin was 29% of
    an enterprise import.)"""
    return "".join(map(_run_initials, _RUNS.findall(text))).replace(" ", "").lower()


# pypinyin's own class of characters it has readings for (`^(?:[…])+$`), as runs.
_RUNS = re.compile(rf"{RE_HANS.pattern[1:-1]}|(?:(?!{RE_HANS.pattern[1:-2]}).)+", re.DOTALL)


def _run_initials(run: str) -> str:
    if not RE_HANS.match(run):
        return run  # no readings: kept as it is (errors="default")
    return "".join(map(_word_initials, mmseg.seg.cut(run)))


@lru_cache(maxsize=65536)
def _word_initials(word: str) -> str:
    return "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="default"))
