"""Reading a clause reference as people wrote it: the id itself (`GM10-11-03`), an id written
loosely (`gm10-3-2`, `化工121-12`), or the standard and the article and item in words
(`工贸企业重大事故隐患判定标准第十一条（三）`, `应急管理部令第10号第十一条第三项`).

`resolve()` gives the clause id only when the reference names exactly one clause of the catalogue;
anything else (no standard named, two candidates, a number the standard does not have) is None —
the caller keeps the text as a legacy reference rather than guessing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUM = r"[0-9]+|[零〇一二两三四五六七八九十百]+"
# Prefixes people use for a standard in a loose id, and words that name it in a sentence.
ID_ALIASES = {
    "GM10": "GM10", "工贸": "GM10", "HG121": "HG121", "化工121": "HG121", "危化121": "HG121", "化工": "HG121",
    "YH121": "YH121", "烟花121": "YH121", "烟花爆竹121": "YH121", "JZ24": "JZ24", "JZ22": "JZ22",
    "KS88": "KS88", "JY52": "JY52",
}  # fmt: skip
NAMES = (
    ("GM10", ("工贸企业重大事故隐患判定标准", "应急管理部令第10号", "应急管理部10号令", "10号令")),
    ("HG121", ("化工和危险化学品生产经营单位重大生产安全事故隐患判定标准",)),
    ("YH121", ("烟花爆竹生产经营单位重大生产安全事故隐患判定标准",)),
    ("JZ24", ("建质规〔2024〕5号", "建质规[2024]5号", "（2024版）", "2024版")),
    ("JZ22", ("建质规〔2022〕2号", "建质规[2022]2号", "（2022版）", "2022版")),
    ("KS88", ("矿安〔2022〕88号", "金属非金属矿山重大事故隐患判定标准")),
    ("JY52", ("交办运〔2023〕52号", "道路运输企业和城市客运企业安全生产重大事故隐患判定标准")),
)
LOOSE_ID = re.compile(r"^([A-Z]+[0-9]*|[\u4e00-\u9fff]+[0-9]*)[-_ ]?([0-9]{1,2})(?:[-_ ]([0-9]{1,2}))?$")
ARTICLE_ITEM = re.compile(rf"第({NUM})条(?:第?[（(]?({NUM})[）)]?项?)?")
LIST_ITEM = re.compile(rf"第({NUM})项")


def number(text: str) -> int | None:
    """An Arabic or Chinese numeral (up to 99) as an int."""
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(units, 0) if units else 0)


def normalised(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).upper()


def candidates(prefix: str, article: int | None, item: int | None) -> list[str]:
    """The ids a standard prefix with numbers can mean (lists numbered by item only: 化工, 烟花)."""
    if prefix in ("HG121", "YH121"):
        return [f"{prefix}-{item:02d}"] if item is not None and article is None else []
    if prefix == "KS88":
        return [f"KS88-{article}-{item:02d}"] if article is not None and item is not None else []
    if article is None:
        return []
    return [f"{prefix}-{article:02d}-{item:02d}"] if item is not None else [f"{prefix}-{article:02d}"]


def resolve(text: str, known: Collection[str]) -> str | None:
    head = (text or "").strip().split(maxsplit=1)
    if head and normalised(head[0]) in known:  # "GM10-11-03 工贸第十一条（三）：…" as the ledger export writes it
        return normalised(head[0])
    raw = normalised(text)
    if not raw:
        return None
    if raw in known:
        return raw
    return _loose_id(raw, known) or _in_words(raw, known)


def _loose_id(raw: str, known: Collection[str]) -> str | None:
    m = LOOSE_ID.match(raw)
    if not m or m.group(1) not in ID_ALIASES:
        return None
    prefix = ID_ALIASES[m.group(1)]
    first, second = int(m.group(2)), int(m.group(3)) if m.group(3) else None
    if prefix in ("HG121", "YH121"):
        ids = candidates(prefix, None, first) if second is None else []
    else:
        ids = candidates(prefix, first, second)
    return _one(ids, known)


def _in_words(raw: str, known: Collection[str]) -> str | None:
    named = {std for std, names in NAMES for name in names if normalised(name) in raw}
    if len(named) != 1:
        return None
    prefix = named.pop()
    m = ARTICLE_ITEM.search(raw)
    if m and prefix not in ("HG121", "YH121"):
        return _one(candidates(prefix, number(m.group(1)), number(m.group(2)) if m.group(2) else None), known)
    m = LIST_ITEM.search(raw)
    if m and prefix in ("HG121", "YH121"):
        return _one(candidates(prefix, None, number(m.group(1))), known)
    return None


def _one(ids: list[str], known: Collection[str]) -> str | None:
    hits = sorted({i for i in ids if i in known})
    return hits[0] if len(hits) == 1 else None
