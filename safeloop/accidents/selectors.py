"""Reads of accidents, disasters, responses and denominators; all through `scope.visible`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from safeloop.accidents.grading import MAJOR_OR_ABOVE, grade_at_least_q, grade_case, with_dead
from safeloop.accidents.models import Accident, Denominator, Disaster, EmergencyResponse
from safeloop.accounts.models import User
from safeloop.core.regions import subtree_prefix, year_start
from safeloop.core.scope import get_visible_or_404, region_q, visible
from safeloop.core.text import clean_text


@dataclass
class AccidentFilters:
    region: str = ""
    year: str = ""
    sector: str = ""
    grade: str = ""  # a grade code, or "major_plus" for 重特大
    q: str = ""
    all: str = ""  # "1": include accidents not counted as production-safety accidents

    @classmethod
    def from_params(cls, params) -> AccidentFilters:
        return cls(**{name: clean_text(params.get(name, "")) for name in cls.__dataclass_fields__})


def _in_region_and_year(qs: QuerySet, region: str, year: str, field: str) -> QuerySet:
    if region.isdigit() and len(region) in (6, 9):
        qs = qs.filter(region_q("region", subtree_prefix(region)))
    if year.isdigit() and len(year) == 4:
        y = int(year)
        if field == "occurred_on":
            qs = qs.filter(occurred_on__year=y)
        else:
            qs = qs.filter(**{f"{field}__gte": year_start(y), f"{field}__lt": year_start(y + 1)})
    return qs


def accident_list(user: User, filters: AccidentFilters) -> QuerySet[Accident]:
    qs = with_dead(visible(user, Accident.objects.all())).annotate(grade_code=grade_case())
    if filters.all != "1":
        qs = qs.filter(production_safety=True)
    qs = _in_region_and_year(qs, filters.region, filters.year, "occurred_at")
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
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


def disaster_list(user: User, region: str = "", year: str = "") -> QuerySet[Disaster]:
    qs = visible(user, Disaster.objects.select_related("region__parent"))
    return _in_region_and_year(qs, region, year, "occurred_on")


def disaster_get(user: User, pk: object) -> Disaster:
    return get_visible_or_404(user, Disaster.objects.select_related("region"), pk=pk)


def response_get(user: User, pk: object) -> EmergencyResponse:
    return get_visible_or_404(user, EmergencyResponse.objects.select_related("region", "disaster"), pk=pk)


def response_list(user: User, region: str = "", year: str = "") -> QuerySet[EmergencyResponse]:
    qs = visible(user, EmergencyResponse.objects.select_related("region__parent"))
    return _in_region_and_year(qs, region, year, "reported_at")


def denominator_list(user: User, region: str = "", year: str = "") -> QuerySet[Denominator]:
    qs = visible(user, Denominator.objects.select_related("region"))
    if region:
        qs = qs.filter(region_id=region)
    if year.isdigit():
        qs = qs.filter(year=int(year))
    return qs


def denominator_get(user: User, region: str, year: int) -> Denominator:
    return get_visible_or_404(user, Denominator.objects.select_related("region"), region_id=region, year=year)
