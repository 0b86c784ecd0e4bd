"""统一社会信用代码 (GB 32100-2015) normalisation and validation.

The check digit is python-stdnum's (`stdnum.cn.uscc.calc_check_digit`). stdnum 2.2 also
insists the first eight characters are digits, which GB 32100 does not: the registering
authority code (position 1) may be a letter (A, N, Y for 农业/其他 etc.) and the entity type
(position 2) may be a letter as well. So the structure is checked here and the arithmetic
is delegated.
"""

from __future__ import annotations

import unicodedata

from stdnum.cn import uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 表1 登记管理部门代码: 1-9, A (中央军委改革和编制办公室), N (农业), Y (其他).
AUTHORITY_CODES = set("123456789ANY")


def normalise_credit_code(raw: str) -> str:
    """Full-width to half-width, drop spaces and hyphens, upper case."""
    text = "".join(unicodedata.normalize("NFKC", raw or "").split())  # str.split(): every isspace()
    return text.translate(_DROPPED).upper()


_DROPPED = dict.fromkeys(map(ord, "-—_"))


def credit_code_error(code: str) -> str | None:
    """The Chinese reason a normalised code is invalid, or None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    if code[0] not in AUTHORITY_CODES:
        return "统一社会信用代码第1位（登记管理部门代码）无效"
    if code[1] not in ALPHABET:
        return "统一社会信用代码第2位（机构类别代码）无效"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为行政区划代码（数字）"
    if any(ch not in ALPHABET for ch in code[8:]):
        return "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）"
    if code[-1] != uscc.calc_check_digit(code[:17]):
        return "统一社会信用代码校验位错误"
    return None


def make_credit_code(first17: str) -> str:
    """Append the check digit (used by the demo data generator and tests)."""
    return first17 + uscc.calc_check_digit(first17)
