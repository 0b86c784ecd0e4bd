"""Every checklist route, tried by outsiders: another county, another enterprise. Out of scope is
404; lists and completion figures leave the other county out."""

import pytest
from django.urls import reverse

from safeloop.checklists.models import Photo
from safeloop.checklists.services import item_answer
from tests.checklists.conftest import photo
from tests.conftest import make_user


@pytest.fixture
def answered(checklist, enterprise_user):
    item_answer(
        actor=enterprise_user,
        checklist_id=checklist.pk,
        clause_id="HG121-01",
        data={"result": "fail", "photos": [photo()]},
    )
    return checklist


@pytest.fixture
def outsiders(heshan_user, heshan_enterprise):
    return [heshan_user, make_user("enterprise", enterprise=heshan_enterprise)]


def test_outsiders_cannot_open_answer_submit_or_see_photos(login, answered, outsiders):
    photo_id = Photo.objects.get().pk
    for outsider in outsiders:
        client = login(outsider)
        assert client.get(reverse("checklists:detail", args=[answered.pk])).status_code == 404
        assert (
            client.post(reverse("checklists:answer", args=[answered.pk, "HG121-01"]), {"result": "ok"}).status_code
            == 404
        )
        assert client.post(reverse("checklists:submit", args=[answered.pk]), {"version": 1}).status_code == 404
        for variant in ("file", "thumb"):
            assert client.get(reverse("checklists:photo", args=[photo_id, variant])).status_code == 404


def test_missing_and_hidden_checklists_look_the_same(login, answered, heshan_user):
    client = login(heshan_user)
    hidden = client.get(reverse("checklists:detail", args=[answered.pk]))
    missing = client.get(reverse("checklists:detail", args=[answered.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404


def test_outsider_lists_and_completion_leave_the_other_county_out(login, answered, heshan_user):
    response = login(heshan_user).get(reverse("checklists:list"))
    body = response.content.decode()
    assert answered.code not in body and answered.enterprise.name not in body
    assert {r.key for r in response.context["by_county"]} <= {"430903"}


def test_outsider_starting_a_checklist_gets_its_own(login, answered, heshan_enterprise, catalogue):
    outsider = make_user("enterprise", enterprise=heshan_enterprise)
    response = login(outsider).post(reverse("checklists:new"))
    assert response.status_code == 302 and f"/{answered.pk}/" not in response.url


def test_outsider_statistics_and_exports_leave_the_other_county_out(login, answered, enterprise_user, heshan_user):
    from safeloop.checklists.services import checklist_submit
    from tests.checklists.conftest import answer_all

    answer_all(answered, enterprise_user, **{"HG121-01": "fail"})
    checklist_submit(actor=enterprise_user, checklist_id=answered.pk, version=answered.version)
    client = login(heshan_user)
    page = client.get(reverse("standards_stats:page")).content.decode()
    assert "HG121-01" not in page and "资阳区" not in page
    response = client.get(reverse("standards_stats:export", args=["clauses"]))
    assert b"HG121-01" not in b"".join(response.streaming_content)
