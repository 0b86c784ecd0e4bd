"""The enterprise's half of 专家+企业双签字 is given by its principal, or by the delegate the
principal has named on record, always in the signer's own name and position; the table alone
decides, so nobody else is offered the 签字 button and the API refuses them with 403."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from safeloop.accounts.models import Position
from safeloop.accounts.services import (
    enterprise_principal_handover,
    enterprise_user_disable,
    signing_delegation_name,
    signing_delegation_revoke,
)
from safeloop.core.errors import Forbidden
from safeloop.hazards.selectors import todo
from safeloop.hazards.workflow import available_actions
from tests.conftest import PASSWORD, make_user
from tests.hazards.test_api import api  # noqa: F401 - fixture

TODAY = "2026-11-02 09:00 +0800"


def offered(user, loop) -> set[str]:
    loop.hazard.refresh_from_db()
    return {t.action for t in available_actions(user, loop.hazard)}


@time_machine.travel(TODAY, tick=False)
def test_an_employee_sees_no_signature_button_and_is_refused_by_the_api(
    login,
    api,  # noqa: F811 - the fixture
    major_regulator_found,
    boss,
    worker,
):
    hazard = major_regulator_found.hazard
    assert "sign" not in offered(worker, major_regulator_found) and "sign" in offered(boss, major_regulator_found)
    page = login(worker).get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert reverse("hazards:act", args=[hazard.pk, "sign"]) not in page
    refused = api(worker).act(hazard.pk, "sign", stage="confirmation")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "企业签字须由本企业主要负责人或其授权的签字人本人进行"
    assert not hazard.events.filter(action="sign").exists()


@time_machine.travel(TODAY, tick=False)
def test_a_delegate_signs_in_their_own_name_and_position(major_regulator_found, boss, worker, expert, ziyang_user):
    worker.position = Position.SAFETY_MANAGER
    worker.save(update_fields=["position"])
    delegation = signing_delegation_name(actor=boss, data={"delegate": worker.pk})
    loop = major_regulator_found
    loop.act(expert, "sign", stage="confirmation")
    loop.act(worker, "sign", stage="confirmation", opinion="情况属实")
    event = loop.hazard.events.get(action="sign", payload__party="enterprise")
    assert (event.actor, event.actor_name) == (worker, "整改人")
    assert event.actor_name != str(boss)
    assert event.payload | {} == {
        "stage": "confirmation",
        "party": "enterprise",
        "opinion": "情况属实",
        "position": "safety_manager",
        "position_name": "安全管理员",
        "capacity": "delegate",
        "delegation": delegation.pk,
    }
    assert loop.act(ziyang_user, "confirm").status == "confirmed"  # both signatures are there


@time_machine.travel(TODAY, tick=False)
def test_the_principal_signs_as_the_principal(major_regulator_found, boss):
    major_regulator_found.act(boss, "sign", stage="confirmation")
    payload = major_regulator_found.hazard.events.get(action="sign").payload
    assert (payload["position_name"], payload["capacity"], payload["delegation"]) == ("主要负责人", "principal", None)


@time_machine.travel(TODAY, tick=False)
def test_a_revoked_delegate_cannot_sign(major_regulator_found, boss, worker):
    delegation = signing_delegation_name(actor=boss, data={"delegate": worker.pk})
    assert "sign" in offered(worker, major_regulator_found)
    signing_delegation_revoke(actor=boss, delegation_id=delegation.pk)
    assert "sign" not in offered(worker, major_regulator_found)
    with pytest.raises(Forbidden):
        major_regulator_found.act(worker, "sign", stage="confirmation")


def test_a_delegation_ends_after_its_last_day(major_regulator_found, boss, worker):
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        signing_delegation_name(actor=boss, data={"delegate": worker.pk, "valid_until": "2026-11-30"})
    with time_machine.travel("2026-11-30 18:00 +0800", tick=False):
        assert "sign" in offered(worker, major_regulator_found)
    with time_machine.travel("2026-12-01 08:00 +0800", tick=False):
        assert "sign" not in offered(worker, major_regulator_found)
        with pytest.raises(Forbidden):
            major_regulator_found.act(worker, "sign", stage="confirmation")


@time_machine.travel(TODAY, tick=False)
def test_a_delegation_ends_with_the_principal_who_named_it(major_regulator_found, boss, worker, ziyang_enterprise):
    successor = make_user("enterprise", enterprise=ziyang_enterprise, display_name="新厂长")
    signing_delegation_name(actor=boss, data={"delegate": worker.pk})
    enterprise_principal_handover(
        actor=boss, data={"successor": successor.pk, "own_position": "employee", "password": PASSWORD}
    )
    boss.refresh_from_db()
    successor.refresh_from_db()
    assert "sign" not in offered(worker, major_regulator_found) and "sign" not in offered(boss, major_regulator_found)
    assert "sign" in offered(successor, major_regulator_found)


@time_machine.travel(TODAY, tick=False)
def test_a_disabled_delegate_loses_the_delegation(major_regulator_found, boss, worker):
    signing_delegation_name(actor=boss, data={"delegate": worker.pk})
    enterprise_user_disable(actor=boss, user_id=worker.pk)
    worker.refresh_from_db()
    worker.is_active = True  # even if an administrator let it in again, the naming has ended
    assert "sign" not in offered(worker, major_regulator_found)


@time_machine.travel(TODAY, tick=False)
def test_only_who_may_sign_has_the_signature_on_the_to_do_list(major_regulator_found, boss, worker, ziyang_enterprise):
    employee = make_user("enterprise", enterprise=ziyang_enterprise, display_name="员工")
    signing_delegation_name(actor=boss, data={"delegate": worker.pk})
    hazard = major_regulator_found.hazard
    assert hazard in todo(boss) and hazard in todo(worker)
    assert hazard not in todo(employee)
