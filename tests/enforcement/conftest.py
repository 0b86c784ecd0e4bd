"""Fixtures: the 资阳区 应急管理局 as a legal enforcement body (two certified officers), the
county 应急局 account, a township account, and the 资阳区 交通运输局 (routed clues)."""

from __future__ import annotations

import pytest

from safeloop.accounts.models import Role
from safeloop.registry.models import Department, OfficerCertificate
from tests.api.test_api import api  # noqa: F401 - the fixture, for this folder
from tests.conftest import ZIYANG_TOWN, make_user

PHONE_CLUE = {
    "kind": "unlicensed",
    "source": "patrol",
    "region": ZIYANG_TOWN,
    "name": "无名塑料加工作坊",
    "address": "大码头街道建设路88号后院",
    "lat": "28.5921",
    "lng": "112.3245",
    "description": "无营业执照、无安全生产许可，私自生产塑料制品",
}


@pytest.fixture
def ziyang_emergency(reference) -> Department:
    body = Department.objects.get(region_id="430902", kind="emergency")
    for n in range(2):
        user = make_user(Role.DEPARTMENT, department=body, display_name=f"执法员{n}")
        OfficerCertificate.objects.create(user=user, certificate_no=f"4309020{n}")
    return body


@pytest.fixture
def ziyang_transport(reference) -> Department:
    return Department.objects.get(region_id="430902", kind="transport")


@pytest.fixture
def transport_officer(ziyang_transport):
    return make_user(Role.DEPARTMENT, department=ziyang_transport, display_name="交通执法员")


@pytest.fixture
def housing_officer(reference):
    return make_user(
        Role.DEPARTMENT,
        department=Department.objects.get(region_id="430902", kind="housing"),
        display_name="住建执法员",
    )


@pytest.fixture
def recorder(reference):
    return make_user(Role.TOWNSHIP, region_id=ZIYANG_TOWN, display_name="大码头街道巡查员")
