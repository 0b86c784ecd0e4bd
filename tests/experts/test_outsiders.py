"""Expert pages tried by outsiders: another county's planner, another expert, an enterprise.
Objects out of scope are 404 (never 403); lists show none of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safeloop.accounts.models import Role
from safeloop.experts.models import Certificate, Expert, MatchingRun, Specialty, Visit
from safeloop.experts.services import matching_run, stationing_start
from tests.conftest import make_user

# Each experts route, checked here (tests/test_outsiders.py requires every route be declared).
EXPERT_ROUTES = {
    "experts:pool",
    "experts:pool_export",
    "experts:pool_import",
    "experts:pool_template",
    "experts:expert_new",
    "experts:expert",
    "experts:expert_edit",
    "experts:conflict_new",
    "experts:matching",
    "experts:run",
    "experts:run_change",
    "experts:run_apply",
    "experts:run_export",
    "experts:stationings",
    "experts:stationing_new",
    "experts:stationing",
    "experts:stationing_end",
    "experts:visits",
    "experts:visit_new",
    "experts:visit",
}


@pytest.fixture
def ziyang_things(ziyang_enterprise, ziyang_user):
    """A 资阳 planner's run, a stationing and a visit at a 资阳 enterprise, by a pool expert."""
    ziyang_enterprise.lat, ziyang_enterprise.lng = "28.6", "112.3"
    ziyang_enterprise.save()
    user = make_user(Role.EXPERT)
    expert = Expert.objects.create(name="资阳专家", home_lat="28.6", home_lng="112.3", user=user)
    Specialty.objects.create(expert=expert, category_id=ziyang_enterprise.category_id)
    Certificate.objects.create(expert=expert, name="聘书", expires_on=timezone.localdate() + timedelta(days=900))
    matching_run(actor=ziyang_user, filters={})
    run = MatchingRun.objects.get()
    stationing = stationing_start(actor=ziyang_user, expert_id=expert.pk, enterprise_id=ziyang_enterprise.pk)
    visit = Visit.objects.create(expert=expert, enterprise=ziyang_enterprise, on=timezone.localdate(), purpose="帮扶")
    return {"run": run, "row": run.rows.get(), "stationing": stationing, "visit": visit, "expert": user}


def _object_urls(things):
    run = things["run"]
    return [
        ("get", reverse("experts:run", args=[run.pk])),
        ("get", reverse("experts:run_export", args=[run.pk])),
        ("post", reverse("experts:run_change", args=[run.pk, things["row"].pk])),
        ("post", reverse("experts:run_apply", args=[run.pk])),
        ("get", reverse("experts:stationing", args=[things["stationing"].pk])),
        ("post", reverse("experts:stationing_end", args=[things["stationing"].pk])),
        ("get", reverse("experts:visit", args=[things["visit"].pk])),
    ]


def test_another_countys_planner_gets_404_for_each_object(login, heshan_user, ziyang_things):
    client = login(heshan_user)
    for method, url in _object_urls(ziyang_things):
        assert getattr(client, method)(url).status_code == 404, url


def test_the_city_sees_its_countys_run(login, city_user, ziyang_things):
    assert login(city_user).get(reverse("experts:run", args=[ziyang_things["run"].pk])).status_code == 200


def test_another_countys_lists_leak_nothing(login, heshan_user, ziyang_things):
    client = login(heshan_user)
    for name in ("experts:stationings", "experts:visits", "experts:matching"):
        html = client.get(reverse(name)).content.decode()
        assert "资阳安达化工有限公司" not in html and ziyang_things["stationing"].code not in html, name


def test_another_expert_gets_404_for_the_visit_and_the_stationing(login, ziyang_things):
    other = make_user(Role.EXPERT)
    Expert.objects.create(name="别的专家", home_lat="28", home_lng="112", user=other)
    client = login(other)
    assert client.get(reverse("experts:visit", args=[ziyang_things["visit"].pk])).status_code == 404
    assert client.get(reverse("experts:stationing", args=[ziyang_things["stationing"].pk])).status_code == 404
    assert (
        client.post(reverse("experts:visit", args=[ziyang_things["visit"].pk]), {"form": "record"}).status_code == 404
    )
    assert "资阳安达化工有限公司" not in client.get(reverse("experts:visits")).content.decode()


def test_the_expert_sees_their_own(login, ziyang_things):
    client = login(ziyang_things["expert"])
    assert client.get(reverse("experts:visit", args=[ziyang_things["visit"].pk])).status_code == 200
    assert "资阳安达化工有限公司" in client.get(reverse("experts:visits")).content.decode()


def test_another_enterprise_gets_404_for_the_visit(login, ziyang_things):
    from tests.conftest import make_enterprise

    other = make_user(Role.ENTERPRISE, enterprise=make_enterprise())
    client = login(other)
    assert client.get(reverse("experts:visit", args=[ziyang_things["visit"].pk])).status_code == 404
    assert "资阳专家" not in client.get(reverse("experts:visits")).content.decode()


@pytest.mark.parametrize(
    "name",
    ["experts:pool", "experts:pool_export", "experts:pool_import", "experts:matching", "experts:expert_new"],
)
def test_an_enterprise_or_expert_may_not_open_the_pool_pages(login, enterprise_user, name):
    assert login(enterprise_user).get(reverse(name)).status_code == 403


def test_a_township_sees_the_pool_but_does_not_plan(login, township_user):
    client = login(township_user)
    assert client.get(reverse("experts:pool")).status_code == 200
    assert client.get(reverse("experts:matching")).status_code == 403


def test_an_outsider_cannot_pick_another_countys_enterprise_for_a_stationing(login, heshan_user, ziyang_things):
    expert = Expert.objects.get(user=ziyang_things["expert"])
    data = {"expert": expert.pk, "enterprise": ziyang_things["stationing"].enterprise_id}
    response = login(heshan_user).post(reverse("experts:stationing_new"), data)
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
