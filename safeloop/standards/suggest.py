"""Clause suggestion: which determination-standard clauses a hazard description matches.

All local: jieba segments the text with a domain dictionary (the words of the clause texts and
keywords, plus the inspector-usage synonyms of `data/synonyms.csv`); a description that contains a
variant is also searched with its term. Documents and queries are words plus CJK character bigrams
(robust to segmentation differences and one-character typos). Ranking: BM25 (`bm25s`), boosted for
clauses that apply to the enterprise's category (or filtered to them), damped for superseded ones.

Scores are calibrated to [0, 1]: the IDF-weighted share of the description's terms that the clause
holds, so a description unrelated to any clause scores low whatever the BM25 magnitude, and the UI
says 未找到相符条款 below `NO_MATCH`. The index is built once per process and rebuilt when the
catalogue changes (`_fingerprint`).
"""

from __future__ import annotations

import csv
import logging
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Count, Max, Sum

from safeloop.standards.catalogue import CATEGORIES, DATA
from safeloop.standards.models import Clause, Status

NO_MATCH = 0.3  # below this calibrated score a suggestion is not offered as a match
EVIDENCE_SCALE = 15.0  # IDF mass at which the evidence factor reaches 1 - 1/e (≈ two specific terms)
CATEGORY_BOOST = 1.5
SUPERSEDED_FACTOR = 0.6
MAX_TEXT = 2000
CJK = re.compile(r"[\u4e00-\u9fff]+")
WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+[0-9]*|[0-9]+(?:\.[0-9]+)?[A-Za-z%]*")
# Function words and the boilerplate of every clause ("未设置…的"): they carry no evidence.
_STOP_WORDS = (
    "的 了 和 与 或 或者 及 以及 等 未 无 没 没有 不 是 在 有 对 将 被 其 并 且 并且 也 还 就 都 中 内 上 下 为 时 设置 按照 规定 要求 进行 采取 "
    "措施 情形 应当 判定 重大 事故 隐患 一个 一种 相关 有关"
)
STOP = frozenset(_STOP_WORDS.split())
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    clause: str
    standard: str
    number: str
    text: str
    score: float
    matched: list[str]
    superseded: bool


@dataclass
class _Index:
    ids: list[str]
    docs: list[set[str]]
    meta: list[dict[str, Any]]
    idf: dict[str, float]
    default_idf: float
    retriever: Any
    vocab: dict[str, int] = field(default_factory=dict)


@cache
def synonyms() -> dict[str, list[str]]:
    """variant → the clause-text terms it stands for."""
    out: dict[str, list[str]] = {}
    with (DATA / "synonyms.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            for variant in row["variants"].split("|"):
                out.setdefault(variant.strip().lower(), []).append(row["term"])
    return out


@cache
def category_parents() -> dict[str, str]:
    with Path(CATEGORIES).open(encoding="utf-8") as fh:
        return {r["code"]: r["parent"] for r in csv.DictReader(x for x in fh if not x.startswith("#"))}


def related_categories(code: str) -> set[str]:
    """A category and its ancestors: a 机械 enterprise is also 工贸 (第三条, 专项类 apply)."""
    out, parents = set(), category_parents()
    while code and code not in out:
        out.add(code)
        code = parents.get(code, "")
    return out


_jieba_lock = threading.Lock()


@cache
def _segmenter() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    words = set(synonyms()) | {t for terms in synonyms().values() for t in terms}
    words |= {kw for c in Clause.objects.values_list("keywords", flat=True) for kw in (c or [])}
    for w in words:
        if CJK.fullmatch(w) and len(w) > 1:
            tk.add_word(w, freq=50000)
    return tk


def _words(text: str) -> list[str]:
    with _jieba_lock:
        pieces = list(_segmenter().cut(text.lower(), HMM=False))
    return [p for p in pieces if WORD.fullmatch(p) and p not in STOP and not (len(p) == 1 and CJK.fullmatch(p))]


def _bigrams(text: str) -> list[str]:
    out = []
    for run in CJK.findall(text):
        out += [run[i : i + 2] for i in range(len(run) - 1) if run[i : i + 2] not in STOP]
    return out


def tokens(text: str) -> list[str]:
    return _words(text) + ["#" + b for b in _bigrams(text)]


def expand(text: str) -> tuple[list[str], dict[str, str]]:
    """The query's tokens plus those of the terms its variants stand for; {term token: variant}."""
    low = text.lower()
    toks = tokens(text)
    via: dict[str, str] = {}
    for variant, terms in synonyms().items():
        if variant and variant in low:
            for term in terms:
                for tok in tokens(term):
                    if tok not in toks:
                        via.setdefault(tok, variant)
    return toks + list(via), via


def _doc_text(clause: Clause) -> str:
    return " ".join([clause.section, clause.text, " ".join(clause.keywords or [])])


def _fingerprint() -> tuple[Any, ...]:
    agg = Clause.objects.aggregate(n=Count("id"), v=Sum("version"), a=Max("amended_at"))
    return (agg["n"], agg["v"], agg["a"])


_state: dict[str, Any] = {"key": None, "index": None}
_build_lock = threading.Lock()


def index() -> _Index:
    key = _fingerprint()
    if _state["key"] != key:
        with _build_lock:
            if _state["key"] != key:
                _state["index"], _state["key"] = _build(), key
    return _state["index"]


def _build() -> _Index:
    import bm25s

    rows = list(Clause.objects.select_related("standard").exclude(text="", keywords=[]))
    corpus = [tokens(_doc_text(c)) for c in rows]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    n = len(corpus)
    df: dict[str, int] = {}
    for doc in corpus:
        for tok in set(doc):
            df[tok] = df.get(tok, 0) + 1
    idf = {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}
    meta = [
        {
            "standard": c.standard.short_title or c.standard.title,
            "number": c.number,
            "text": c.text,
            "categories": set(c.category_codes or c.standard.category_codes),
            "superseded": c.status == Status.SUPERSEDED,
        }
        for c in rows
    ]
    vocab = dict(retriever.vocab_dict)
    return _Index([c.id for c in rows], [set(d) for d in corpus], meta, idf, math.log((n + 1) / 0.5), retriever, vocab)


def _calibrated(idx: _Index, query: list[str], doc: set[str]) -> float:
    """Evidence in [0, 1]: the IDF-weighted share of the description's distinct tokens that the
    clause holds (how much of the description it explains), times a saturating function of the
    IDF mass held (how much specific evidence there is: one shared common word is not a match)."""
    distinct = set(query)
    total = sum(idx.idf.get(t, idx.default_idf) for t in distinct)
    held = sum(idx.idf.get(t, idx.default_idf) for t in distinct if t in doc)
    if not total:
        return 0.0
    return math.sqrt(held / total) * (1 - math.exp(-held / EVIDENCE_SCALE))


def suggest(text: str, *, category: str | None = None, limit: int = 5, only_category: bool = False) -> list[Suggestion]:
    idx = index()
    query, via = expand(text)
    known = [t for t in query if t in idx.vocab]
    if not known or not idx.ids:
        return []
    scores = idx.retriever.get_scores(known)
    wanted = related_categories(category) if category else set()
    ranked = []
    for i, raw in enumerate(scores):
        if raw <= 0:
            continue
        m = idx.meta[i]
        applies = bool(wanted & m["categories"])
        if only_category and wanted and not applies:
            continue
        weight = (CATEGORY_BOOST if applies else 1.0) * (SUPERSEDED_FACTOR if m["superseded"] else 1.0)
        ranked.append((float(raw) * weight, i))
    ranked.sort(reverse=True)
    return [_suggestion(idx, i, query, via) for _, i in ranked[:limit]]


def _suggestion(idx: _Index, i: int, query: list[str], via: dict[str, str]) -> Suggestion:
    doc, m = idx.docs[i], idx.meta[i]
    return Suggestion(
        clause=idx.ids[i],
        standard=m["standard"],
        number=m["number"],
        text=m["text"],
        score=round(_calibrated(idx, query, doc), 3),
        matched=_matched(query, doc, via),
        superseded=m["superseded"],
    )


def _matched(query: Iterable[str], doc: set[str], via: dict[str, str]) -> list[str]:
    words = []
    for tok in query:
        if tok.startswith("#") or tok not in doc:
            continue
        shown = via.get(tok, tok)
        if shown not in words:
            words.append(shown)
    return words[:8]
