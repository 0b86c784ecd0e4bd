"""The campaigns API (API.md): create, launch, tasks, suggest-targets; outsiders get 404, bad input 400."""

from __future__ import annotations

import pytest

from safeloop.accounts.models import Role
from safeloop.campaigns.models import Task
from tests.api.test_api import api  # noqa: F401 - the fixture
from tests.campaigns.conftest import campaign_data, later
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _created(api, user, **overrides):  # noqa: F811
    answer = api.auth(user).call("post", "/campaigns", campaign_data(**overrides))
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_county_creates_and_launches_a_campaign_and_lists_its_tasks(api, dust, ziyang_user):  # noqa: F811
    body = _created(api, ziyang_user)
    assert body["kind"] == "hundred_days" and body["status"] == "draft" and body["targets"] == 3
    launched = api.call("post", f"/campaigns/{body['id']}/launch", {"version": body["version"]})
    assert launched.status_code == 200, launched.content
    assert launched.json()["status"] == "launched" and launched.json()["progress"]["targets"] == 3
    again = api.call("post", f"/campaigns/{body['id']}/launch", {"version": launched.json()["version"]})
    assert again.status_code == 409
    tasks = api.call("get", f"/campaigns/{body['id']}/tasks?page_size=2").json()
    assert tasks["count"] == 3 and len(tasks["results"]) == 2 and tasks["next"]
    assert {"enterprise", "deadline", "status", "overdue", "hazards"} <= set(tasks["results"][0])
    listed = api.call("get", "/campaigns").json()
    assert set(listed) == {"count", "results", "next"} and listed["results"][0]["id"] == body["id"]


def test_a_stale_version_is_a_conflict(api, dust, ziyang_user):  # noqa: F811
    body = _created(api, ziyang_user)
    assert api.call("post", f"/campaigns/{body['id']}/launch", {"version": body["version"] + 5}).status_code == 409


def test_bad_input_is_a_400_naming_the_field(api, dust, ziyang_user):  # noqa: F811
    api.auth(ziyang_user)
    empty = api.call("post", "/campaigns", campaign_data(target_filter={}))
    assert empty.status_code == 400 and "target_filter" in empty.json()["error"]["fields"]
    past = api.call("post", "/campaigns", campaign_data(ends_on=later(-3)))
    assert past.status_code == 400 and "ends_on" in past.json()["error"]["fields"]
    outside = api.call("post", "/campaigns", campaign_data(target_filter={"enterprises": [dust["far"].pk]}))
    assert outside.status_code == 400 and "target_filter.enterprises" in outside.json()["error"]["fields"]
    assert api.call("get", "/campaigns").json()["count"] == 0


def test_outsiders_get_404_on_the_campaign_and_its_tasks(api, dust, ziyang_user, heshan_user):  # noqa: F811
    body = _created(api, ziyang_user)
    api.auth(heshan_user)
    assert api.call("get", f"/campaigns/{body['id']}").status_code == 404
    assert api.call("get", f"/campaigns/{body['id']}/tasks").status_code == 404
    assert api.call("post", f"/campaigns/{body['id']}/launch", {"version": 1}).status_code == 404
    assert api.call("get", "/campaigns").json()["count"] == 0


def test_a_county_sees_its_part_of_a_city_campaign(api, dust, city_user, heshan_user):  # noqa: F811
    body = _created(api, city_user)
    api.call("post", f"/campaigns/{body['id']}/launch", {"version": body["version"]})
    api.auth(heshan_user)
    assert api.call("get", f"/campaigns/{body['id']}").status_code == 200
    tasks = api.call("get", f"/campaigns/{body['id']}/tasks").json()
    assert [t["enterprise"] for t in tasks["results"]] == [dust["far"].pk]
    other = Task.objects.exclude(enterprise=dust["far"]).first()
    assert api.call("get", f"/campaign-tasks/{other.pk}").status_code == 404
    assert api.call("post", f"/campaigns/{body['id']}/close", {"version": 2}).status_code == 403


def test_an_enterprise_sees_only_its_own_task(api, dust, ziyang_user):  # noqa: F811
    body = _created(api, ziyang_user)
    api.call("post", f"/campaigns/{body['id']}/launch", {"version": body["version"]})
    owner = make_user(Role.ENTERPRISE, enterprise=dust["twin"])
    tasks = api.auth(owner).call("get", f"/campaigns/{body['id']}/tasks").json()
    assert [t["enterprise"] for t in tasks["results"]] == [dust["twin"].pk]
    task = tasks["results"][0]
    started = api.call("post", f"/campaign-tasks/{task['id']}/actions/start", {"version": task["version"]})
    assert started.status_code == 200, started.content
    assert started.json()["status"] == "in_progress" and started.json()["checklist"]
    assert api.call("post", "/campaigns", campaign_data()).status_code == 403


def test_suggest_targets_ranks_similar_enterprises_with_reasons(api, dust, seed_hazard, ziyang_user):  # noqa: F811
    answer = api.auth(ziyang_user).call("post", "/campaigns/suggest-targets", {"seed_hazard": seed_hazard.pk})
    assert answer.status_code == 200, answer.content
    results = answer.json()["results"]
    assert [r["enterprise"] for r in results][0] == dust["twin"].pk
    assert all(r["reasons"] for r in results) and dust["far"].pk not in [r["enterprise"] for r in results]
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_suggest_targets_refuses_a_seed_outside_the_scope(api, dust, seed_hazard, heshan_user):  # noqa: F811
    answer = api.auth(heshan_user).call("post", "/campaigns/suggest-targets", {"seed_hazard": seed_hazard.pk})
    assert answer.status_code == 400 and "seed_hazard" in answer.json()["error"]["fields"]
    assert api.call("post", "/campaigns/suggest-targets", {}).status_code == 400


def test_a_dragnet_campaign_from_the_edited_proposal(api, dust, seed_hazard, ziyang_user):  # noqa: F811
    body = _created(
        api, ziyang_user, kind="dragnet", seed_hazard=seed_hazard.pk, target_filter={}, targets=[dust["twin"].pk]
    )
    assert body["seed_hazard"] == seed_hazard.pk and body["targets"] == 1


def test_suggest_targets_from_an_accident_at_a_dust_enterprise(api, dust, ziyang_user):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from safeloop.accidents.services import accident_create

    accident = accident_create(
        actor=ziyang_user,
        data={
            "title": "打磨车间粉尘爆炸事故",
            "occurred_at": timezone.now() - timedelta(days=1),
            "region": dust["seed"].region_id,
            "sector": "industry_trade",
            "enterprise": dust["seed"].pk,
            "description": "除尘器内粉尘爆炸",
            "deaths": 1,
        },
    )
    answer = api.auth(ziyang_user).call("post", "/campaigns/suggest-targets", {"seed_accident": accident.pk})
    assert answer.status_code == 200, answer.content
    ids = [r["enterprise"] for r in answer.json()["results"]]
    assert dust["twin"].pk in ids and dust["cousin"].pk in ids and dust["seed"].pk not in ids
    assert answer.json()["seed"] == {"type": "accident", "id": accident.pk}


def test_a_department_leads_its_campaign(api, transport_user, heshan_enterprise, ziyang_user):  # noqa: F811
    body = _created(
        api, transport_user, kind="special", title="道路运输专项整治", target_filter={"categories": ["road_transport"]}
    )
    assert body["targets"] == 1 and body["region"] == "430900"
    launched = api.call("post", f"/campaigns/{body['id']}/launch", {"version": body["version"]})
    assert launched.status_code == 200, launched.content
    assert api.auth(ziyang_user).call("get", f"/campaigns/{body['id']}/tasks").json()["count"] == 0


def test_a_township_completes_a_task_through_the_api(api, dust, ziyang_user, township_user):  # noqa: F811
    body = _created(api, ziyang_user, route="township")
    api.call("post", f"/campaigns/{body['id']}/launch", {"version": body["version"]})
    task = Task.objects.get(campaign_id=body["id"], enterprise=dust["seed"])
    api.auth(township_user)
    path = f"/campaign-tasks/{task.pk}/actions/complete"
    missing = api.call("post", path, {"version": task.version})
    assert missing.status_code == 400 and "note" in missing.json()["error"]["fields"]
    done = api.call("post", path, {"version": task.version, "note": "已查", "findings": "消防通道堵塞"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and len(done.json()["hazards"]) == 1
    assert api.call("post", path, {"version": done.json()["version"], "note": "再查"}).status_code == 409


def test_target_changes_through_the_api_need_a_reason_once_launched(api, dust, ziyang_user):  # noqa: F811
    body = _created(api, ziyang_user)
    launched = api.call("post", f"/campaigns/{body['id']}/launch", {"version": body["version"]}).json()
    path = f"/campaigns/{body['id']}/targets"
    refused = api.call("post", path, {"enterprise": dust["unlike"].pk, "op": "add"})
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    added = api.call("post", path, {"enterprise": dust["unlike"].pk, "op": "add", "reason": "同类工艺"})
    assert added.status_code == 200 and added.json()["progress"]["targets"] == launched["progress"]["targets"] + 1
    bad = api.call("post", path, {"enterprise": dust["unlike"].pk, "op": "swap", "reason": "x"})
    assert bad.status_code == 400 and "op" in bad.json()["error"]["fields"]


def test_focus_clauses_are_kept_and_an_unknown_one_is_refused(api, dust, seed_hazard, ziyang_user):  # noqa: F811
    body = _created(api, ziyang_user, clauses=["GM10-11-01"])
    assert body["clauses"] == ["GM10-11-01"]
    bad = api.call("post", "/campaigns", campaign_data(clauses=["XX-1"]))
    assert bad.status_code == 400 and "clauses" in bad.json()["error"]["fields"]
    dragnet = _created(api, ziyang_user, kind="dragnet", seed_hazard=seed_hazard.pk, target_filter={})
    assert dragnet["clauses"] == [seed_hazard.clause_id]


def test_suggest_targets_within_a_part_of_a_province_users_area(api, dust, seed_hazard):  # noqa: F811
    province = make_user(Role.CITY, region_id="430000")
    answer = api.auth(province).call(
        "post", "/campaigns/suggest-targets", {"seed_hazard": seed_hazard.pk, "region": "430903"}
    )
    assert [r["enterprise"] for r in answer.json()["results"]] == [dust["far"].pk]
