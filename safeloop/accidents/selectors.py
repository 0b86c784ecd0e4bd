"""Reads of accidents, disasters, responses and denominators; all through `scope.visible`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja import Field

from safeloop.accidents.grading import MAJOR_OR_ABOVE, grade_at_least_q, grade_case, with_dead
from safeloop.accidents.models import Accident, Denominator, Disaster, EmergencyResponse
from safeloop.accounts.models import User
from safeloop.core.fields import FieldSpec
from safeloop.core.filters import DAY, YEAR, Filters
from safeloop.core.regions import subtree_prefix, year_start
from safeloop.core.scope import get_visible_or_404, region_q, visible


class RecordFilters(Filters):
    """The filters of every list of accident records: a region's subtree and a year."""

    typed: ClassVar[dict[str, FieldSpec]] = {"year": YEAR}
    region: str = Field("", title=gettext_noop("区划代码"), description=gettext_noop("县级6位或乡镇9位"))
    year: str = Field("", title=gettext_noop("年份"))


class AccidentFilters(RecordFilters):
    typed: ClassVar[dict[str, FieldSpec]] = {**RecordFilters.typed, "occurred_from": DAY, "occurred_to": DAY}
    occurred_from: str = Field("", title=gettext_noop("发生日期起"))
    occurred_to: str = Field("", title=gettext_noop("发生日期止"))
    sector: str = Field("", title=gettext_noop("统计行业"), description=gettext_noop("行业代码，多个以逗号分隔"))
    grade: str = Field("", title=gettext_noop("等级"), description=gettext_noop("等级代码，或 major_plus（重特大）"))
    q: str = Field("", title=gettext_noop("搜索"), description=gettext_noop("事故名称中的文字"))
    all: str = Field(
        "", title=gettext_noop("含非生产安全事故"), description=gettext_noop("1：也列出不计入生产安全事故的")
    )


def _in_region_and_year(qs: QuerySet, region: str, year: str, field: str) -> QuerySet:
    if region.isdigit() and len(region) in (6, 9):
        qs = qs.filter(region_q("region", subtree_prefix(region)))
    if year:  # a year within YEAR's bounds (RecordFilters.typed)
        y = int(year)
        if field == "occurred_on":
            qs = qs.filter(occurred_on__year=y)
        else:
            qs = qs.filter(**{f"{field}__gte": year_start(y), f"{field}__lt": year_start(y + 1)})
    return qs


def _occurred_between(qs: QuerySet, start: str, end: str) -> QuerySet:
    """Dates in their canonical text (AccidentFilters.typed); both ends included, local days."""
    if start:
        qs = qs.filter(occurred_at__gte=day_start(date.fromisoformat(start)))
    if end:
        qs = qs.filter(occurred_at__lt=day_start(date.fromisoformat(end) + timedelta(days=1)))
    return qs


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def accident_list(user: User, filters: AccidentFilters) -> QuerySet[Accident]:
    qs = with_dead(visible(user, Accident.objects.all())).annotate(grade_code=grade_case())
    if filters.all != "1":
        qs = qs.filter(production_safety=True)
    qs = _in_region_and_year(qs, filters.region, filters.year, "occurred_at")
    qs = _occurred_between(qs, filters.occurred_from, filters.occurred_to)
    if filters.sector:  # one code, or several separated by commas (道路运输 and 道路交通)
        qs = qs.filter(sector__in=filters.sector.split(","))
    if filters.grade == "major_plus":
        qs = qs.filter(grade_at_least_q(MAJOR_OR_ABOVE[-1]))
    elif filters.grade:
        qs = qs.filter(grade_code=filters.grade)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    return qs.select_related("region__parent", "enterprise")


def accident_get(user: User, pk: object) -> Accident:
    qs = Accident.objects.select_related("region__parent", "enterprise", "category")
    return get_visible_or_404(user, qs, pk=pk)


def disaster_list(user: User, filters: RecordFilters | None = None) -> QuerySet[Disaster]:
    filters = filters or RecordFilters.from_params({})
    qs = visible(user, Disaster.objects.select_related("region__parent"))
    return _in_region_and_year(qs, filters.region, filters.year, "occurred_on")


def disaster_get(user: User, pk: object) -> Disaster:
    return get_visible_or_404(user, Disaster.objects.select_related("region"), pk=pk)


def response_get(user: User, pk: object) -> EmergencyResponse:
    return get_visible_or_404(user, EmergencyResponse.objects.select_related("region", "disaster"), pk=pk)


def response_list(user: User, filters: RecordFilters) -> QuerySet[EmergencyResponse]:
    qs = visible(user, EmergencyResponse.objects.select_related("region__parent"))
    return _in_region_and_year(qs, filters.region, filters.year, "reported_at")


def denominator_list(user: User, filters: RecordFilters) -> QuerySet[Denominator]:
    """The figures of exactly that region (the region's own, not its subtree's)."""
    qs = visible(user, Denominator.objects.select_related("region"))
    if filters.region:
        qs = qs.filter(region_id=filters.region)
    if filters.year:
        qs = qs.filter(year=int(filters.year))
    return qs


def denominator_get(user: User, region: str, year: int) -> Denominator:
    return get_visible_or_404(user, Denominator.objects.select_related("region"), region_id=region, year=year)
