"""Who accepts the rectification of a self-found general hazard is decided as it is submitted
and recorded on the hazard: another account of the enterprise when it has one (never the
fixer), else the township (属地) or the supervising department (SAFELOOP_SELF_ACCEPT_FALLBACK).
The acceptor alone is offered the acceptance, and finds it on its to-do list."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from safeloop.accounts.models import Position, Role
from safeloop.accounts.services import enterprise_user_add
from safeloop.core.errors import Forbidden
from safeloop.hazards.models import Acceptor
from safeloop.hazards.selectors import todo
from safeloop.hazards.services import hazard_report
from safeloop.registry.models import Department
from safeloop.registry.selectors import supervising_department
from tests.conftest import make_user
from tests.hazards.conftest import Loop

TODAY = "2026-11-02 09:00 +0800"


@pytest.fixture
def sole(ziyang_enterprise):
    """The enterprise's only account: it finds, fixes and may not accept its own work."""
    return make_user(
        Role.ENTERPRISE, enterprise=ziyang_enterprise, display_name="独人厂长", position=Position.PRINCIPAL
    )


@pytest.fixture
def department_user(reference):
    return make_user(Role.DEPARTMENT, department=Department.objects.get(region_id="430902", kind="emergency"))


def submitted_by(fixer, assigner=None) -> Loop:
    loop = Loop(hazard_report(actor=fixer, data={"source": "self_check", "description": "配电箱未接地"}))
    assigner = assigner or fixer
    loop.act(assigner, "confirm")
    loop.act(assigner, "assign", responsible_unit="车间", responsible_person="王", deadline_days=5)
    loop.act(fixer, "start")
    loop.act(fixer, "submit_rectification", note="已接地", attachments=[loop.upload(fixer)])
    return loop


def acceptor(loop: Loop) -> tuple[str, str]:
    loop.hazard.refresh_from_db()
    return loop.hazard.acceptor, loop.hazard.acceptor_name


@time_machine.travel(TODAY, tick=False)
def test_a_one_account_enterprise_is_accepted_by_its_township(sole, township_user, ziyang_user, department_user, login):
    loop = submitted_by(sole)
    assert acceptor(loop) == (Acceptor.TOWNSHIP, "大码头街道")
    assert list(todo(township_user)) == [loop.hazard]
    assert list(todo(ziyang_user)) == [] and list(todo(department_user)) == [] and list(todo(sole)) == []
    for outsider in (ziyang_user, department_user, sole):
        with pytest.raises(Forbidden):
            loop.act(outsider, "accept", opinion="合格")
    page = login(sole).get(reverse("hazards:detail", args=[loop.hazard.pk])).content.decode()
    assert "由大码头街道验收" in page
    loop.act(township_user, "accept", opinion="复查合格")
    assert loop.act(sole, "close").status == "closed"  # the enterprise closes its self-found hazard


@time_machine.travel(TODAY, tick=False)
def test_the_fallback_may_be_the_supervising_department(
    settings, sole, township_user, department_user, ziyang_enterprise
):
    settings.SAFELOOP_SELF_ACCEPT_FALLBACK = "department"
    assert supervising_department(ziyang_enterprise) == department_user.department
    loop = submitted_by(sole)
    assert acceptor(loop) == (Acceptor.DEPARTMENT, department_user.department.name)
    assert loop.hazard.acceptor_department == department_user.department
    assert list(todo(department_user)) == [loop.hazard] and list(todo(township_user)) == []
    other = make_user(Role.DEPARTMENT, department=Department.objects.get(region_id="430900", kind="emergency"))
    assert list(todo(other)) == []  # the city's department is not the one recorded
    with pytest.raises(Forbidden):
        loop.act(township_user, "reject", reason="不合格")
    assert loop.act(department_user, "reject", reason="接地电阻不合格").status == "rectifying"


@time_machine.travel(TODAY, tick=False)
def test_with_a_second_account_the_other_account_accepts(boss, worker, township_user, ziyang_enterprise):
    loop = submitted_by(worker, assigner=boss)
    assert acceptor(loop) == (Acceptor.ENTERPRISE, ziyang_enterprise.name)
    assert list(todo(boss)) == [loop.hazard] and list(todo(township_user)) == [] and list(todo(worker)) == []
    with pytest.raises(Forbidden):
        loop.act(township_user, "accept", opinion="合格")
    assert loop.act(boss, "accept", opinion="合格").status == "accepted"


@time_machine.travel(TODAY, tick=False)
def test_without_a_township_account_the_department_accepts(sole, department_user):
    loop = submitted_by(sole)
    assert acceptor(loop)[0] == Acceptor.DEPARTMENT


@time_machine.travel(TODAY, tick=False)
def test_without_any_fallback_account_the_regulators_accept(sole, ziyang_user):
    loop = submitted_by(sole)
    assert acceptor(loop) == (Acceptor.REGULATOR, "监管部门")
    assert list(todo(ziyang_user)) == [loop.hazard]
    assert loop.act(ziyang_user, "accept", opinion="合格").status == "accepted"


@time_machine.travel(TODAY, tick=False)
def test_a_self_found_hazard_the_county_assigned_is_accepted_by_the_regulators(boss, worker, ziyang_user):
    loop = submitted_by(worker, assigner=ziyang_user)
    assert acceptor(loop)[0] == Acceptor.REGULATOR
    with pytest.raises(Forbidden):
        loop.act(boss, "accept", opinion="合格")
    assert loop.act(ziyang_user, "accept", opinion="合格").status == "accepted"


@time_machine.travel(TODAY, tick=False)
def test_the_acceptor_is_decided_again_at_each_submission(sole, township_user):
    loop = submitted_by(sole)
    loop.act(township_user, "reject", reason="接地不牢")
    enterprise_user_add(
        actor=sole, data={"username": "an_quan", "display_name": "安全员", "position": "safety_manager"}
    )
    loop.act(sole, "submit_rectification", note="已重新接地", attachments=[loop.upload(sole)])
    assert acceptor(loop)[0] == Acceptor.ENTERPRISE
    events = loop.hazard.events.filter(action="submit_rectification").order_by("seq")
    assert [e.payload["acceptor"] for e in events] == ["township", "enterprise"]


@time_machine.travel(TODAY, tick=False)
def test_an_unknown_fallback_setting_is_a_configuration_error(settings, sole):
    settings.SAFELOOP_SELF_ACCEPT_FALLBACK = "county"
    with pytest.raises(ImproperlyConfigured):
        submitted_by(sole)
