"""While a warning or response is active the patrol interval of its level (data/levels.csv)
applies: a risk point not patrolled within it is overdue, on the flood page and on the board's
layer; a patrol clears it, and an ended warning no longer counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from safeloop.core.maplayers import get_layer
from safeloop.flood.reference import levels
from safeloop.flood.selectors import overdue_patrols
from safeloop.flood.services import alert_end, alert_start, patrol_record

START = datetime(2026, 7, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_overdue_patrols_follow_the_active_level(client, login, point, ziyang_user, township_user, heshan_user):
    hours = levels()[("warning", "red")].patrol_hours
    with time_machine.travel(START, tick=False) as clock:
        warning = alert_start(
            actor=ziyang_user,
            data={
                "kind": "warning",
                "level": "red",
                "region": "430902",
                "title": "资阳区防汛红色预警",
                "document_no": "资防指〔2026〕7号",
                "document": "发布红色预警。",
                "started_at": START.isoformat(),
            },
        )
        clock.shift(timedelta(hours=hours - 0.5))
        assert overdue_patrols(ziyang_user) == []
        clock.shift(timedelta(hours=1))
        overdue = overdue_patrols(ziyang_user)
        assert [o.point.pk for o in overdue] == [point.pk]
        assert overdue_patrols(heshan_user) == []

        login(ziyang_user)
        page = client.get(reverse("flood:index")).content.decode()
        assert "资阳区防汛红色预警" in page and point.name in page
        layer = get_layer("flood-overdue")
        assert [f["properties"]["state"] for f in layer.features(ziyang_user, "430902")] == ["overdue_patrol"]
        assert layer.features(heshan_user, "430903") == []
        assert len(get_layer("flood-risk-points").features(ziyang_user, "430902")) == 1

        patrol_record(
            actor=township_user,
            data={
                "risk_point": point.pk,
                "patrolled_at": START.replace(hour=9).isoformat(),
                "lat": str(point.lat),
                "lng": str(point.lng),
                "finding": "none",
            },
        )
        clock.shift(timedelta(minutes=1))
        patrol_record(
            actor=township_user,
            data={
                "risk_point": point.pk,
                "patrolled_at": (START + timedelta(hours=hours + 0.5)).isoformat(),
                "lat": str(point.lat),
                "lng": str(point.lng),
                "finding": "none",
            },
        )
        assert overdue_patrols(ziyang_user) == []
        clock.shift(timedelta(hours=hours + 1))
        assert len(overdue_patrols(ziyang_user)) == 1
        alert_end(
            actor=ziyang_user,
            alert_id=warning.pk,
            data={
                "ended_at": (START + timedelta(hours=2 * hours + 1)).isoformat(),
                "end_document_no": "资防指〔2026〕8号",
                "end_document": "解除。",
            },
        )
        assert overdue_patrols(ziyang_user) == []
