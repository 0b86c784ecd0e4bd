"""The inspections API: who may inspect (≥2 certified officers of a legal body), the yearly cap,
check-in, findings that become hazards, draws that verify, outsiders get 404."""

from __future__ import annotations

import pytest

from safeloop.hazards.models import Hazard, Source
from safeloop.inspections.models import CheckIn, Finding, InspectorConflict
from safeloop.registry.models import Department


def _new(api, enterprise, body, officers, **more):
    data = {"enterprise": enterprise.pk, "enforcement_body": body.pk, "officers": [u.pk for u in officers]} | more
    return api.call("post", "/inspections", data)


def test_an_inspection_with_two_certified_officers_is_recorded(api, officers, ziyang_body, ziyang_enterprise):
    answer = _new(api.auth(officers[0]), ziyang_enterprise, ziyang_body, officers, assistants="王工（专家）")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert [o["certificate_no"] for o in body["officers"]] == ["430902000", "430902001"]
    assert body["assistants"] == [{"name": "王工", "kind": "expert"}]
    assert body["status"] == "planned" and "check_in" in body["actions"]


def test_one_officer_is_refused_naming_the_field(api, officers, ziyang_body, ziyang_enterprise):
    answer = _new(api.auth(officers[0]), ziyang_enterprise, ziyang_body, officers[:1])
    assert answer.status_code == 400
    assert "两名" in answer.json()["error"]["fields"]["officers"]


def test_an_officer_without_certificate_is_refused(api, officers, uncertified, ziyang_body, ziyang_enterprise):
    answer = _new(api.auth(officers[0]), ziyang_enterprise, ziyang_body, [officers[0], uncertified])
    assert answer.status_code == 400
    assert "执法证" in answer.json()["error"]["fields"]["officers"]


def test_the_safety_committee_is_not_an_enforcement_body(api, city_user, officers, ziyang_enterprise):
    office = Department.objects.create(name="资阳区安委办", kind="safety_office", region_id="430902")
    answer = _new(api.auth(city_user), ziyang_enterprise, office, officers)
    assert answer.status_code == 400
    assert "安委办" in answer.json()["error"]["fields"]["enforcement_body"]


def test_a_conflicted_officer_is_refused(api, officers, ziyang_body, ziyang_enterprise):
    InspectorConflict.objects.create(user=officers[1], enterprise=ziyang_enterprise)
    answer = _new(api.auth(officers[0]), ziyang_enterprise, ziyang_body, officers)
    assert answer.status_code == 400 and "回避" in answer.json()["error"]["fields"]["officers"]


def test_a_third_visit_needs_a_reason(api, officers, ziyang_body, ziyang_enterprise):
    api.auth(officers[0])
    for _ in range(2):
        assert _new(api, ziyang_enterprise, ziyang_body, officers).status_code == 201
    refused = _new(api, ziyang_enterprise, ziyang_body, officers)
    assert refused.status_code == 400 and "上限" in refused.json()["error"]["fields"]["over_cap_reason"]
    pre = api.call(
        "post", "/inspections/precheck", {"enterprise": ziyang_enterprise.pk, "enforcement_body": ziyang_body.pk}
    )
    assert pre.json()["over"] is True and pre.json()["visits"] == 2
    allowed = _new(api, ziyang_enterprise, ziyang_body, officers, over_cap_reason="complaint")
    assert allowed.status_code == 201 and allowed.json()["over_cap_reason"] == "complaint"


def test_check_in_then_finding_becomes_a_regulator_hazard(api, officers, ziyang_body, ziyang_enterprise):
    api.auth(officers[0])
    pk = _new(api, ziyang_enterprise, ziyang_body, officers).json()["id"]
    checked = api.call("post", f"/inspections/{pk}/check-in", {"lat": "28.59", "lng": "112.32"})
    assert checked.status_code == 200, checked.content
    assert checked.json()["status"] == "in_progress" and checked.json()["checked_in_at"]
    assert CheckIn.objects.get(inspection_id=pk).lat is not None
    found = api.call(
        "post",
        f"/inspections/{pk}/findings",
        {"description": "消防通道堵塞", "location": "仓库", "nature": "management", "level": "general"},
    )
    assert found.status_code == 201, found.content
    [code] = found.json()["findings"]
    hazard = Hazard.objects.get(code=code)
    assert hazard.source == Source.REGULATOR and hazard.enterprise_id == ziyang_enterprise.pk
    assert Finding.objects.filter(inspection_id=pk, hazard=hazard).exists()
    bad = api.call("post", f"/inspections/{pk}/findings", {"description": "", "location": "x"})
    assert bad.status_code == 400 and "description" in bad.json()["error"]["fields"]


def test_closing_without_check_in_is_flagged_and_the_enterprise_rates(
    api,
    officers,
    ziyang_body,
    ziyang_enterprise,
    enterprise_user,
):
    api.auth(officers[0])
    pk = _new(api, ziyang_enterprise, ziyang_body, officers).json()["id"]
    closed = api.call("post", f"/inspections/{pk}/actions/close", {"version": 1, "summary": "未发现问题"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["not_checked_in"] is True
    api.auth(enterprise_user)
    seen = api.call("get", f"/inspections/{pk}").json()
    assert [o["name"] for o in seen["officers"]] == ["执法员0", "执法员1"]
    rated = api.call("post", f"/inspections/{pk}/actions/rate", {"version": seen["version"], "rating": 5})
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    assert api.call("post", f"/inspections/{pk}/actions/rate", {"version": 1, "rating": 4}).status_code == 409


def test_another_countys_users_get_404(api, officers, ziyang_body, ziyang_enterprise, heshan_user, heshan_officer):
    pk = _new(api.auth(officers[0]), ziyang_enterprise, ziyang_body, officers).json()["id"]
    for outsider in (heshan_user, heshan_officer):
        api.auth(outsider)
        assert api.call("get", f"/inspections/{pk}").status_code == 404
        assert api.call("post", f"/inspections/{pk}/check-in", {}).status_code == 404
        assert api.call("post", f"/inspections/{pk}/findings", {"description": "x"}).status_code == 404
        assert api.call("get", "/inspections").json()["count"] == 0
    assert _new(api, ziyang_enterprise, ziyang_body, officers).status_code == 400  # not their body nor enterprise


def test_plans_with_progress(api, officers, ziyang_body, ziyang_enterprise, heshan_user):
    api.auth(officers[0])
    made = api.call(
        "post",
        "/inspection-plans",
        {
            "department": ziyang_body.pk,
            "year": 2026,
            "name": "2026年度执法检查计划",
            "target_total": 120,
            "key_enterprises": [ziyang_enterprise.pk],
            "targets": {"risk:red": 10},
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    progress = api.call("get", f"/inspection-plans/{pk}").json()["progress"]
    assert len(progress) == 12 and progress[-1]["target"] == 120
    dup = api.call(
        "post", "/inspection-plans", {"department": ziyang_body.pk, "year": 2026, "name": "x", "target_total": 1}
    )
    assert dup.status_code == 400 and "year" in dup.json()["error"]["fields"]
    assert set(api.call("get", "/inspection-plans").json()) == {"count", "results", "next"}
    assert api.auth(heshan_user).call("get", f"/inspection-plans/{pk}").status_code == 404


@pytest.fixture
def pool(reference):
    from tests.conftest import ZIYANG_TOWN, make_enterprise

    return [
        make_enterprise(region=ZIYANG_TOWN, category="hazchem", risk_level=r)
        for r in ["red", "blue", "yellow", "orange"] * 3
    ]


def test_a_draw_verifies_and_its_public_page_has_no_names(api, officers, ziyang_body, pool, client, heshan_user):
    api.auth(officers[0])
    made = api.call(
        "post", "/draws", {"department": ziyang_body.pk, "title": "危化品双随机抽查", "count": 3, "seed": 12345}
    )
    assert made.status_code == 201, made.content
    draw = made.json()
    assert len(draw["result"]) == 3 and all(len(r["inspectors"]) == 2 for r in draw["result"])
    assert api.call("get", f"/draws/{draw['id']}/verify").json()["match"] is True
    assert api.call("get", "/inspections").json()["count"] == 3
    again = api.call("post", "/draws", {"department": ziyang_body.pk, "title": "再抽", "count": 3, "seed": 12345})
    assert again.status_code == 201
    public = client.get(f"/api/v1/public/draws/{draw['id']}")
    assert public.status_code == 200
    text = public.content.decode()
    assert "执法员" not in text and "430902000" not in text and public.json()["seed"] == "12345"
    assert api.auth(heshan_user).call("get", f"/draws/{draw['id']}").status_code == 404
    bad = api.auth(officers[0]).call("post", "/draws", {"department": ziyang_body.pk, "title": "x", "count": "abc"})
    assert bad.status_code == 400 and "count" in bad.json()["error"]["fields"]


def test_a_tampered_draw_does_not_verify(api, officers, ziyang_body, pool):
    api.auth(officers[0])
    pk = api.call("post", "/draws", {"department": ziyang_body.pk, "title": "抽查", "count": 2, "seed": 5}).json()["id"]
    from safeloop.inspections.models import Draw

    draw = Draw.objects.get(pk=pk)
    draw.seed = str(int(draw.seed) + 1)
    draw.save()
    assert api.call("get", f"/draws/{pk}/verify").json()["match"] is False


def test_a_low_risk_enterprise_with_a_clean_record_is_on_the_no_disturb_list(
    api, officers, ziyang_body, ziyang_enterprise
):
    ziyang_enterprise.risk_level = "blue"
    ziyang_enterprise.save()
    api.auth(officers[0])
    pre = api.call(
        "post", "/inspections/precheck", {"enterprise": ziyang_enterprise.pk, "enforcement_body": ziyang_body.pk}
    )
    assert pre.json()["no_disturb"] is True
    pk = _new(api, ziyang_enterprise, ziyang_body, officers).json()["id"]
    api.call(
        "post",
        f"/inspections/{pk}/findings",
        {"description": "x", "location": "y", "nature": "thing", "level": "general"},
    )
    pre = api.call(
        "post", "/inspections/precheck", {"enterprise": ziyang_enterprise.pk, "enforcement_body": ziyang_body.pk}
    )
    assert pre.json()["no_disturb"] is False


def test_a_joint_inspection_is_one_visit_for_the_enterprise(api, officers, ziyang_body, ziyang_enterprise, reference):
    from safeloop.accounts.models import Role
    from safeloop.inspections.selectors import burden
    from safeloop.registry.models import OfficerCertificate
    from tests.conftest import make_user

    other = Department.objects.get(region_id="430900", kind="emergency")  # the city bureau: another body
    others = []
    for n in range(2):
        user = make_user(Role.DEPARTMENT, department=other)
        OfficerCertificate.objects.create(user=user, certificate_no=f"9{n}")
        others.append(user)
    first = _new(api.auth(officers[0]), ziyang_enterprise, ziyang_body, officers).json()
    same = _new(api, ziyang_enterprise, ziyang_body, officers, joint_with=first["code"])
    assert same.status_code == 400 and "joint_with" in same.json()["error"]["fields"]
    from safeloop.inspections.services import inspection_create

    data = {"enterprise": ziyang_enterprise.pk, "enforcement_body": other.pk, "officers": [u.pk for u in others]}
    second = inspection_create(actor=others[0], data=data | {"joint_with": first["code"]})
    assert second.joint_code == first["code"]
    figures = burden(officers[0], ziyang_enterprise.pk, second.planned_on.year)
    assert figures["total"] == 2 and figures["visits"] == 1
