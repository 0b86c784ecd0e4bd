"""A small city for the board: enterprises with coordinates in two counties, open major hazards
(one past its deadline), a worker count for one county."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from safeloop.accidents.models import Denominator
from safeloop.accounts.access import token_issue
from safeloop.accounts.models import Role
from safeloop.hazards.models import Hazard, Status
from safeloop.hazards.services import hazard_report
from tests.conftest import HESHAN_TOWN, ZIYANG_TOWN, make_enterprise, make_user

MAJOR = {"level": "major", "clause": "化工121-1", "source": "regulator"}


@pytest.fixture
def board_city(reference, django_capture_on_commit_callbacks) -> dict:
    chem = make_enterprise(
        region=ZIYANG_TOWN, name="资阳图层化工有限公司", risk_level="red", lng=Decimal("112.33"), lat=Decimal("28.59")
    )
    shop = make_enterprise(
        region=ZIYANG_TOWN, name="资阳图层商贸有限公司", risk_level="blue", lng=Decimal("112.34"), lat=Decimal("28.60")
    )
    haul = make_enterprise(
        region=HESHAN_TOWN,
        category="road_transport",
        name="赫山图层运输有限公司",
        risk_level="orange",
        lng=Decimal("112.41"),
        lat=Decimal("28.55"),
    )
    users = {
        "city": make_user(Role.CITY, region_id="430900"),
        "ziyang": make_user(Role.COUNTY, region_id="430902"),
        "heshan": make_user(Role.COUNTY, region_id="430903"),
        "enterprise": make_user(Role.ENTERPRISE, enterprise=chem),
    }
    with django_capture_on_commit_callbacks(execute=True):
        open_major = hazard_report(
            actor=users["ziyang"], data={**MAJOR, "enterprise": chem.pk, "description": "报警缺失"}
        )
        with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
            late = hazard_report(
                actor=users["heshan"], data={**MAJOR, "enterprise": haul.pk, "description": "罐区超装"}
            )
    # Confirming a major hazard needs the expert's and the principal's signatures (tests/hazards
    # walk that); the board only reads, so the states are set directly here.
    Hazard.objects.filter(pk=open_major.pk).update(status=Status.CONFIRMED)
    Hazard.objects.filter(pk=late.pk).update(
        status=Status.ASSIGNED, deadline=timezone.localdate() - timedelta(days=35), responsible_unit="企业"
    )
    Denominator.objects.create(region_id="430902", year=timezone.localdate().year, industrial_employees=50_000)
    return {"users": users, "chem": chem, "shop": shop, "haul": haul, "open": open_major, "late": late}


@pytest.fixture
def bearer():
    def headers(user):
        raw, _token = token_issue(user=user)
        return {"Authorization": f"Bearer {raw}"}

    return headers
