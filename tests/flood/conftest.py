"""A 资阳 risk point with its three responsible persons, for the flood tests."""

from __future__ import annotations

import pytest

from safeloop.flood.services import risk_point_create
from tests.conftest import ZIYANG_TOWN

POINT = {
    "name": "大码头资水堤段",
    "kind": "dike",
    "level": "major",
    "region": ZIYANG_TOWN,
    "location": "资水左岸桩号 K1+000",
    "lat": "28.600000",
    "lng": "112.320000",
    "people_threatened": 1200,
    "admin_person": "张伟",
    "admin_phone": "13900000001",
    "tech_person": "李强",
    "tech_phone": "13900000002",
    "patrol_person": "王军",
    "patrol_phone": "13900000003",
}


@pytest.fixture
def point(ziyang_user):
    return risk_point_create(actor=ziyang_user, data=POINT)
