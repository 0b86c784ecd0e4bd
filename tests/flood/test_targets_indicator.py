"""A flood response reaches the targets' response-time indicators through the accidents
service: its times come from the response and its relief deliveries, and the indicator
changes when they change."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safeloop.accidents.models import EmergencyResponse
from safeloop.core.regions import year_start
from safeloop.flood.services import alert_start, alert_times, relief_record, relief_update
from safeloop.targets.figures import period_figures
from safeloop.targets.indicators import relief_within_10h_share, response_within_2h_share


def _at(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def _figures(user):
    year = timezone.localdate().year
    return period_figures(user, year_start(year), year_start(year + 1))["430902"]


def test_response_time_indicator_follows_the_response_record(ziyang_user, city_user):
    reported = timezone.localtime() - timedelta(hours=20)
    if reported.year != timezone.localdate().year:  # the first hours of a year: keep the period
        reported = timezone.localtime().replace(hour=0, minute=1)
    alert = alert_start(
        actor=ziyang_user,
        data={
            "kind": "response",
            "level": "IV",
            "region": "430902",
            "title": "资阳区防汛Ⅳ级应急响应",
            "document_no": "资防指〔2026〕3号",
            "document": "启动Ⅳ级应急响应。",
            "reported_at": reported.strftime("%Y-%m-%dT%H:%M"),
            "started_at": (reported + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    record = EmergencyResponse.objects.get(pk=alert.response_id)
    assert record.response_started_at - record.reported_at == timedelta(hours=1)
    assert response_within_2h_share(_figures(city_user)) == 100

    # The start corrected to three hours after the report: the share drops.
    alert_times(
        actor=ziyang_user,
        alert_id=alert.pk,
        data={"started_at": (reported + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert response_within_2h_share(_figures(city_user)) == 0

    # Relief: counted once a delivery is recorded; within 10 hours only when handed out in time.
    assert relief_within_10h_share(_figures(city_user)) is None
    relief = relief_record(
        actor=ziyang_user,
        alert_id=alert.pk,
        data={
            "region": "430902005",
            "items": "帐篷 20 顶",
            "arrived_at": (reported + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert relief_within_10h_share(_figures(city_user)) == 0
    relief_update(
        actor=ziyang_user,
        relief_id=relief.pk,
        data={"distributed_at": (reported + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert relief_within_10h_share(_figures(city_user)) == 100
    relief_update(
        actor=ziyang_user,
        relief_id=relief.pk,
        data={"distributed_at": (reported + timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert relief_within_10h_share(_figures(city_user)) == 0
