"""A demo city (益阳, 430900) with a year of records behind every figure of an annual briefing,
and one of the year before for the year-on-year figures."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from safeloop.accidents.models import Accident
from safeloop.accounts.models import Role
from safeloop.campaigns.models import Campaign, Kind, Status
from safeloop.hazards.models import Hazard
from safeloop.inspections.models import Inspection
from safeloop.registry.models import Department
from safeloop.reporting.models import RewardMechanism
from safeloop.targets.models import Target
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise, make_user

YEAR = 2025  # a whole year over: the annual briefing counts it all
_serial = itertools.count(1)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))  # noqa: DTZ001


def accident(region: str, day: date, sector: str, deaths: int = 0, missing: int = 0, counted: bool = True) -> Accident:
    return Accident.objects.create(
        title=f"事故{next(_serial)}",
        occurred_at=at(day),
        region_id=region,
        sector=sector,
        production_safety=counted,
        deaths=deaths,
        missing=missing,
    )


def hazard(enterprise, day: date, *, level="major", source="regulator", status="confirmed") -> Hazard:
    return Hazard.objects.create(
        code=f"YH-T-{next(_serial):06d}",
        enterprise=enterprise,
        description="测试隐患",
        level=level,
        source=source,
        found_on=day,
        status=status,
    )


def inspection(enterprise, day: date, user, status="closed") -> Inspection:
    body = Department.objects.filter(region_id="430900").first()
    return Inspection.objects.create(
        code=f"JC-T-{next(_serial):06d}",
        enterprise=enterprise,
        enforcement_body=body,
        planned_on=day,
        status=status,
        created_by=user,
    )


@pytest.fixture
def demo_city(reference, city_user):
    """Records in two counties of the city (资阳区 and 赫山区), this year and last."""
    chem = make_enterprise(region=ZIYANG_TOWN, category="hazchem")
    truck = make_enterprise(region=HESHAN_TOWN, category="road_transport")
    mall = make_enterprise(region=ZIYANG_TOWN, category="fire_safety")
    # Accidents: 4 counted this year (2 road), 1 not counted; 5 last year.
    accident("430902005", date(YEAR, 2, 3), "road_traffic", deaths=1)
    accident("430903003", date(YEAR, 5, 6), "road_traffic", deaths=1, missing=1)
    accident("430902005", date(YEAR, 7, 1), "industry_trade", deaths=0)
    accident("430903003", date(YEAR, 12, 31), "construction", deaths=1)
    accident("430902005", date(YEAR, 3, 1), "road_traffic", deaths=3, counted=False)
    for month in (1, 3, 5, 7, 9):
        accident("430902005", date(YEAR - 1, month, 2), "road_traffic", deaths=2)
    # Hazards: 3 major found this year (1 self-reported), 1 withdrawn, 1 general; 4 last year.
    hazard(chem, date(YEAR, 3, 1), source="self_check")
    hazard(truck, date(YEAR, 4, 1))
    hazard(mall, date(YEAR, 6, 1), status="rectifying")  # an open major fire hazard
    hazard(mall, date(YEAR, 6, 2), status="withdrawn")
    hazard(chem, date(YEAR, 6, 3), level="general")
    for month in (2, 4, 6, 8):
        hazard(chem, date(YEAR - 1, month, 1), status="closed")
    # Inspections: 3 closed this year on 2 enterprises, 1 cancelled; 4 closed last year on 3.
    for e, day in ((chem, date(YEAR, 2, 1)), (chem, date(YEAR, 8, 1)), (truck, date(YEAR, 9, 1))):
        inspection(e, day, city_user)
    inspection(mall, date(YEAR, 9, 2), city_user, status="cancelled")
    for e, day in (
        (chem, date(YEAR - 1, 2, 1)),
        (truck, date(YEAR - 1, 3, 1)),
        (mall, date(YEAR - 1, 4, 1)),
        (mall, date(YEAR - 1, 5, 1)),
    ):
        inspection(e, day, city_user)
    # Reward mechanisms: 2 of the city's 3 enterprises.
    RewardMechanism.objects.create(enterprise=chem, established=True, established_on=date(YEAR, 1, 10))
    RewardMechanism.objects.create(enterprise=truck, established=True, established_on=date(YEAR, 6, 10))
    # The four binding targets of the city (and one that is not binding).
    for indicator, kind, value, binding in (
        ("deaths", "reduce", "15", True),
        ("major_accidents", "cap", "0", True),
        ("deaths_per_100m_gdp", "reduce", "20", True),
        ("deaths_per_100k_industrial_workers", "reduce", "15", True),
        ("response_within_2h_share", "floor", "100", False),
    ):
        Target.objects.create(
            region_id="430900",
            indicator=indicator,
            kind=kind,
            value=Decimal(value),
            binding=binding,
            baseline_year=YEAR - 1,
            start_year=YEAR,
            end_year=YEAR + 4,
        )
    Campaign.objects.create(
        code="ZX-T-1",
        title="城镇燃气安全专项整治",
        kind=Kind.SPECIAL,
        region_id="430900",
        starts_on=date(YEAR, 3, 1),
        ends_on=date(YEAR, 6, 30),
        status=Status.LAUNCHED,
        created_by=city_user,
    )
    return {"chem": chem, "truck": truck, "mall": mall}


@pytest.fixture
def county_writer(reference):
    return make_user(Role.COUNTY, region_id="430902")
