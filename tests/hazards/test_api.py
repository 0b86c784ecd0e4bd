"""The loop through the JSON API, as a provincial client or a phone app would drive it."""

import io

import pytest
import time_machine
from PIL import Image

from tests.conftest import PASSWORD

TODAY = "2026-11-02 09:00 +0800"


@pytest.fixture
def api(client):
    def as_user(user):
        token = client.post(
            "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}

        class Caller:
            def get(self, path, **params):
                return client.get(f"/api/v1{path}", params, headers=headers)

            def post(self, path, data):
                return client.post(f"/api/v1{path}", data, content_type="application/json", headers=headers)

            def act(self, hazard_id, action, **data):
                version = self.get(f"/hazards/{hazard_id}").json()["version"]
                return self.post(f"/hazards/{hazard_id}/actions/{action}", {"version": version, **data})

            def upload(self, hazard_id, data=None, name="evidence.png", kind=None):
                buf = png_file(data, name)
                form = {"file": buf} | ({"kind": kind} if kind else {})
                return client.post(f"/api/v1/hazards/{hazard_id}/attachments", form, headers=headers)

            def post_files(self, path, data):
                return client.post(f"/api/v1{path}", data, headers=headers)

        return Caller()

    return as_user


def png_file(data=None, name="evidence.png"):
    if data is None:
        out = io.BytesIO()
        Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "PNG")
        data = out.getvalue()
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


@time_machine.travel(TODAY, tick=False)
def test_major_regulator_finding_through_all_six_links_by_api(
    api, ziyang_user, ziyang_enterprise, boss, worker, expert
):
    county, firm, fixer, specialist = api(ziyang_user), api(boss), api(worker), api(expert)
    hazard = ok(
        county.post(
            "/hazards",
            {
                "enterprise": ziyang_enterprise.pk,
                "source": "regulator",
                "level": "major",
                "clause": "化工121-12",
                "description": "储罐区未设置可燃气体报警",
            },
        ),
        201,
    )
    hid = hazard["id"]
    assert hazard["status"] == "reported" and hazard["actions"] == ["confirm", "withdraw"]
    ok(specialist.act(hid, "sign", stage="confirmation"))
    ok(firm.act(hid, "sign", stage="confirmation"))
    ok(county.act(hid, "confirm"))
    assigned = ok(county.act(hid, "assign", responsible_unit="罐区", responsible_person="李", deadline_days=20))
    assert assigned["order_no"] and assigned["deadline"] == "2026-11-30"
    ok(
        firm.act(
            hid,
            "submit_plan",
            measures="加装报警",
            funds="30000",
            responsible_person="李",
            deadline="2026-11-25",
            contingency_plan="停用罐区",
        )
    )
    ok(fixer.act(hid, "start"))
    evidence = ok(fixer.upload(hid), 201)
    assert len(evidence["sha256"]) == 64 and evidence["content_type"] == "image/png"
    ok(fixer.act(hid, "submit_rectification", note="已安装", attachments=[evidence["id"]]))
    ok(specialist.act(hid, "sign", stage="acceptance"))
    ok(firm.act(hid, "sign", stage="acceptance"))
    ok(county.act(hid, "accept", opinion="合格"))
    closed = ok(county.act(hid, "close"))
    assert closed["status"] == "closed" and closed["look_back_due"] == "2027-01-31"
    events = ok(county.get(f"/hazards/{hid}/events"))["results"]
    assert events[-1]["prev_hash"] == events[-2]["hash"]
    assert evidence["sha256"] in next(e for e in events if e["action"] == "submit_rectification")["attachments"]


@time_machine.travel(TODAY, tick=False)
def test_api_errors_have_the_contract_codes(api, ziyang_user, heshan_user, ziyang_enterprise, boss, expert):
    county = api(ziyang_user)
    hid = ok(
        county.post(
            "/hazards",
            {
                "enterprise": ziyang_enterprise.pk,
                "source": "regulator",
                "level": "major",
                "clause": "GM10-3-02",
                "description": "特种作业人员未持证",
            },
        ),
        201,
    )["id"]
    stale = county.post(f"/hazards/{hid}/actions/confirm", {"version": 99})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    wrong_state = county.act(hid, "close")
    assert wrong_state.status_code == 409 and wrong_state.json()["error"]["code"] == "wrong_state"
    one_signature = county.act(hid, "confirm")
    assert one_signature.status_code == 400 and "signatures" in one_signature.json()["error"]["fields"]
    assert api(expert).act(hid, "confirm").status_code == 403
    assert api(heshan_user).get(f"/hazards/{hid}").status_code == 404
    assert api(heshan_user).post(f"/hazards/{hid}/actions/confirm", {"version": 1}).status_code == 404
    assert county.act(hid, "fly").status_code == 404
    missing = county.post("/hazards", {"source": "regulator", "description": ""})
    assert missing.status_code == 400 and set(missing.json()["error"]["fields"]) >= {"enterprise", "description"}


def test_evidence_type_and_size_are_checked(api, settings, general_self_found, boss):
    caller = api(boss)
    hid = general_self_found.hazard.pk
    renamed = caller.upload(hid, b"MZ\x90\x00 an executable, not a picture", name="photo.jpg")
    assert renamed.status_code == 415 and renamed.json()["error"]["fields"]["file"]
    settings.SAFELOOP_EVIDENCE_MAX_BYTES = 10
    assert caller.upload(hid).status_code == 413


def test_ledger_list_filters_and_scope(api, ziyang_user, heshan_user, general_self_found):
    assert ok(api(ziyang_user).get("/hazards", status="reported"))["count"] == 1
    assert ok(api(ziyang_user).get("/hazards", status="closed"))["count"] == 0
    assert ok(api(heshan_user).get("/hazards"))["count"] == 0


def test_general_self_found_hazard_through_all_six_links_by_api(api, boss, worker, settings):
    settings.SAFELOOP_TOKEN_HOURS = 24 * 60  # the tokens must outlive the month until the look-back
    firm, fixer = api(boss), api(worker)
    with time_machine.travel(TODAY, tick=False):
        hid = ok(firm.post("/hazards", {"source": "self_check", "description": "消防通道堆放杂物"}), 201)["id"]
        ok(firm.act(hid, "confirm"))
        ok(firm.act(hid, "assign", responsible_unit="仓库", responsible_person="王强", deadline_days=3))
        ok(fixer.act(hid, "start"))
        evidence = ok(fixer.upload(hid), 201)
        ok(fixer.act(hid, "submit_rectification", note="已清理", attachments=[evidence["id"]]))
        assert fixer.act(hid, "accept", opinion="自己验收").status_code == 403  # not by the fixer
        ok(firm.act(hid, "accept", opinion="通道畅通"))
        closed = ok(firm.act(hid, "close"))
    with time_machine.travel("2026-12-03 09:00 +0800", tick=False):
        verified = ok(firm.act(hid, "look_back", result="holds", note="复查保持"))
    assert (closed["look_back_due"], verified["status"]) == ("2026-12-02", "verified")
    assert [e["action"] for e in ok(firm.get(f"/hazards/{hid}/events"))["results"]] == [
        "report",
        "confirm",
        "assign",
        "start",
        "submit_rectification",
        "accept",
        "close",
        "look_back",
    ]


def test_the_openapi_documents_every_actions_body_with_its_fields(api, boss):
    from safeloop.hazards.workflow import TRANSITIONS

    schema = ok(api(boss).get("/openapi.json"))
    for t in TRANSITIONS:
        operation = schema["paths"][f"/api/v1/hazards/{{hazard_id}}/actions/{t.action}"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert set(body["properties"]) == {"version", *(spec.name for spec in t.fields)}, t.action
        assert set(body["required"]) == {"version", *(spec.name for spec in t.fields if spec.required)}, t.action
    assert not [path for path in schema["paths"] if path.endswith("{action}")]


def test_an_unknown_action_is_the_json_404(api, boss, general_self_found):
    answer = api(boss).post(f"/hazards/{general_self_found.hazard.pk}/actions/fly", {"version": 1})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


def test_a_body_without_version_is_a_400_naming_it(api, boss, general_self_found):
    answer = api(boss).post(f"/hazards/{general_self_found.hazard.pk}/actions/confirm", {})
    assert answer.status_code == 400 and "version" in answer.json()["error"]["fields"]


@time_machine.travel(TODAY, tick=False)
def test_the_api_actions_are_the_pages_buttons(api, login, major_regulator_found, ziyang_user, boss, worker, expert):
    import re

    from django.urls import reverse

    loop = major_regulator_found

    def agree():
        for user in (ziyang_user, boss, worker, expert):
            page = login(user).get(reverse("hazards:detail", args=[loop.hazard.pk])).content.decode()
            buttons = re.findall(rf'action="/hazards/{loop.hazard.pk}/act/(\w+)/"', page)
            assert ok(api(user).get(f"/hazards/{loop.hazard.pk}"))["actions"] == buttons, user

    agree()
    loop.act(expert, "sign", stage="confirmation")
    agree()
    loop.act(boss, "sign", stage="confirmation")
    loop.act(ziyang_user, "confirm")
    loop.act(ziyang_user, "assign", responsible_unit="罐区", responsible_person="李", deadline_days=10)
    agree()
