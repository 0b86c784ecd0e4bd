"""/api/v1/clues, /cases, /operations: the contract's paths, the error shape, the scope."""

from __future__ import annotations

import pytest

from tests.enforcement.conftest import PHONE_CLUE

pytestmark = pytest.mark.django_db


def _opened(api, recorder, county, body):
    clue = api.auth(recorder).call("post", "/clues", PHONE_CLUE).json()
    api.auth(county)
    checked = api.call("post", f"/clues/{clue['id']}/actions/check", {"version": 1, "check_note": "属实"}).json()
    opened = api.call(
        "post", f"/clues/{clue['id']}/actions/open_case", {"version": checked["version"], "body": body.pk}
    )
    assert opened.status_code == 200, opened.content
    return opened.json()["cases"][0]


def test_township_posts_a_clue_and_county_opens_and_closes_the_case(api, recorder, ziyang_user, ziyang_emergency):
    response = api.auth(recorder).call("post", "/clues", PHONE_CLUE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "unlicensed" and body["department"] == ziyang_emergency.pk and body["subject"]["name"]
    case_id = _opened(api, recorder, ziyang_user, ziyang_emergency)
    case = api.call("get", f"/cases/{case_id}").json()
    assert case["status"] == "filed" and "decide" in case["actions"]
    decided = api.call(
        "post",
        f"/cases/{case_id}/actions/decide",
        {"version": case["version"], "measure": "fine", "fine": "1200", "note": "罚款"},
    )
    assert decided.status_code == 200 and decided.json()["fine_total"] == "1200.00"
    closed = api.call(
        "post", f"/cases/{case_id}/actions/close", {"version": decided.json()["version"], "opinion": "结案"}
    )
    assert closed.json()["status"] == "closed"
    listed = api.call("get", "/cases", status="closed").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == case_id
    document = api.call("get", f"/cases/{case_id}/documents/closing")
    assert document.status_code == 200 and document.content[:2] == b"PK"


def test_bad_fine_is_400_naming_the_field(api, recorder, ziyang_user, ziyang_emergency):
    case_id = _opened(api, recorder, ziyang_user, ziyang_emergency)
    for bad in ("-5", "abc"):
        response = api.call(
            "post", f"/cases/{case_id}/actions/decide", {"version": 1, "measure": "fine", "fine": bad, "note": "罚款"}
        )
        assert response.status_code == 400
        assert "罚款金额" in response.json()["error"]["fields"]["fine"]


def test_close_without_decision_and_document_not_reached_are_400(api, recorder, ziyang_user, ziyang_emergency):
    case_id = _opened(api, recorder, ziyang_user, ziyang_emergency)
    response = api.call("post", f"/cases/{case_id}/actions/close", {"version": 1, "opinion": "结案"})
    assert response.status_code == 400 and "measure" in response.json()["error"]["fields"]
    response = api.call("get", f"/cases/{case_id}/documents/order")
    assert response.status_code == 400 and "document" in response.json()["error"]["fields"]


def test_wrong_state_and_stale_version_are_409(api, recorder, ziyang_user, ziyang_emergency):
    clue = api.auth(recorder).call("post", "/clues", PHONE_CLUE).json()
    api.auth(ziyang_user)
    assert api.call("post", f"/clues/{clue['id']}/actions/open_case", {"version": 1}).status_code == 409
    api.call("post", f"/clues/{clue['id']}/actions/check", {"version": 1, "check_note": "属实"})
    assert api.call("post", f"/clues/{clue['id']}/actions/close", {"version": 1, "reason": "x"}).status_code == 409


def test_outsiders_get_404(api, recorder, ziyang_user, heshan_user, ziyang_emergency):
    case_id = _opened(api, recorder, ziyang_user, ziyang_emergency)
    clue_id = api.call("get", f"/cases/{case_id}").json()["clue"]
    api.auth(heshan_user)
    assert api.call("get", f"/clues/{clue_id}").status_code == 404
    assert api.call("get", f"/cases/{case_id}").status_code == 404
    assert (
        api.call("post", f"/cases/{case_id}/actions/decide", {"version": 1, "measure": "ban", "note": "x"}).status_code
        == 404
    )
    assert api.call("get", f"/cases/{case_id}/documents/filing").status_code == 404
    assert api.call("get", "/clues").json()["count"] == 0


def test_enterprise_account_is_forbidden(api, enterprise_user):
    assert api.auth(enterprise_user).call("get", "/clues").status_code == 403


def test_operations_are_created_and_listed(api, ziyang_user, ziyang_emergency, ziyang_transport, heshan_user):
    payload = {
        "name": "资阳区“两电”联合整治",
        "kind": "joint",
        "region": "430902",
        "departments": [ziyang_emergency.pk, ziyang_transport.pk],
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-31",
    }
    created = api.auth(ziyang_user).call("post", "/operations", payload)
    assert created.status_code == 201, created.content
    assert api.call("get", "/operations").json()["count"] == 1
    bad = api.call("post", "/operations", payload | {"ends_on": "2026-02-01"})
    assert bad.status_code == 400 and "ends_on" in bad.json()["error"]["fields"]
    assert api.auth(heshan_user).call("get", "/operations").json()["count"] == 0
