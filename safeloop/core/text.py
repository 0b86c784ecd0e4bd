from __future__ import annotations

from pypinyin import Style, lazy_pinyin

# Full-width ASCII letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９), as pasted from Chinese documents, fold to
# half-width; so do the odd spaces. Chinese punctuation (，：（）；。) stays as it is: NFKC would
# turn it into ASCII, and official documents use Chinese punctuation throughout.
_FOLD = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_FOLD |= {0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: None, 0xFEFF: None}
_FOLD[0x0000] = None  # NUL: no text (PostgreSQL refuses it), e.g. from a spreadsheet cell


def clean_text(raw: object) -> str:
    """Trim, and fold full-width letters, digits and spaces to half-width; nothing else."""
    if raw is None:
        return ""
    return str(raw).translate(_FOLD).strip()


def pinyin_initials(text: str) -> str:
    """'益阳市安达化工' -> 'yysadhg'; non-Chinese characters are kept, lower-cased."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).replace(" ", "").lower()
