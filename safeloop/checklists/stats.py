"""Statistics of major hazards (`/standards/stats/`): by standard and clause, by source (the
self-reported share and its change year on year), by county and by category, and the 20 clauses
most often violated. Every table counts the major hazards the user may see (`visible`), found in
the chosen year, withdrawn ones left out; each has its Excel export (core.bulk + core.xlsx)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field

from safeloop.checklists.permissions import can_see_completion
from safeloop.core.bulk import Export
from safeloop.core.filters import YEAR, Filters
from safeloop.core.scope import area_q, visible
from safeloop.core.xlsx import Column
from safeloop.hazards.models import Hazard, Level, Source, Status
from safeloop.registry.models import Category, Region
from safeloop.standards.selectors import clauses_by_id

TOP = 20
SOURCE_LABELS = dict(Source.choices)


class StatsFilters(Filters):
    typed = {"year": YEAR}

    year: str = Field("", title="年份", description="发现年份，默认今年")
    region: str = Field("", title="区域", description="行政区划代码")

    def the_year(self) -> int:
        return int(self.year) if self.year else timezone.localdate().year


def major_hazards(user: Any, f: StatsFilters, *, years: tuple[int, ...] | None = None) -> QuerySet[Hazard]:
    qs = visible(user, Hazard.objects.filter(level=Level.MAJOR).exclude(status=Status.WITHDRAWN))
    if f.region:
        qs = qs.filter(area_q("enterprise__region", f.region))
    return qs.filter(found_on__year__in=years or (f.the_year(),))


# ---------------------------------------------------------------- the tables (each a queryset of grouped rows)


def by_clause(user: Any, f: StatsFilters) -> QuerySet:
    return major_hazards(user, f).values("clause").annotate(n=Count("pk")).order_by("-n", "clause")


def top_clauses(user: Any, f: StatsFilters) -> QuerySet:
    return by_clause(user, f)[:TOP]


def by_source(user: Any, f: StatsFilters) -> QuerySet:
    """This year's and last year's counts by source (the rows pivot them)."""
    year = f.the_year()
    qs = major_hazards(user, f, years=(year, year - 1))
    return qs.values("source", "found_on__year").annotate(n=Count("pk")).order_by("source", "found_on__year")


def by_county(user: Any, f: StatsFilters) -> QuerySet:
    return _by(user, f, "enterprise__region__parent_id")


def by_category(user: Any, f: StatsFilters) -> QuerySet:
    return _by(user, f, "enterprise__category_id")


def _by(user: Any, f: StatsFilters, column: str) -> QuerySet:
    self_check = Count("pk", filter=Q(source=Source.SELF_CHECK))
    qs = major_hazards(user, f).values(column).annotate(n=Count("pk"), self_check=self_check)
    return qs.order_by("-n", column)


# ---------------------------------------------------------------- rows as pages and files show them


@dataclass
class ClauseRow:
    clause: str
    standard: str
    number: str
    text: str
    n: int
    share: float


def clause_rows(qs: Iterable[dict]) -> list[ClauseRow]:
    rows = list(qs)
    total = sum(r["n"] for r in rows) or 1
    found = clauses_by_id([r["clause"] for r in rows if r["clause"]])
    return [_clause_row(r, found.get(r["clause"]), total) for r in rows]


def _clause_row(row: dict, clause: Any, total: int) -> ClauseRow:
    if clause is None:  # a free-text reference that names no clause of the catalogue
        return ClauseRow(row["clause"] or "", _("（未引用目录条款）"), "", "", row["n"], row["n"] / total)
    standard = clause.standard.short_title or clause.standard.title
    return ClauseRow(clause.pk, standard, clause.number, clause.text, row["n"], row["n"] / total)


@dataclass
class StandardRow:
    standard: str
    clauses: int
    n: int
    share: float


def standard_rows(qs: Iterable[dict]) -> list[StandardRow]:
    return standards_of(clause_rows(qs))


def standards_of(clauses: list[ClauseRow]) -> list[StandardRow]:
    groups: dict[str, list[ClauseRow]] = {}
    for row in clauses:
        groups.setdefault(row.standard, []).append(row)
    total = sum(r.n for rows in groups.values() for r in rows) or 1
    rows = [
        StandardRow(name, len(rs), sum(r.n for r in rs), sum(r.n for r in rs) / total) for name, rs in groups.items()
    ]
    return sorted(rows, key=lambda r: -r.n)


@dataclass
class SourceRow:
    source: str
    label: str
    n: int
    share: float
    last_n: int
    last_share: float

    @property
    def change(self) -> float:
        """The change of the share in percentage points."""
        return (self.share - self.last_share) * 100


def source_rows(qs: Iterable[dict]) -> list[SourceRow]:
    rows = list(qs)
    if not rows:
        return []
    year = max(r["found_on__year"] for r in rows)
    now = {r["source"]: r["n"] for r in rows if r["found_on__year"] == year}
    before = {r["source"]: r["n"] for r in rows if r["found_on__year"] != year}
    total, last_total = sum(now.values()) or 1, sum(before.values()) or 1
    sources = [s for s in Source.values if s in now or s in before]
    return [
        SourceRow(
            s,
            str(SOURCE_LABELS[s]),
            now.get(s, 0),
            now.get(s, 0) / total,
            before.get(s, 0),
            before.get(s, 0) / last_total,
        )
        for s in sources
    ]


@dataclass
class AreaRow:
    key: str
    label: str
    n: int
    self_check: int

    @property
    def self_share(self) -> float:
        return self.self_check / self.n if self.n else 0.0


def area_rows(qs: Iterable[dict], column: str, model: type[Region] | type[Category]) -> list[AreaRow]:
    rows = list(qs)
    names = dict(model.objects.filter(pk__in=[r[column] for r in rows]).values_list("pk", "name"))
    return [AreaRow(r[column], names.get(r[column], r[column]), r["n"], r["self_check"]) for r in rows]


def county_rows(qs: Iterable[dict]) -> list[AreaRow]:
    return area_rows(qs, "enterprise__region__parent_id", Region)


def category_rows(qs: Iterable[dict]) -> list[AreaRow]:
    return area_rows(qs, "enterprise__category_id", Category)


@dataclass
class Headline:
    """The speech's figure from the data: N major hazards, of which M (P%) self-reported."""

    year: int
    total: int
    last_total: int
    self_check: int
    last_self_check: int

    @property
    def self_share(self) -> float:
        return self.self_check / self.total if self.total else 0.0

    @property
    def last_self_share(self) -> float:
        return self.last_self_check / self.last_total if self.last_total else 0.0

    @property
    def total_change(self) -> float | None:
        """The change of the count against last year, in per cent (None without last year's)."""
        return (self.total - self.last_total) * 100 / self.last_total if self.last_total else None

    @property
    def self_percent(self) -> float:
        return round(self.self_share * 100, 1)

    @property
    def share_change(self) -> float:
        """The change of the self-reported share, in percentage points."""
        return round((self.self_share - self.last_self_share) * 100, 1)


def headline(user: Any, f: StatsFilters) -> Headline:
    return headline_of(f.the_year(), source_rows(by_source(user, f)))


def headline_of(year: int, rows: list[SourceRow]) -> Headline:
    return Headline(
        year=year,
        total=sum(r.n for r in rows),
        last_total=sum(r.last_n for r in rows),
        self_check=sum(r.n for r in rows if r.source == Source.SELF_CHECK),
        last_self_check=sum(r.last_n for r in rows if r.source == Source.SELF_CHECK),
    )


# ---------------------------------------------------------------- Excel


def _percent(value: float) -> float:
    return round(value * 100, 1)


def _columns(*specs: tuple[str, str, Callable[[Any], Any], int]) -> list[Column]:
    return [Column(str(label), name, getter, width) for label, name, getter, width in specs]


CLAUSE_COLUMNS = _columns(
    (gettext_lazy("条款编号"), "clause", lambda r: r.clause, 14),
    (gettext_lazy("判定标准"), "standard", lambda r: r.standard, 20),
    (gettext_lazy("条款号"), "number", lambda r: r.number, 14),
    (gettext_lazy("条文"), "text", lambda r: r.text, 60),
    (gettext_lazy("重大隐患数"), "n", lambda r: r.n, 10),
    (gettext_lazy("占比（%）"), "share", lambda r: _percent(r.share), 10),
)
STANDARD_COLUMNS = _columns(
    (gettext_lazy("判定标准"), "standard", lambda r: r.standard, 30),
    (gettext_lazy("涉及条款数"), "clauses", lambda r: r.clauses, 10),
    (gettext_lazy("重大隐患数"), "n", lambda r: r.n, 10),
    (gettext_lazy("占比（%）"), "share", lambda r: _percent(r.share), 10),
)
SOURCE_COLUMNS = _columns(
    (gettext_lazy("来源"), "label", lambda r: r.label, 14),
    (gettext_lazy("本年重大隐患数"), "n", lambda r: r.n, 12),
    (gettext_lazy("本年占比（%）"), "share", lambda r: _percent(r.share), 12),
    (gettext_lazy("上年重大隐患数"), "last_n", lambda r: r.last_n, 12),
    (gettext_lazy("上年占比（%）"), "last_share", lambda r: _percent(r.last_share), 12),
    (gettext_lazy("占比变化（百分点）"), "change", lambda r: round(r.change, 1), 14),
)


def _area_columns(head: str) -> list[Column]:
    return _columns(
        (head, "label", lambda r: r.label, 20),
        (gettext_lazy("重大隐患数"), "n", lambda r: r.n, 10),
        (gettext_lazy("企业自查"), "self_check", lambda r: r.self_check, 10),
        (gettext_lazy("自查占比（%）"), "self_share", lambda r: _percent(r.self_share), 12),
    )


def stats_words(user: Any, f: StatsFilters) -> list[str]:
    words = [_("%(year)s年") % {"year": f.the_year()}]
    if f.region:
        words.append(Region.objects.filter(code=f.region).values_list("name", flat=True).first() or f.region)
    return words


def _export(key: str, title: Any, columns: list[Column], select: Callable, rows: Callable) -> Export:
    return Export(
        kind=f"checklists.stats_{key}",
        title=title,
        columns=columns,
        filters=StatsFilters,
        select=select,
        rows=rows,
        words=stats_words,
        allowed=can_see_completion,
        refusal=gettext_lazy("重大隐患统计仅向监管部门开放"),
        back="standards_stats:page",
    )


def _rows_of(fn: Callable[[Iterable[dict]], list]) -> Callable[[QuerySet], Iterator]:
    return lambda qs: iter(fn(qs))


STATS_EXPORTS: dict[str, Export] = {
    "standards": _export(
        "standards", gettext_lazy("重大隐患按判定标准"), STANDARD_COLUMNS, by_clause, _rows_of(standard_rows)
    ),
    "clauses": _export("clauses", gettext_lazy("重大隐患按条款"), CLAUSE_COLUMNS, by_clause, _rows_of(clause_rows)),
    "top": _export("top", gettext_lazy("违反最多的20条条款"), CLAUSE_COLUMNS, top_clauses, _rows_of(clause_rows)),
    "sources": _export("sources", gettext_lazy("重大隐患按来源"), SOURCE_COLUMNS, by_source, _rows_of(source_rows)),
    "counties": _export(
        "counties",
        gettext_lazy("重大隐患按县区"),
        _area_columns(gettext_lazy("县区")),
        by_county,
        _rows_of(county_rows),
    ),
    "categories": _export(
        "categories",
        gettext_lazy("重大隐患按监管行业"),
        _area_columns(gettext_lazy("监管行业")),
        by_category,
        _rows_of(category_rows),
    ),
}
