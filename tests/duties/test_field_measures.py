"""The townships' 打非治违 and 巡堤查险 duty items are measured from the enforcement and flood rows:
a clue recorded and a patrol made in a township count in its figures (and its county's), and the
drill-down lists exactly those rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safeloop.demo.duties import _units
from safeloop.duties.measures import drill_rows, unit_figures
from safeloop.duties.models import Unit
from safeloop.enforcement.services import clue_record
from safeloop.flood.services import patrol_record, risk_point_create
from tests.conftest import ZIYANG_TOWN
from tests.enforcement.conftest import PHONE_CLUE
from tests.flood.conftest import POINT

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(reference):
    _units()
    return {u.region_id: u for u in Unit.objects.filter(department__isnull=True)}


def test_clues_and_patrols_count_for_the_township_and_its_county(units, township_user, ziyang_user, heshan_user):
    year = timezone.localdate().year
    clue_record(actor=township_user, data=PHONE_CLUE)
    point = risk_point_create(actor=ziyang_user, data=POINT)
    at = (timezone.localtime() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    for _ in range(2):
        patrol_record(
            actor=township_user,
            data={"risk_point": point.pk, "patrolled_at": at, "lat": POINT["lat"], "lng": POINT["lng"]},
        )
    town, county, other = units[ZIYANG_TOWN], units["430902"], units["430903"]
    figures = unit_figures([town, county, other], year, only={"illegal_clues", "flood_patrols"})
    assert (figures[town.pk]["illegal_clues"].num, figures[town.pk]["flood_patrols"].num) == (1, 2)
    assert (figures[county.pk]["illegal_clues"].num, figures[county.pk]["flood_patrols"].num) == (1, 2)
    assert (figures[other.pk]["illegal_clues"].num, figures[other.pk]["flood_patrols"].num) == (0, 0)
    assert drill_rows(ziyang_user, town, "flood_patrols", "num", year).rows.count() == 2
    assert drill_rows(ziyang_user, town, "illegal_clues", "num", year).rows.count() == 1
    assert drill_rows(heshan_user, town, "flood_patrols", "num", year).rows.count() == 0  # out of its scope
