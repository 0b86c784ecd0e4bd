"""Fixtures: the 资阳区 emergency bureau with two certified officers and one without."""

from __future__ import annotations

import pytest

from safeloop.accounts.models import Role
from safeloop.registry.models import Department, OfficerCertificate
from tests.api.test_api import api  # noqa: F401 - the fixture, for this folder
from tests.conftest import make_user


@pytest.fixture
def ziyang_body(reference) -> Department:
    return Department.objects.get(region_id="430902", kind="emergency")


@pytest.fixture
def officers(ziyang_body):
    made = []
    for n in range(2):
        user = make_user(Role.DEPARTMENT, department=ziyang_body, display_name=f"执法员{n}")
        OfficerCertificate.objects.create(user=user, certificate_no=f"43090200{n}")
        made.append(user)
    return made


@pytest.fixture
def uncertified(ziyang_body):
    return make_user(Role.DEPARTMENT, department=ziyang_body, display_name="无证员")


@pytest.fixture
def heshan_officer(reference):
    body = Department.objects.get(region_id="430903", kind="emergency")
    user = make_user(Role.DEPARTMENT, department=body, display_name="赫山执法员")
    OfficerCertificate.objects.create(user=user, certificate_no="430903001")
    return user
