"""The report form takes 隐患照片 from the phone camera, stored with the report in one
transaction: a bad file saves nothing, says why beside the photo field and keeps what was typed."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeloop.hazards.models import Attachment, Hazard
from tests.hazards.conftest import photo

TODAY = "2026-11-02 09:00 +0800"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def report(enterprise, **fields) -> dict:
    return {"enterprise": enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"} | fields


def stored(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_the_report_form_opens_the_phone_camera_for_several_photos(login, ziyang_user):
    body = login(ziyang_user).get(reverse("hazards:new")).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'name="photos" type="file" accept="image/*" capture="environment" multiple' in body


def test_photos_are_stored_with_the_report_as_its_hazard_photos(login, ziyang_user, ziyang_enterprise):
    data = report(ziyang_enterprise, photos=[photo("a.jpg"), photo("b.jpg")])
    response = login(ziyang_user).post(reverse("hazards:new"), data)
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    files = Attachment.objects.filter(hazard=hazard)
    assert sorted(files.values_list("original_name", "kind", "used_in_event")) == [
        ("a.jpg", "hazard", 1),
        ("b.jpg", "hazard", 1),
    ]
    assert hazard.events.get().attachments == sorted(files.values_list("sha256", flat=True))


@pytest.mark.parametrize(
    ("bad", "status_word"),
    [
        (
            SimpleUploadedFile("scan.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg"),
            "不是可接受的照片或文件",
        ),
        ("big", "太大"),
    ],
)
def test_a_bad_photo_saves_nothing_and_says_why_beside_the_field(
    login, settings, ziyang_user, ziyang_enterprise, media_root, bad, status_word
):
    if bad == "big":
        settings.SAFELOOP_EVIDENCE_MAX_BYTES = photo().size
        bad = SimpleUploadedFile("big.jpg", photo().read() + b"\0" * 10, content_type="image/jpeg")
    typed = report(ziyang_enterprise, location="二号仓库", photos=[photo("good.jpg"), bad])
    response = login(ziyang_user).post(reverse("hazards:new"), typed)
    form = response.context["form"]
    assert list(form.errors) == ["photos"] and status_word in form.errors["photos"]
    assert "image/" not in form.errors["photos"]
    body = response.content.decode()
    assert body.count(form.errors["photos"]) == 1
    assert 'value="二号仓库"' in body and "消防通道堆放杂物" in body  # what was typed stays
    assert not Hazard.objects.exists() and not Attachment.objects.exists()
    assert stored(settings.MEDIA_ROOT) == []


def test_a_bad_photo_and_a_missing_field_are_both_named(login, ziyang_user, ziyang_enterprise):
    bad = SimpleUploadedFile("x.jpg", b"text", content_type="image/jpeg")
    response = login(ziyang_user).post(reverse("hazards:new"), report(ziyang_enterprise, description="", photos=[bad]))
    assert set(response.context["form"].errors) == {"description", "photos"}


def test_the_service_refuses_a_bad_photo_with_415_naming_the_field(ziyang_user, ziyang_enterprise):
    from safeloop.core.errors import UnsupportedType
    from safeloop.hazards.services import hazard_report

    with pytest.raises(UnsupportedType) as refused:
        data = report(ziyang_enterprise, photos=[SimpleUploadedFile("x.jpg", b"no", content_type="image/jpeg")])
        hazard_report(actor=ziyang_user, data=data)
    assert (refused.value.status, list(refused.value.fields)) == (415, ["photos"])
