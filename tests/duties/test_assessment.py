"""The assessment: one county's score recomputed by hand from the rows, the veto, the ranking,
the drill-down counts, scope, and a closed assessment that no later data change moves."""

from __future__ import annotations

import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.core.seals import sealed_bytes, verify_seals
from safeloop.duties.models import ManualScore, Task
from safeloop.duties.scoring import compute
from safeloop.duties.selectors import assessment_summary, key_projects_summary, scheme_scores
from safeloop.duties.services import scheme_close
from safeloop.hazards.models import Hazard
from safeloop.hazards.models import Status as H
from safeloop.registry.models import Enterprise
from safeloop.reporting.models import RewardMechanism

CENT = Decimal("0.01")


def _row(scores, unit):
    return next(s for s in scores if s.unit == unit.pk)


def test_one_county_score_recomputed_by_hand_from_the_rows(duty_city):
    """资阳区: every item from the rows themselves (not through the measures), with the rules
    of data/scheme.csv read from the scheme."""
    today = timezone.localdate()
    year = today.year
    ziyang = duty_city["units"]["430902"]
    items = {i.code: i for i in duty_city["scheme"].items.all()}
    hazards = [h for h in Hazard.objects.all() if h.enterprise.region_id.startswith("430902")]
    this_year = [h for h in hazards if h.found_on.year == year and h.status != H.WITHDRAWN]
    rectified = [h for h in this_year if h.status in (H.ACCEPTED, H.CLOSED, H.VERIFIED, H.RECURRED)]
    running = [h for h in hazards if h.status in (H.ASSIGNED, H.RECTIFYING)]
    overdue = [h for h in running if h.deadline and h.deadline < today]
    majors = [h for h in this_year if h.level == "major"]
    majors_done = [h for h in majors if h in rectified]
    enterprises = list(Enterprise.objects.filter(region__code__startswith="430902"))
    rewarded = RewardMechanism.objects.filter(enterprise__in=enterprises, established=True).count()
    due = [t for t in Task.objects.filter(lead_unit=ziyang) if t.due_on <= today]
    on_time = [t for t in due if t.status == "done" and t.completed_on <= t.due_on]
    assert (
        len(this_year) == 2 and len(rectified) == 0 and len(overdue) == 1 and len(majors) == 1
    )  # the rows are as set up

    def rate(n, d, item):
        if not d:
            return Decimal(item.weight)
        target = Decimal(str(item.params["target"]))
        return Decimal(item.weight) * min(Decimal(1), Decimal(n) / Decimal(d) / target)

    expected = {
        "veto": Decimal(0),
        "accidents": Decimal(items["accidents"].weight),  # no 较大 accident in 资阳区
        "rectification": rate(len(rectified), len(this_year), items["rectification"]),
        "overdue": Decimal(items["overdue"].weight)
        * max(
            Decimal(0),
            1 - Decimal(len(overdue)) / Decimal(len(running)) / Decimal(str(items["overdue"].params["limit"])),
        ),
        "major_cleared": rate(len(majors_done), len(majors), items["major_cleared"]),
        "inspection": Decimal(items["inspection"].weight),  # no plan: nothing owed
        "reward": rate(rewarded, len(enterprises), items["reward"]),
        "tasks": rate(len(on_time), len(due), items["tasks"]),
        "campaigns": Decimal(items["campaigns"].weight),
        "review": ManualScore.objects.get(unit=ziyang).score,
    }
    expected = {k: Decimal(v).quantize(CENT, ROUND_HALF_UP) for k, v in expected.items()}
    row = _row(compute(duty_city["scheme"]), ziyang)
    assert {i.code: i.score for i in row.items} == expected
    assert row.score == sum(expected.values())
    assert not row.vetoed
    assert row.score < 100  # the overdue hazard and the late task cost points


def test_a_major_accident_vetoes_the_county_and_ranks_it_last(duty_city):
    scores = compute(duty_city["scheme"])
    counties = [s for s in scores if s.kind == "county"]
    anhua = _row(scores, duty_city["units"]["430923"])
    assert anhua.vetoed and [s.name for s in counties if s.vetoed] == [anhua.name]
    assert counties[-1].unit == anhua.unit and anhua.rank == len(counties)
    assert [s.rank for s in counties] == list(range(1, len(counties) + 1))
    not_vetoed = [s.score for s in counties if not s.vetoed]
    assert not_vetoed == sorted(not_vetoed, reverse=True)
    departments = [s for s in scores if s.kind == "department"]
    assert departments and all(d.region == "" for d in departments)


def test_every_figure_drills_down_to_as_many_rows(duty_city, login):
    client = login(duty_city["city"])
    ziyang = duty_city["units"]["430902"]
    row = _row(compute(duty_city["scheme"]), ziyang)
    checked = 0
    for item in row.items:
        if not item.measure:
            continue
        for part, n in (("num", item.num), ("den", item.den)):
            if n is None:
                continue
            page = client.get(reverse("duties:drill", args=[timezone.localdate().year, ziyang.pk, item.measure, part]))
            assert page.status_code == 200
            assert page.context["count"] == n, (item.code, part)
            checked += 1
    assert checked >= 10


def test_a_county_sees_only_its_own_row_and_no_other_county_rows(duty_city, login):
    client = login(duty_city["heshan"])
    year = timezone.localdate().year
    page = client.get(reverse("duties:assessment", args=[year]))
    names = [r.name for r in page.context["counties"]]
    assert names == [duty_city["units"]["430903"].name]
    ziyang = duty_city["units"]["430902"]
    assert client.get(reverse("duties:assessment_unit", args=[year, ziyang.pk])).status_code == 404
    assert client.get(reverse("duties:drill", args=[year, ziyang.pk, "overdue_rate", "num"])).status_code == 404
    assert [r["unit"] for r in assessment_summary(duty_city["heshan"], year)] == [duty_city["units"]["430903"].pk]


def test_closed_assessment_does_not_move_and_its_hash_verifies(duty_city, django_capture_on_commit_callbacks):
    scheme = duty_city["scheme"]
    before = {s.unit: s.score for s in compute(scheme)}
    closed = scheme_close(actor=duty_city["city"], scheme=scheme)
    ziyang = duty_city["units"]["430902"]
    # the data change afterwards: the overdue hazard is withdrawn, the late task done, a new mechanism
    Hazard.objects.filter(enterprise__region__code__startswith="430902").update(status=H.WITHDRAWN)
    Task.objects.filter(lead_unit=ziyang).update(status="done", completed_on=timezone.localdate())
    live = {s.unit: s.score for s in compute(closed)}
    assert live[ziyang.pk] != before[ziyang.pk]  # the live figures did move
    frozen = {s.unit: s.score for s in scheme_scores(closed)}
    assert frozen == before
    content = sealed_bytes(closed.sealed)
    assert hashlib.sha256(content).hexdigest() == closed.sealed.sha256
    assert json.loads(content)["year"] == scheme.year
    assert list(verify_seals()) == []
    from safeloop.core.errors import Conflict
    from safeloop.duties.services import manual_score_set

    with pytest.raises(Conflict):
        manual_score_set(
            actor=duty_city["city"],
            scheme=closed,
            item_code="review",
            unit_id=ziyang.pk,
            data={"score": "5", "reason": "x", "evidence": "y"},
        )
    with pytest.raises(Conflict):
        scheme_close(actor=duty_city["city"], scheme=closed)


def test_briefing_summaries_have_the_agreed_keys(duty_city):
    year = timezone.localdate().year
    ranked = assessment_summary(duty_city["city"], year)
    assert ranked and set(ranked[0]) == {"rank", "unit", "name", "region", "kind", "score", "vetoed", "url"}
    assert isinstance(ranked[0]["score"], Decimal)
    projects = key_projects_summary(duty_city["city"], year)
    assert [p["name"] for p in projects] == ["新建资阳区消防站"]
    p = projects[0]
    assert set(p) == {"name", "lead_unit", "budget", "planned_pct", "progress_pct", "behind", "status_label", "url"}
    assert p["budget"] == Decimal("32000000") and p["planned_pct"] == 30 and p["progress_pct"] == 0 and p["behind"]
    assert key_projects_summary(duty_city["heshan"], year) == []
