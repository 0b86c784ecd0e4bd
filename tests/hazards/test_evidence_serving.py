"""Uploaded evidence is served so that it can never act as a page of this site: always an
attachment, under the extension of its sniffed type, sandboxed; images have a pixel limit and
each hazard a quota of files and bytes."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from safeloop.core.errors import TooLarge
from safeloop.core.evidence import evidence_check
from safeloop.core.models import SecurityEvent, SecurityKind
from safeloop.hazards.services import attachment_add
from tests.hazards.conftest import photo


def png(size: tuple[int, int], name: str = "现场.png", mode: str = "1") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def test_a_file_is_an_attachment_with_its_sniffed_extension_sandboxed(login, boss, general_self_found):
    hazard = general_self_found.hazard
    attachment = attachment_add(actor=boss, hazard_id=hazard.pk, upload=png((40, 30), name="说明.html"))
    response = login(boss).get(reverse("hazards:attachment", args=[attachment.pk, "file"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E8%AF%B4%E6%98%8E.png" in response["Content-Disposition"]  # 说明.png, not .html
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_thumbnail_is_sandboxed_too_and_is_no_download_in_the_log(login, boss, general_self_found):
    attachment = attachment_add(actor=boss, hazard_id=general_self_found.hazard.pk, upload=photo())
    response = login(boss).get(reverse("hazards:attachment", args=[attachment.pk, "thumb"]))
    assert response["Content-Type"] == "image/jpeg" and response["Content-Security-Policy"] == "sandbox"
    assert not SecurityEvent.objects.filter(action=SecurityKind.DOWNLOAD).exists()


def test_downloading_the_file_itself_is_in_the_security_log(login, boss, general_self_found):
    attachment = attachment_add(actor=boss, hazard_id=general_self_found.hazard.pk, upload=photo("整改后.jpg"))
    login(boss).get(reverse("hazards:attachment", args=[attachment.pk, "file"]))
    event = SecurityEvent.objects.get(action=SecurityKind.DOWNLOAD)
    assert event.actor_id == boss.pk and event.payload["file"] == "整改后.jpg"


def test_an_image_over_the_pixel_limit_is_refused_in_chinese(settings):
    settings.SAFELOOP_IMAGE_MAX_PIXELS = 40_000_000
    with pytest.raises(TooLarge) as refused:
        evidence_check(upload=png((8000, 6000)))  # 48 Mpx in a few kilobytes
    assert "4000 万像素" in refused.value.message and refused.value.status == 413


def test_an_image_at_the_limit_is_accepted(settings):
    settings.SAFELOOP_IMAGE_MAX_PIXELS = 1_000_000
    assert evidence_check(upload=png((1000, 1000))) == "image/png"


def test_a_decompression_bomb_is_refused_as_too_many_pixels_not_as_a_broken_file(settings):
    settings.SAFELOOP_IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(TooLarge) as refused:
        evidence_check(upload=png((3000, 3000)))  # over twice the limit: Pillow's own bomb check
    assert "像素" in refused.value.message


def test_the_upload_page_says_why_a_huge_image_was_refused(login, boss, general_self_found, settings):
    settings.SAFELOOP_IMAGE_MAX_PIXELS = 1_000_000
    client = login(boss)
    hazard = general_self_found.hazard
    client.post(reverse("hazards:upload", args=[hazard.pk]), {"file": png((2000, 2000))})
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert "像素过多" in page and hazard.attachments.count() == 0


def test_a_hazard_takes_no_more_files_than_its_quota(boss, general_self_found, settings):
    settings.SAFELOOP_HAZARD_ATTACHMENTS = 2
    hazard = general_self_found.hazard
    for n in range(2):
        attachment_add(actor=boss, hazard_id=hazard.pk, upload=png((10 + n, 10)))
    with pytest.raises(TooLarge) as refused:
        attachment_add(actor=boss, hazard_id=hazard.pk, upload=png((20, 10)))
    assert "上限（2 个）" in refused.value.message and hazard.attachments.count() == 2


def test_a_hazard_takes_no_more_bytes_than_its_quota(boss, general_self_found, settings):
    first = png((10, 10))
    settings.SAFELOOP_HAZARD_ATTACHMENT_BYTES = first.size + 10
    hazard = general_self_found.hazard
    attachment_add(actor=boss, hazard_id=hazard.pk, upload=first)
    with pytest.raises(TooLarge) as refused:
        attachment_add(actor=boss, hazard_id=hazard.pk, upload=png((12, 10)))
    assert "总大小" in refused.value.message and refused.value.code == "attachment_quota"


def test_the_api_refuses_over_the_quota_with_413(client, boss, general_self_found, settings):
    import json

    from tests.conftest import PASSWORD

    settings.SAFELOOP_HAZARD_ATTACHMENTS = 1
    hazard = general_self_found.hazard
    attachment_add(actor=boss, hazard_id=hazard.pk, upload=png((10, 10)))
    body = json.dumps({"username": boss.username, "password": PASSWORD})
    token = client.post("/api/v1/auth/token", body, content_type="application/json").json()["token"]
    response = client.post(
        f"/api/v1/hazards/{hazard.pk}/attachments", {"file": png((11, 10))}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "attachment_quota"
