"""The experts API: matching shape, pool, stationings; outsiders get 404 / nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from safeloop.experts.models import Certificate, Expert, Specialty
from tests.api.test_api import api  # noqa: F401 - the fixture


@pytest.fixture
def pool(heshan_enterprise, ziyang_enterprise):
    near = Expert.objects.create(name="王工", home_lat="28.60", home_lng="112.33", capacity=1)
    Specialty.objects.create(expert=near, category_id=heshan_enterprise.category_id)
    Certificate.objects.create(expert=near, name="证", expires_on="2099-01-01")
    return near


def test_matching_returns_the_documented_shape(api, city_user, pool, heshan_enterprise):  # noqa: F811
    heshan_enterprise.lat, heshan_enterprise.lng = "28.55", "112.35"
    heshan_enterprise.save()
    body = api.auth(city_user).call("post", "/expert-matching", {"enterprises": [heshan_enterprise.pk]}).json()
    assert set(body) == {"assignments", "unmatched", "cost"}
    [row] = body["assignments"]
    assert {"expert", "enterprise", "distance_km", "specialty"} <= set(row)
    assert row["expert"] == pool.pk and row["enterprise"] == heshan_enterprise.pk and row["distance_km"] > 0


def test_an_enterprise_account_sees_no_pool_and_no_expert(api, enterprise_user, pool):  # noqa: F811
    api.auth(enterprise_user)
    assert api.call("get", "/experts").json()["count"] == 0
    assert api.call("get", f"/experts/{pool.pk}").status_code == 404
    assert api.call("post", "/expert-matching", {}).status_code == 403


def test_create_and_patch_an_expert_with_a_stale_version(api, city_user):  # noqa: F811
    api.auth(city_user)
    created = api.call(
        "post",
        "/experts",
        {"name": "李工", "home_lat": "28.5", "home_lng": "112.3", "specialties": "危险化学品（高级）"},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = api.call("post", "/experts", {"name": "赵工", "home_lat": "28.5", "home_lng": "112.3", "specialties": "火星"})
    assert bad.status_code == 400 and "specialties" in bad.json()["error"]["fields"]
    assert api.call("patch", f"/experts/{pk}", {"capacity": 3, "version": 1}).json()["capacity"] == 3
    assert api.call("patch", f"/experts/{pk}", {"capacity": 4, "version": 1}).status_code == 409


def test_a_matching_filter_with_bad_ids_is_refused_naming_the_field(api, city_user):  # noqa: F811
    answer = api.auth(city_user).call("post", "/expert-matching", {"enterprises": ["abc"]})
    assert answer.status_code == 400 and "enterprises" in answer.json()["error"]["fields"]


def test_lists_use_the_api_envelope(api, city_user, pool):  # noqa: F811
    body = api.auth(city_user).call("get", "/experts?page_size=1").json()
    assert body["count"] >= 1 and len(body["results"]) == 1 and body["results"][0]["id"]
    assert set(api.call("get", "/stationings").json()) == {"count", "results", "next"}


def test_other_countys_stationing_is_404(api, city_user, heshan_user, ziyang_user, pool, heshan_enterprise):  # noqa: F811
    made = api.auth(city_user).call("post", "/stationings", {"expert": pool.pk, "enterprise": heshan_enterprise.pk})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert api.auth(heshan_user).call("get", "/stationings").json()["count"] == 1
    api.auth(ziyang_user)
    assert api.call("get", "/stationings").json()["count"] == 0
    assert api.call("post", f"/stationings/{pk}/end", {"version": 1}).status_code == 404
    assert api.call("post", "/stationings", {"expert": pool.pk, "enterprise": heshan_enterprise.pk}).status_code == 400


SOON = (date.today() + timedelta(days=5)).isoformat()  # noqa: DTZ011 - a date within the year ahead


def _chem(user=None):
    expert = Expert.objects.create(name="化工专家", home_lat="28.60", home_lng="112.33", capacity=2, user=user)
    Specialty.objects.create(expert=expert, category_id="hazchem")
    Certificate.objects.create(expert=expert, name="证", expires_on="2099-01-01")
    return expert


def test_a_run_is_read_changed_and_applied_through_the_api(api, city_user, ziyang_enterprise):  # noqa: F811
    ziyang_enterprise.lat, ziyang_enterprise.lng = "28.6", "112.3"
    ziyang_enterprise.save()
    first, second = _chem(), _chem()
    api.auth(city_user)
    answer = api.call("post", "/expert-matching", {"category": "hazchem"})
    run_path = answer["Location"]
    run_id = int(run_path.rstrip("/").rsplit("/", 1)[1])
    run = api.call("get", f"/expert-matching/{run_id}").json()
    [row] = run["rows"]
    other = second.pk if row["expert"] == first.pk else first.pk
    path = f"/expert-matching/{run_id}/rows/{row['id']}/change"
    assert api.call("post", path, {"to_expert": other}).status_code == 400  # no reason
    changed = api.call("post", path, {"to_expert": other, "reason": "就近调整"}).json()
    assert changed["rows"][0]["expert"] == other and changed["rows"][0]["manual"] is True
    applied = api.call("post", f"/expert-matching/{run_id}/apply", {"visit_on": SOON, "version": changed["version"]})
    assert applied.status_code == 200 and applied.json()["applied_at"]
    visits = api.call("get", "/visits").json()
    assert visits["count"] == 1 and visits["results"][0]["expert"] == other


def test_another_countys_run_and_visit_are_404(api, ziyang_user, heshan_user, ziyang_enterprise):  # noqa: F811
    from safeloop.experts.models import Visit
    from safeloop.experts.services import matching_run

    ziyang_enterprise.lat, ziyang_enterprise.lng = "28.6", "112.3"
    ziyang_enterprise.save()
    expert = _chem()
    matching_run(actor=ziyang_user, filters={})
    from safeloop.experts.models import MatchingRun

    run = MatchingRun.objects.get()
    visit = Visit.objects.create(expert=expert, enterprise=ziyang_enterprise, on="2026-12-01", purpose="帮扶")
    api.auth(heshan_user)
    assert api.call("get", f"/expert-matching/{run.pk}").status_code == 404
    assert api.call("post", f"/expert-matching/{run.pk}/apply", {"visit_on": SOON}).status_code == 404
    assert api.call("get", f"/visits/{visit.pk}").status_code == 404
    assert api.call("get", "/visits").json()["count"] == 0


def test_the_expert_reports_a_finding_and_the_enterprise_rates(api, ziyang_enterprise, enterprise_user):  # noqa: F811
    from safeloop.accounts.models import Role
    from safeloop.experts.models import Visit
    from tests.conftest import make_user

    user = make_user(Role.EXPERT)
    visit = Visit.objects.create(expert=_chem(user), enterprise=ziyang_enterprise, on="2026-12-01", purpose="帮扶")
    api.auth(user)
    bad = api.call("post", f"/visits/{visit.pk}/findings", {"description": ""})
    assert bad.status_code == 400 and "description" in bad.json()["error"]["fields"]
    found = api.call("post", f"/visits/{visit.pk}/findings", {"description": "静电接地缺失", "level": "general"})
    assert found.status_code == 201 and len(found.json()["hazards"]) == 1
    done = api.call("post", f"/visits/{visit.pk}/done", {"findings": "检查完毕", "version": found.json()["version"]})
    assert done.json()["status"] == "done"
    api.auth(enterprise_user)
    assert api.call("post", f"/visits/{visit.pk}/findings", {"description": "x"}).status_code == 403
    rated = api.call("post", f"/visits/{visit.pk}/rating", {"rating": "5"})
    assert rated.status_code == 200 and rated.json()["rating"] == 5
