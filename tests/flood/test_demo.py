"""The demo city's flood season: risk points along the 资水 and in the lake districts with their
responsible persons, depots (some short), a past response that reached the accidents records,
and the two patrolling township accounts listed by `demo_accounts`."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from safeloop.accidents.models import EmergencyResponse
from safeloop.accounts.models import Role
from safeloop.demo.flood import FLOOD_USERNAMES, seed_flood
from safeloop.flood.models import Alert, RiskPoint
from safeloop.flood.selectors import shortfalls
from tests.conftest import PASSWORD, make_user


def test_the_demo_season(reference):
    city = make_user(Role.CITY, username="city_admin", region_id="430900")
    assert seed_flood(seed=1, progress=lambda line: None, password=PASSWORD) == list(FLOOD_USERNAMES)
    points = RiskPoint.objects.all()
    assert {p.region_id[:6] for p in points} == {"430902", "430903", "430921", "430971", "430981"}
    assert all(p.admin_person and p.tech_phone and p.patrol_person for p in points)
    assert all(p.region_id.startswith("4309") for p in points)
    response = Alert.objects.get(kind="response")
    record = EmergencyResponse.objects.get(pk=response.response_id)
    assert record.relief_distributed_at is not None and record.response_started_at == response.started_at
    assert shortfalls(city)
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    assert "township_shatou" in out.getvalue() and "township_caowei" in out.getvalue()
