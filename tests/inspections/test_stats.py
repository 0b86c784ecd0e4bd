"""Statistics: year on year computed from data with its definition; coverage gaps; 监管空白."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from safeloop.inspections.models import Inspection, Status
from safeloop.inspections.selectors import statistics
from safeloop.inspections.services import inspection_create
from tests.conftest import ZIYANG_TOWN, make_enterprise, signed_in


def _on(officers, body, enterprise, day, reason=""):
    data = {"enterprise": enterprise.pk, "enforcement_body": body.pk, "officers": [u.pk for u in officers]}
    return inspection_create(actor=officers[0], data=data | {"planned_on": day.isoformat(), "over_cap_reason": reason})


def test_year_on_year_from_data(officers, ziyang_body, ziyang_enterprise, ziyang_user):
    other = make_enterprise(region=ZIYANG_TOWN, category="hazchem", risk_level="red")
    today = date(2026, 6, 30)
    for day in (date(2025, 3, 1), date(2025, 5, 1)):
        _on(officers, ziyang_body, ziyang_enterprise, day)
    _on(officers, ziyang_body, other, date(2025, 4, 1))
    _on(officers, ziyang_body, other, date(2025, 8, 1), reason="follow_up")  # after the period: not counted
    _on(officers, ziyang_body, ziyang_enterprise, date(2026, 2, 1))
    cancelled = _on(officers, ziyang_body, other, date(2026, 3, 1))
    Inspection.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED)
    s = statistics(ziyang_user, 2026, today=today)
    assert (s["inspections"], s["inspections_before"]) == (1, 3)
    assert s["inspections_change"] == -66.67
    assert (s["enterprises"], s["enterprises_before"], s["enterprises_change"]) == (1, 2, -50.0)
    gaps = {g["risk_level"]: g["enterprises"] for g in statistics(ziyang_user, 2026, months=3, today=today)["gaps"]}
    assert gaps.get("红（重大风险）") == 1  # `other` last inspected in 2025


def test_the_page_states_the_definition(client, officers, ziyang_body, ziyang_enterprise, enterprise_user):
    _on(officers, ziyang_body, ziyang_enterprise, timezone.localdate())
    signed_in(client, officers[0])
    page = client.get("/inspections/stats/")
    assert page.status_code == 200 and "上年同期" in page.content.decode() and "口径" in page.content.decode()
    assert client.get("/inspections/stats/?year=abc").status_code == 200
    signed_in(client, enterprise_user)
    assert client.get("/inspections/stats/").status_code == 403
