from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from safeloop.accidents.services import accident_create, accident_report
from safeloop.core.errors import Conflict, Forbidden
from tests.conftest import ZIYANG_TOWN


def _accident(user, sector="construction", **figures):
    data = {
        "title": "测试事故",
        "occurred_at": timezone.now() - timedelta(days=1),
        "region": ZIYANG_TOWN,
        "sector": sector,
    }
    return accident_create(actor=user, data={**data, **figures})


def test_grade_follows_the_casualty_reports(ziyang_user):
    accident = _accident(ziyang_user, deaths=2)
    assert accident.grade == "general"
    accident = accident_report(actor=ziyang_user, accident=accident, figures={"deaths": 3}, note="一人抢救无效")
    assert accident.grade == "larger"
    assert [r.grade for r in accident.reports.all()] == ["general", "larger"]


def test_casualties_cannot_change_after_the_seven_day_road_window(ziyang_user):
    accident = _accident(ziyang_user, sector="road_transport", deaths=1)
    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False), pytest.raises(Conflict):
        accident_report(actor=ziyang_user, accident=accident, figures={"deaths": 2})


def test_casualties_may_change_within_thirty_days_for_other_sectors(ziyang_user):
    accident = _accident(ziyang_user, deaths=1)
    with time_machine.travel(timezone.now() + timedelta(days=20), tick=False):
        assert accident_report(actor=ziyang_user, accident=accident, figures={"deaths": 2}).deaths == 2


def test_county_user_cannot_record_an_accident_in_another_county(heshan_user):
    from safeloop.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        _accident(heshan_user)


def test_enterprise_user_cannot_record_accidents(enterprise_user):
    with pytest.raises(Forbidden):
        _accident(enterprise_user)
