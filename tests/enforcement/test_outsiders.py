"""Every 打非治违 route tried by outsiders (another county, another department, an enterprise):
404 for the clue, case, photo, documents and operation of 资阳区; lists and statistics count none
of them; posts change nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from safeloop.enforcement.models import Case, CluePhoto
from safeloop.enforcement.services import clue_record, operation_create
from safeloop.enforcement.workflow import case_act, clue_act
from tests.enforcement.conftest import PHONE_CLUE

pytestmark = pytest.mark.django_db


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 10)).save(out, "JPEG")
    return SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def ziyang_records(recorder, ziyang_user, ziyang_emergency):
    clue = clue_record(actor=recorder, data=PHONE_CLUE | {"photos": [_photo()]})
    clue = clue_act(pk=clue.pk, actor=ziyang_user, action="check", version=1, data={"check_note": "属实"})
    clue_act(
        pk=clue.pk, actor=ziyang_user, action="open_case", version=clue.version, data={"body": ziyang_emergency.pk}
    )
    case = Case.objects.get(clue=clue)
    case_act(pk=case.pk, actor=ziyang_user, action="decide", version=1, data={"measure": "suspend", "note": "停产"})
    operation = operation_create(
        actor=ziyang_user,
        data={
            "name": "资阳联合执法",
            "kind": "joint",
            "region": "430902",
            "departments": [ziyang_emergency.pk],
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    return {"clue": clue, "case": case, "photo": CluePhoto.objects.get(clue=clue), "operation": operation}


def _object_urls(r):
    clue, case = r["clue"], r["case"]
    return [
        ("get", reverse("enforcement:clue", args=[clue.pk])),
        ("post", reverse("enforcement:clue_action", args=[clue.pk, "close"])),
        ("get", reverse("enforcement:clue_photo", args=[clue.pk, r["photo"].pk])),
        ("post", reverse("enforcement:subject_match", args=[clue.pk])),
        ("get", reverse("enforcement:case", args=[case.pk])),
        ("post", reverse("enforcement:case_action", args=[case.pk, "close"])),
        ("get", reverse("enforcement:case_document", args=[case.pk, "filing"])),
        ("get", reverse("enforcement:case_document", args=[case.pk, "order"])),
        ("get", reverse("enforcement:operation", args=[r["operation"].pk])),
    ]


@pytest.mark.parametrize("outsider", ["heshan_user", "housing_officer"])
def test_outsiders_get_404_for_every_object_route(request, outsider, login, ziyang_records):
    client = login(request.getfixturevalue(outsider))
    for method, url in _object_urls(ziyang_records):
        response = getattr(client, method)(url, {"reason": "x", "opinion": "x", "version": 1, "enterprise": "1"})
        assert response.status_code == 404, url
    case = Case.objects.get(pk=ziyang_records["case"].pk)
    assert case.status == "handling" and case.version == 2


@pytest.mark.parametrize("outsider", ["heshan_user", "housing_officer"])
def test_lists_and_statistics_show_nothing_of_another_area(request, outsider, login, ziyang_records):
    client = login(request.getfixturevalue(outsider))
    for name in ("enforcement:clues", "enforcement:cases", "enforcement:operations"):
        body = client.get(reverse(name)).content.decode()
        assert ziyang_records["clue"].code not in body and ziyang_records["case"].code not in body
        assert "资阳联合执法" not in body
    stats = client.get(reverse("enforcement:stats")).content.decode()
    assert 'data-figure="clues">0<' in stats and 'data-figure="cases">0<' in stats


def test_enterprise_account_is_refused_everywhere(login, enterprise_user, ziyang_records):
    client = login(enterprise_user)
    for name in (
        "enforcement:clues",
        "enforcement:clue_new",
        "enforcement:cases",
        "enforcement:operations",
        "enforcement:stats",
    ):
        assert client.get(reverse(name)).status_code == 403
    for method, url in _object_urls(ziyang_records):
        assert getattr(client, method)(url).status_code in (403, 404), url


def test_outsider_cannot_link_an_operation_to_a_campaign(login, heshan_user, ziyang_user, ziyang_records):
    from safeloop.campaigns.models import Campaign

    campaign = Campaign.objects.create(
        code="ZX-T-2",
        title="资阳专项",
        kind="special",
        region_id="430902",
        starts_on="2026-01-01",
        ends_on="2026-12-31",
        created_by=ziyang_user,
    )
    response = login(heshan_user).post(
        reverse("campaigns:link_operation", args=[campaign.pk]), {"operation": ziyang_records["operation"].pk}
    )
    assert response.status_code == 404
    assert not campaign.operations.exists()


def test_insiders_see_them(login, ziyang_user, ziyang_records):
    client = login(ziyang_user)
    for method, url in _object_urls(ziyang_records):
        if method == "get" and "order" not in url:
            assert client.get(url).status_code == 200, url
    body = client.get(reverse("enforcement:stats")).content.decode()
    assert 'data-figure="cases">1<' in body and 'data-figure="suspended">1<' in body
