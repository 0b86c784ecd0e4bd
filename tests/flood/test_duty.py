"""The duty page: a unit's 24-hour roster for a day (a second entry replaces it), the duty log
with its hand-over note; drought figures by township and date; a bad value names its field."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeloop.flood.models import DroughtReport, DutyLog, DutyShift
from tests.conftest import ZIYANG_TOWN


def test_roster_log_and_drought(client, login, ziyang_user, heshan_user):
    client = login(ziyang_user)
    today = timezone.localdate().isoformat()
    shift = {
        "form": "shift",
        "region": "430902",
        "on_date": today,
        "leader": "刘明",
        "leader_phone": "13900000011",
        "staff": "陈静、杨帆",
        "staff_phone": "0737-4222222",
    }
    assert client.post(reverse("flood:duty"), shift).status_code == 302
    assert client.post(reverse("flood:duty"), {**shift, "leader": "黄涛"}).status_code == 302
    assert DutyShift.objects.get().leader == "黄涛"
    log = {
        "form": "log",
        "region": "430902",
        "on_date": today,
        "content": "资水水位 34.2 米，平稳",
        "handover": "关注夜间降雨",
    }
    assert client.post(reverse("flood:duty"), log).status_code == 302
    page = client.get(reverse("flood:duty")).content.decode()
    assert "黄涛" in page and "关注夜间降雨" in page
    assert "黄涛" not in login(heshan_user).get(reverse("flood:duty")).content.decode()

    client = login(ziyang_user)
    bad = client.post(
        reverse("flood:drought"),
        {"region": ZIYANG_TOWN, "on_date": today, "affected_area": "-3", "people_short_of_water": "120"},
    )
    assert bad.status_code == 400 and "受旱面积" in bad.content.decode()
    assert not DroughtReport.objects.exists()
    good = client.post(
        reverse("flood:drought"),
        {
            "region": ZIYANG_TOWN,
            "on_date": today,
            "affected_area": "1200",
            "people_short_of_water": "120",
            "measures": "送水",
        },
    )
    assert good.status_code == 302 and DroughtReport.objects.get().people_short_of_water == 120
    assert DutyLog.objects.get().author_id == ziyang_user.pk
