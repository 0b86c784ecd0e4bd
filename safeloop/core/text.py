from __future__ import annotations

import unicodedata

from pypinyin import Style, lazy_pinyin


def clean_text(raw: object) -> str:
    """Trim and fold full-width ASCII (common in pasted Chinese text) to half-width."""
    if raw is None:
        return ""
    return unicodedata.normalize("NFKC", str(raw)).strip()


def pinyin_initials(text: str) -> str:
    """'益阳市安达化工' -> 'yysadhg'; non-Chinese characters are kept, lower-cased."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).replace(" ", "").lower()
