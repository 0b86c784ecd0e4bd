"""Reads for the dashboard, the API and the benchmark: indicators, targets, progress,
projection, ranking and composition, for every region a user covers, from a bounded number
of grouped queries whatever the data size."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, IntegerField, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeloop.accidents.grading import COUNTED_DEAD
from safeloop.accidents.reference import sectors
from safeloop.accounts.models import User
from safeloop.core.regions import subtree_prefix, year_start, years_earlier
from safeloop.core.scope import complete_area, region_q, visible
from safeloop.registry.models import Region
from safeloop.targets import figures as fig
from safeloop.targets.indicators import Figures, Indicator, indicators
from safeloop.targets.models import Target, TargetKind
from safeloop.targets.projection import Projection, Tally, project_counts, seasonal_share

HISTORY_YEARS = 5


@dataclass
class Row:
    indicator: Indicator
    value: Decimal | None
    last_year: Decimal | None
    baseline: Decimal | None
    target: Decimal | None
    target_rule: Target | None
    projection: Projection | None
    status: str  # met | missed | on_track | at_risk | no_target | no_data

    @property
    def change_pct(self) -> float | None:
        if self.value is None or not self.last_year:
            return None
        return float((self.value - self.last_year) / self.last_year * 100)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def probability_pct(self) -> float | None:
        p = self.projection.probability if self.projection else None
        return None if p is None else round(p * 100, 1)


STATUS_LABELS = {
    "met": "已完成",
    "missed": "未完成",
    "on_track": "有望完成",
    "at_risk": "有风险",
    "no_target": "未设目标",
    "no_data": "无数据",
}


class Board:
    """Everything for one year, for all regions the user covers."""

    def __init__(self, user: User, year: int, now: datetime | None = None):
        self.user, self.year = user, year
        now = now or timezone.now()
        self.end = min(now, year_start(year + 1))
        self.complete = self.end >= year_start(year + 1)
        last_end = years_earlier(self.end) if not self.complete else year_start(year)
        self.current = fig.period_figures(user, year_start(year), self.end)
        self.previous = fig.period_figures(user, year_start(year - 1), last_end)
        self.targets = _targets(user, year)
        self.baseline_year = min((t.baseline_year for t in self.targets.values()), default=year - 1)
        self.baseline = fig.period_figures(user, year_start(self.baseline_year), year_start(self.baseline_year + 1))
        self.history = fig.yearly_counts(user, year - HISTORY_YEARS, year - 1)
        self.profile = fig.monthly_profile(user, year - HISTORY_YEARS, year - 1)
        self.elapsed = 1.0 if self.complete else seasonal_share(timezone.localtime(self.end).date(), self.profile)
        self._denominators()

    def _denominators(self) -> None:
        prefix = complete_area(self.user)
        codes = fig.denominator_regions(self.user, self.year) | set(self.current) | {c for c, _ in self.targets}
        self.regions = sorted(c for c in codes if prefix is not None and c.startswith(prefix))
        for code in self.regions:
            self.current.setdefault(code, Figures())
            self.previous.setdefault(code, Figures())
            self.baseline.setdefault(code, Figures())
        fig.attach_denominators(self.user, self.current, self.year)
        fig.attach_denominators(self.user, self.previous, self.year - 1)
        fig.attach_denominators(self.user, self.baseline, self.baseline_year)

    def rows(self, code: str) -> list[Row]:
        return self.rows_for([code])[code]

    def rows_for(self, codes: list[str]) -> dict[str, list[Row]]:
        """Each region's rows, with the projections of all of them made in one batch."""
        drafts = {code: [self._draft(code, ind) for ind in indicators().values()] for code in codes}
        wanted = [d for rows in drafts.values() for d in rows if d.count is not None]
        projected = project_counts([d.count for d in wanted], elapsed=self.elapsed)  # type: ignore[misc]
        for draft, p in zip(wanted, projected, strict=True):
            k = float(draft.per_count)  # type: ignore[arg-type]
            draft.row.projection = Projection(p.mean * k, p.low * k, p.high * k, p.probability)
        for rows in drafts.values():
            for d in rows:
                d.row.status = self._status(
                    d.row.indicator, d.row.value, d.row.target, d.row.target_rule, d.row.projection
                )
        return {code: [d.row for d in rows] for code, rows in drafts.items()}

    def _draft(self, code: str, ind: Indicator) -> _Draft:
        current = self.current.get(code, Figures())
        rule = self.targets.get((code, ind.code))
        baseline = ind.round(ind.compute(self.baseline.get(code, Figures())))
        target = _yearly_target(rule, baseline, self.year)
        row = Row(
            indicator=ind,
            value=ind.round(ind.compute(current)),
            last_year=ind.round(ind.compute(self.previous.get(code, Figures()))),
            baseline=baseline,
            target=target,
            target_rule=rule,
            projection=None,
            status="",
        )
        per_count = None if ind.count_field is None else _per_count(ind, ind.count_field, current)
        if per_count is None or ind.count_field is None:
            return _Draft(row, None, None)
        history = [getattr(self.history[code][y], ind.count_field) for y in range(self.year - HISTORY_YEARS, self.year)]
        limit = None if target is None else math.floor(target / per_count + Decimal("1e-9"))
        return _Draft(row, Tally(observed=getattr(current, ind.count_field), history=history, limit=limit), per_count)

    def _status(self, ind, value, target, rule, projection) -> str:
        if value is None:
            return "no_data"
        if target is None or rule is None:
            return "no_target"
        ok = value >= target if rule.kind == TargetKind.FLOOR else value <= target
        if self.complete:
            return "met" if ok else "missed"
        if projection is not None and projection.probability is not None:
            return "on_track" if projection.probability >= 0.5 else "at_risk"
        if not ok and rule.kind == TargetKind.CAP:
            return "missed"  # counts only grow within a year
        return "on_track" if ok else "at_risk"

    def ranking(self, parent: str) -> list[dict]:
        rows = self.rows_for(self.child_counties(parent))
        return rank_counties(list(rows.items()))

    def child_counties(self, parent: str) -> list[str]:
        codes = Region.objects.filter(parent_id=parent, level="county").values_list("code", flat=True)
        return [c for c in codes if c in self.regions or c in self.current]


@dataclass
class _Draft:
    """A row before its projection and status: what the batch projects for it."""

    row: Row
    count: Tally | None
    per_count: Decimal | None


def _per_count(ind: Indicator, count_field: str, current: Figures) -> Decimal | None:
    """How much one more counted record (a death, an accident) moves the indicator."""
    one = Figures(**{name: getattr(current, name) for name in fig.DENOMINATORS})
    setattr(one, count_field, 1)
    return ind.compute(one)


def _yearly_target(rule: Target | None, baseline: Decimal | None, year: int) -> Decimal | None:
    if rule is None:
        return None
    if rule.kind != TargetKind.REDUCE:
        return rule.value
    if baseline is None:
        return None
    span = max(rule.end_year - rule.baseline_year, 1)
    share = Decimal(min(max(year - rule.baseline_year, 0), span)) / Decimal(span)
    return (baseline * (1 - rule.value / 100 * share)).quantize(Decimal("0.0001"))


def _targets(user: User, year: int) -> dict[tuple[str, str], Target]:
    qs = visible(user, Target.objects.filter(start_year__lte=year, end_year__gte=year))
    return {(t.region_id, t.indicator): t for t in qs}


def rank_counties(entries: list[tuple[str, list[Row]]]) -> list[dict]:
    """Provincial-assessment order: a 重特大 accident vetoes (一票否决, last); then more binding
    targets on track; then the lower 亿元GDP死亡率 (no data last)."""
    names = dict(Region.objects.filter(code__in=[c for c, _ in entries]).values_list("code", "name"))
    table = [_rank_entry(code, names.get(code, code), rows) for code, rows in entries]
    table.sort(key=lambda e: (e["veto"], -e["binding_ok"], e["rate"] is None, e["rate"] or 0, e["code"]))
    for place, entry in enumerate(table, start=1):
        entry["place"] = place
    return table


def _rank_entry(code: str, name: str, rows: list[Row]) -> dict:
    by_code = {r.indicator.code: r for r in rows}
    binding = [r for r in rows if r.target_rule and r.target_rule.binding]
    return {
        "code": code,
        "name": name,
        "veto": bool(by_code["major_accidents"].value),
        "binding_ok": sum(r.status in ("met", "on_track") for r in binding),
        "binding_total": len(binding),
        "deaths": by_code["deaths"],
        "rate": by_code["deaths_per_100m_gdp"].value,
        "rate_row": by_code["deaths_per_100m_gdp"],
    }


def sector_breakdown(user: User, region: str, year: int, end: datetime) -> list[dict]:
    """Accidents and deaths per statistical sector, with shares of the total (one decimal)."""
    rows = (
        fig.accidents_in(user, year_start(year), end)
        .filter(region_q("region", subtree_prefix(region)))
        .values("sector")
        .annotate(n=Count("pk"), dead=Coalesce(Sum(COUNTED_DEAD), 0, output_field=IntegerField()))
        .order_by("-n", "sector")
    )
    rows = list(rows)
    total_n = sum(r["n"] for r in rows) or 1
    total_dead = sum(r["dead"] for r in rows) or 1
    return [
        {
            "sector": r["sector"],
            "name": sectors()[r["sector"]].name,
            "accidents": r["n"],
            "deaths": r["dead"],
            "accident_share": round(r["n"] * 100 / total_n, 1),
            "death_share": round(r["dead"] * 100 / total_dead, 1),
        }
        for r in rows
    ]


def monthly_deaths(user: User, region: str, years: tuple[int, int]) -> dict[int, list[int]]:
    rows = (
        fig.accidents_in(user, year_start(years[0]), year_start(years[1] + 1))
        .filter(region_q("region", subtree_prefix(region)))
        .annotate(y=fig.year_of("occurred_at", *years), m=fig.month_of("occurred_at", *years))
        .values("y", "m")
        .annotate(dead=Coalesce(Sum(COUNTED_DEAD), 0, output_field=IntegerField()))
        .order_by()
    )
    out = {y: [0] * 12 for y in range(years[0], years[1] + 1)}
    for r in rows:
        out[r["y"]][r["m"] - 1] = r["dead"]
    return out
