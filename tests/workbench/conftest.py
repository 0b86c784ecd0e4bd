"""A little city with a user of every demo role and something for each of them to see."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from safeloop.accidents.models import Denominator, Disaster, EmergencyResponse
from safeloop.accidents.services import accident_create
from safeloop.accounts.models import Role
from safeloop.experts.services import expert_assign
from safeloop.hazards.services import hazard_report
from safeloop.hazards.workflow import hazard_act
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise, make_user

ROLES = ["city", "county", "township", "department", "enterprise", "expert", "sysadmin"]


def _act(actor, hazard, action, **data):
    hazard.refresh_from_db()
    return hazard_act(hazard_id=hazard.pk, actor=actor, action=action, version=hazard.version, data=data)


@pytest.fixture
def little_city(reference, django_capture_on_commit_callbacks) -> dict:
    chem = make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="资阳化工有限公司", risk_level="red")
    haul = make_enterprise(region=HESHAN_TOWN, category="road_transport", name="赫山运输有限公司", risk_level="blue")
    make_enterprise(region=ZIYANG_TOWN, category="hazchem", name="资阳重点企业", key_sector=True, risk_level="orange")
    users = {
        "city": make_user(Role.CITY, region_id="430900"),
        "county": make_user(Role.COUNTY, region_id="430902"),
        "township": make_user(Role.TOWNSHIP, region_id=ZIYANG_TOWN),
        "department": make_user(Role.DEPARTMENT, department=_department("430900", "transport")),
        "enterprise": make_user(Role.ENTERPRISE, enterprise=chem),
        "expert": make_user(Role.EXPERT),
        "sysadmin": make_user(Role.SYSADMIN),
    }
    expert_assign(expert=users["expert"], enterprise_ids=[chem.pk, haul.pk])
    with django_capture_on_commit_callbacks(execute=True):
        _hazards(users, chem, haul)
    _records(users["county"])
    return users


def _department(region: str, kind: str):
    from safeloop.registry.models import Department

    return Department.objects.get(region_id=region, kind=kind)


def _hazards(users, chem, haul) -> None:
    boss, county = users["enterprise"], users["county"]
    hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地"})
    with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
        late = hazard_report(
            actor=county, data={"enterprise": chem.pk, "source": "regulator", "description": "通道堵塞"}
        )
        _act(county, late, "confirm")
        _act(county, late, "assign", responsible_unit="企业", responsible_person="张", deadline_days="5")
    major = {"level": "major", "clause": "化工121-1", "description": "可燃气体报警缺失", "source": "regulator"}
    hazard_report(actor=users["city"], data={**major, "enterprise": chem.pk})
    hazard_report(actor=users["city"], data={"enterprise": haul.pk, "source": "regulator", "description": "车辆超载"})


def _records(county) -> None:
    now = timezone.now() - timedelta(hours=2)
    data = {"title": "资阳运输事故", "occurred_at": now, "region": ZIYANG_TOWN, "sector": "road_transport"}
    accident_create(actor=county, data=data | {"deaths": 1})
    disaster = Disaster.objects.create(title="资阳洪涝", kind="flood", occurred_on=now.date(), region_id=ZIYANG_TOWN)
    EmergencyResponse.objects.create(title="资阳响应", region_id=ZIYANG_TOWN, reported_at=now, disaster=disaster)
    Denominator.objects.create(region_id="430902", year=now.year, gdp=200, source="统计年鉴")
