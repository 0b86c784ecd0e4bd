"""Refusals with a Chinese message naming the field, nothing saved: a risk point without a
responsible person, a patrol too far from its township, a response ended before it started."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safeloop.accidents.models import EmergencyResponse
from safeloop.core.errors import ValidationFailed
from safeloop.flood.models import Alert, Danger, Patrol, RiskPoint
from safeloop.flood.services import alert_end, alert_start, patrol_record, risk_point_create
from tests.flood.conftest import POINT


def _at(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("missing", ["admin_person", "tech_phone", "patrol_person"])
def test_risk_point_without_a_responsible_person_is_refused(ziyang_user, missing):
    with pytest.raises(ValidationFailed) as exc:
        risk_point_create(actor=ziyang_user, data={**POINT, missing: ""})
    assert missing in exc.value.fields
    assert "责任人" in exc.value.fields[missing]
    assert not RiskPoint.objects.exists()


def test_patrol_too_far_from_its_township_is_refused(point, township_user, settings):
    settings.SAFELOOP_FLOOD_PATROL_MAX_KM = 10
    far = {
        "risk_point": point.pk,
        "patrolled_at": _at(1),
        "lat": "29.100000",
        "lng": "112.320000",
        "finding": "seepage",
        "description": "背水坡渗水",
    }
    with pytest.raises(ValidationFailed) as exc:
        patrol_record(actor=township_user, data=far)
    assert "公里" in exc.value.fields["lat"] and "10" in exc.value.fields["lat"]
    assert not Patrol.objects.exists() and not Danger.objects.exists()
    # The distance is a setting: a larger one lets the same patrol through.
    settings.SAFELOOP_FLOOD_PATROL_MAX_KM = 80
    patrol = patrol_record(actor=township_user, data=far)
    assert patrol.distance_m > 50_000 and patrol.danger.finding == "seepage"


def test_patrol_near_its_township_opens_a_danger(point, township_user):
    patrol = patrol_record(
        actor=township_user,
        data={
            "risk_point": point.pk,
            "patrolled_at": _at(0.5),
            "lat": "28.601000",
            "lng": "112.321000",
            "finding": "piping",
            "description": "堤脚出现管涌",
        },
    )
    danger = patrol.danger
    assert danger.status == "reported" and danger.events.get().action == "report"
    assert danger.handle_due - danger.reported_at == timedelta(hours=2)


def _response(actor, **extra):
    data = {
        "kind": "response",
        "level": "IV",
        "region": "430902",
        "title": "资阳区防汛Ⅳ级应急响应",
        "document_no": "资防指〔2026〕1号",
        "document": "启动Ⅳ级应急响应。",
        "reported_at": _at(6),
        "started_at": _at(5),
    }
    return alert_start(actor=actor, data={**data, **extra})


def test_response_ended_before_it_started_is_refused(ziyang_user):
    alert = _response(ziyang_user)
    with pytest.raises(ValidationFailed) as exc:
        alert_end(
            actor=ziyang_user,
            alert_id=alert.pk,
            data={"ended_at": _at(7), "end_document_no": "资防指〔2026〕2号", "end_document": "终止。"},
        )
    assert exc.value.fields == {"ended_at": "结束时间不能早于启动时间"}
    alert.refresh_from_db()
    assert alert.status == "active" and alert.ended_at is None


def test_response_started_before_it_was_reported_is_refused(ziyang_user):
    with pytest.raises(ValidationFailed) as exc:
        _response(ziyang_user, reported_at=_at(2), started_at=_at(3))
    assert exc.value.fields == {"started_at": "启动时间不能早于接报时间"}
    assert not Alert.objects.exists() and not EmergencyResponse.objects.exists()


def test_level_must_belong_to_its_kind(ziyang_user):
    with pytest.raises(ValidationFailed) as exc:
        _response(ziyang_user, level="red")
    assert "level" in exc.value.fields


def test_a_patrol_captured_offline_keeps_the_phones_time_capped_at_the_arrival(point, township_user):
    data = {"risk_point": point.pk, "patrolled_at": _at(3), "lat": "28.600000", "lng": "112.320000"}
    phone = timezone.now() - timedelta(minutes=40)
    patrol = patrol_record(actor=township_user, data={**data, "captured_at": phone.isoformat()})
    assert abs((patrol.patrolled_at - phone).total_seconds()) < 1  # not the stale time on the kept page
    ahead = patrol_record(
        actor=township_user, data={**data, "captured_at": (timezone.now() + timedelta(hours=2)).isoformat()}
    )
    assert ahead.patrolled_at <= timezone.now()  # a phone clock ahead is capped at the arrival
