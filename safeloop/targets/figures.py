"""Aggregate the records behind the indicators: a handful of grouped queries per period, rolled
up from counties to cities and the province in Python (region codes nest by prefix).

Every query starts from `scope.visible`, so a user's figures contain only their own records.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from safeloop.accidents.grading import COUNTED_DEAD, major_or_above_q, with_dead
from safeloop.accidents.models import Accident, Denominator, Disaster, EmergencyResponse
from safeloop.accidents.reference import sectors
from safeloop.accounts.models import User
from safeloop.core.regions import ancestors, year_start
from safeloop.core.scope import visible
from safeloop.targets.indicators import DENOMINATORS, Figures

RESPONSE_LIMIT = timedelta(hours=2)
RELIEF_LIMIT = timedelta(hours=10)


def accidents_in(user: User, start: datetime, end: datetime):
    """Production-safety accidents of the period, annotated with the deaths they count
    (`counted_dead`: with the missing by default, RULES.md §3.2)."""
    qs = visible(user, Accident.objects.filter(production_safety=True, occurred_at__gte=start, occurred_at__lt=end))
    return with_dead(qs)


def _accident_rows(user: User, start: datetime, end: datetime, *extra):
    return (
        accidents_in(user, start, end)
        .annotate(county=Substr("region_id", 1, 6), **dict(extra))
        .values("county", "sector", *[name for name, _ in extra])
        .annotate(
            n=Count("pk"),
            dead=Coalesce(Sum(COUNTED_DEAD), 0, output_field=IntegerField()),
            majors=Count("pk", filter=major_or_above_q()),
        )
        .order_by()
    )


def _add_accidents(target: Figures, row: dict) -> None:
    sector = sectors()[row["sector"]]
    target.accidents += row["n"]
    target.deaths += row["dead"]
    target.major_accidents += row["majors"]
    if sector.gongmao:
        target.gongmao_deaths += row["dead"]
    if sector.road:
        target.road_deaths += row["dead"]


def period_figures(user: User, start: datetime, end: datetime) -> dict[str, Figures]:
    """Figures of every region (county, city, province) with records in [start, end)."""
    by_region: dict[str, Figures] = defaultdict(Figures)
    for row in _accident_rows(user, start, end):
        for code in ancestors(row["county"]):
            _add_accidents(by_region[code], row)
    for county, figures in _disaster_figures(user, start, end).items():
        for code in ancestors(county):
            by_region[code].add(figures)
    for county, figures in _response_figures(user, start, end).items():
        for code in ancestors(county):
            by_region[code].add(figures)
    return by_region


def _disaster_figures(user: User, start: datetime, end: datetime) -> dict[str, Figures]:
    qs = visible(user, Disaster.objects.filter(occurred_on__gte=start.date(), occurred_on__lt=_end_date(end)))
    rows = (
        qs.annotate(county=Substr("region_id", 1, 6))
        .values("county")
        .annotate(loss=Sum("direct_loss"), dead=Sum("deaths"), lost=Sum("missing"), people=Sum("affected"))
        .order_by()
    )
    with_missing = settings.SAFELOOP_DISASTER_DEATHS_INCLUDE_MISSING
    return {
        r["county"]: Figures(
            disaster_loss=r["loss"] or Decimal(0),
            disaster_deaths=(r["dead"] or 0) + ((r["lost"] or 0) if with_missing else 0),
            affected=r["people"] or 0,
        )
        for r in rows
    }


def _end_date(end: datetime) -> date:
    """Disasters are dated: a period ending mid-day includes that day."""
    local = timezone.localtime(end)
    return local.date() + timedelta(days=1) if local.time() != datetime.min.time() else local.date()


def _response_figures(user: User, start: datetime, end: datetime) -> dict[str, Figures]:
    qs = visible(user, EmergencyResponse.objects.filter(reported_at__gte=start, reported_at__lt=end))
    out: dict[str, Figures] = defaultdict(Figures)
    fields = ("region_id", "reported_at", "response_started_at", "relief_needed", "relief_distributed_at")
    for region, reported, started, needed, distributed in qs.values_list(*fields).order_by():
        figures = out[region[:6]]
        figures.responses += 1
        figures.responses_within_2h += bool(started and started - reported <= RESPONSE_LIMIT)
        figures.relief_needed += bool(needed)
        figures.relief_within_10h += bool(needed and distributed and distributed - reported <= RELIEF_LIMIT)
    return out


def bucket(field: str, ends: list[tuple[datetime, int]]) -> Case:
    """The value of the first (end, value) whose end is after the moment in `field` (ends in
    order): the database compares instead of extracting a year or month, which SQLite does
    with a Python callback per row (most of a province's board otherwise)."""
    whens = [When(**{f"{field}__lt": end}, then=Value(value)) for end, value in ends]
    return Case(*whens, default=None, output_field=IntegerField())


def year_of(field: str, first: int, last: int) -> Case:
    """The year (current zone) of a moment in years first..last."""
    return bucket(field, [(year_start(year + 1), year) for year in range(first, last + 1)])


def month_of(field: str, first: int, last: int) -> Case:
    """The month 1–12 (current zone) of a moment in years first..last."""
    ends = [(_month_start(year, month + 1), month) for year in range(first, last + 1) for month in range(1, 13)]
    return bucket(field, ends)


def _month_start(year: int, month: int) -> datetime:
    """Midnight of the first of `month` (13: January of the next year) in the current zone."""
    return timezone.make_aware(datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1))  # noqa: DTZ001


def yearly_counts(user: User, first: int, last: int) -> dict[str, dict[int, Figures]]:
    """Accident figures per region and full year, first..last inclusive (history and baseline)."""
    out: dict[str, dict[int, Figures]] = defaultdict(lambda: defaultdict(Figures))
    rows = _accident_rows(user, year_start(first), year_start(last + 1), ("year", year_of("occurred_at", first, last)))
    for row in rows:
        for code in ancestors(row["county"]):
            _add_accidents(out[code][row["year"]], row)
    return out


def monthly_profile(user: User, first: int, last: int) -> list[float]:
    """Deaths (accidents when there are no deaths) per calendar month over the years, pooled."""
    rows = (
        accidents_in(user, year_start(first), year_start(last + 1))
        .annotate(month=month_of("occurred_at", first, last))
        .values("month")
        .annotate(n=Count("pk"), dead=Coalesce(Sum(COUNTED_DEAD), 0, output_field=IntegerField()))
        .order_by()
    )
    months = [0.0] * 12
    counts = [0.0] * 12
    for row in rows:
        months[row["month"] - 1] = float(row["dead"])
        counts[row["month"] - 1] = float(row["n"])
    return months if sum(months) > 0 else counts


def attach_denominators(user: User, by_region: dict[str, Figures], years: dict[str, int] | int) -> None:
    """Set each region's denominators of `years` (one year, or a year per region)."""
    wanted = {years} if isinstance(years, int) else set(years.values())
    rows = visible(user, Denominator.objects.filter(year__in=wanted)).values("region_id", "year", *DENOMINATORS)
    found = {(r["region_id"], r["year"]): r for r in rows}
    for code, figures in by_region.items():
        year = years if isinstance(years, int) else years.get(code)
        row = found.get((code, year))
        for name in DENOMINATORS:
            setattr(figures, name, row[name] if row else None)


def denominator_regions(user: User, year: int) -> set[str]:
    return set(visible(user, Denominator.objects.filter(year=year)).values_list("region_id", flat=True))
