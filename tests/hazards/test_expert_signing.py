"""The sign rule the experts app gives the hazard workflow: specialty, certificate, conflict (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safeloop.accounts.models import Role
from safeloop.core.errors import Conflict as ConflictError
from safeloop.core.errors import Forbidden
from safeloop.experts.models import Certificate, Conflict, Expert, Specialty, StationingStatus
from safeloop.experts.services import expert_assign, stationing_end, stationing_start
from tests.conftest import make_user


@pytest.fixture
def other_expert(ziyang_enterprise):
    user = make_user(Role.EXPERT, display_name="建筑专家")
    expert_assign(expert=user, enterprise_ids=[ziyang_enterprise.pk], categories=["construction"])
    return user


def test_an_expert_outside_the_category_cannot_sign(major_regulator_found, other_expert):
    with pytest.raises(Forbidden, match="不在您的专业范围内"):
        major_regulator_found.act(other_expert, "sign", stage="confirmation")


def test_an_expired_certificate_refuses(major_regulator_found, expert):
    Certificate.objects.filter(expert__user=expert).update(expires_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(Forbidden, match="证书已过期"):
        major_regulator_found.act(expert, "sign", stage="confirmation")


def test_a_recorded_conflict_refuses(major_regulator_found, expert, ziyang_enterprise):
    Conflict.objects.create(expert=Expert.objects.get(user=expert), enterprise=ziyang_enterprise, kind="employer")
    with pytest.raises(Forbidden, match="回避关系"):
        major_regulator_found.act(expert, "sign", stage="confirmation")


def test_within_the_specialty_the_expert_signs(major_regulator_found, expert):
    Specialty.objects.filter(expert__user=expert).exclude(
        category_id=major_regulator_found.hazard.enterprise.category_id
    ).delete()
    hazard = major_regulator_found.act(expert, "sign", stage="confirmation")
    event = hazard.events.order_by("-seq").first()
    assert (event.action, event.actor_id, event.payload["party"]) == ("sign", expert.pk, "expert")


def test_a_stationed_expert_stays_while_the_major_hazard_is_open(major_regulator_found, expert, city_user, ziyang_user):
    profile = Expert.objects.get(user=expert)
    enterprise = major_regulator_found.hazard.enterprise
    stationing = stationing_start(actor=city_user, expert_id=profile.pk, enterprise_id=enterprise.pk)
    assert list(stationing.hazards.all()) == [major_regulator_found.hazard]
    with pytest.raises(ConflictError, match="整改不到位、专家不撤离"):
        stationing_end(actor=city_user, pk=stationing.pk, version=stationing.version)
    with pytest.raises(Forbidden):  # a township may not override
        stationing_end(actor=ziyang_user, pk=stationing.pk, version=stationing.version, data={"reason": "人手不足"})
    ended = stationing_end(
        actor=city_user, pk=stationing.pk, version=stationing.version, data={"reason": "专家病休，另行派驻"}
    )
    assert ended.status == StationingStatus.ENDED and ended.override_reason == "专家病休，另行派驻"
    assert [e.action for e in ended.events.order_by("seq")] == ["start", "end"]
    assert ended.events.order_by("seq").last().payload["override"] is True
