"""/api/v1/checklists per API.md: GET/POST /checklists, GET /checklists/{id},
PUT /checklists/{id}/answers/{clause} (result ok/fail/na, note), photos, submit; scope rules."""

from safeloop.hazards.models import Hazard
from tests.api.test_api import api  # noqa: F401 - the token-authenticated client fixture
from tests.checklists.conftest import photo
from tests.conftest import make_user


def test_enterprise_walks_a_checklist_through_the_api(api, catalogue, enterprise_user):  # noqa: F811
    api.auth(enterprise_user)
    created = api.call("post", "/checklists", {})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["total"] == len(body["items"]) == 18 and body["answered"] == 0
    checklist_id = body["id"]
    for item in body["items"]:
        result = "fail" if item["clause"] == "HG121-07" else "ok"
        answer = api.call(
            "put", f"/checklists/{checklist_id}/answers/{item['clause']}", {"result": result, "note": "抽查"}
        )
        assert answer.status_code == 200 and answer.json()["result"] == result
    done = api.call("post", f"/checklists/{checklist_id}/submit", {"version": body["version"]})
    assert done.status_code == 200, done.content
    [failed] = [i for i in done.json()["items"] if i["result"] == "fail"]
    hazard = Hazard.objects.get(pk=failed["hazard"])
    assert (hazard.source, hazard.level) == ("self_check", "major")


def test_an_unknown_result_is_a_400_naming_result(api, checklist, enterprise_user):  # noqa: F811
    response = api.auth(enterprise_user).call("put", f"/checklists/{checklist.pk}/answers/HG121-01", {"result": "yes"})
    assert response.status_code == 400 and "result" in response.json()["error"]["fields"]


def test_a_stale_answer_is_a_409(api, checklist, enterprise_user):  # noqa: F811
    api.auth(enterprise_user)
    path = f"/checklists/{checklist.pk}/answers/HG121-01"
    assert api.call("put", path, {"result": "ok", "version": 1}).status_code == 200
    assert api.call("put", path, {"result": "fail", "version": 1}).status_code == 409


def test_a_photo_is_uploaded_with_its_answer(client, api, checklist, enterprise_user):  # noqa: F811
    api.auth(enterprise_user)
    response = client.post(
        f"/api/v1/checklists/{checklist.pk}/answers/HG121-02/attachments",
        {"file": photo(), "result": "fail", "note": "现场照片"},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 1


def test_outsiders_get_404_and_see_no_checklist(api, checklist, heshan_user, heshan_enterprise):  # noqa: F811
    for outsider in (heshan_user, make_user("enterprise", enterprise=heshan_enterprise)):
        api.auth(outsider)
        assert api.call("get", f"/checklists/{checklist.pk}").status_code == 404
        assert api.call("put", f"/checklists/{checklist.pk}/answers/HG121-01", {"result": "ok"}).status_code == 404
        assert api.call("post", f"/checklists/{checklist.pk}/submit", {"version": 1}).status_code == 404
        assert api.call("get", "/checklists").json()["count"] == 0


def test_regulator_lists_checklists_in_scope_but_may_not_answer(api, checklist, ziyang_user):  # noqa: F811
    api.auth(ziyang_user)
    assert api.call("get", "/checklists").json()["count"] == 1
    assert api.call("put", f"/checklists/{checklist.pk}/answers/HG121-01", {"result": "ok"}).status_code == 403
    assert api.call("post", "/checklists", {}).status_code == 403
