"""Evidence is typed: 隐患照片 (the hazard as found) or 整改照片及证明. A "before" photo can never
close a hazard: only rectification evidence uploaded since 开始整改 and not used yet may be named
in 提交整改, the table's row says so, and the page never ticks it for the user."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from safeloop.core.errors import ValidationFailed
from safeloop.hazards.models import Attachment, EvidenceKind, HazardEvent
from safeloop.hazards.services import attachment_add
from safeloop.hazards.workflow import HAZARD_FLOW, PROOF, TRANSITIONS
from tests.hazards.conftest import photo
from tests.hazards.test_api import api, ok  # noqa: F401 - fixture

TODAY = "2026-11-02 09:00 +0800"
DATA_MIGRATION = import_module("safeloop.hazards.migrations.0004_attachment_kind_from_events")
SUBMIT = next(t for t in TRANSITIONS if t.action == "submit_rectification")


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def assigned(general_self_found, boss):
    loop = general_self_found
    loop.act(boss, "confirm")
    loop.act(boss, "assign", responsible_unit="二号车间", responsible_person="王强", deadline_days=5)
    return loop


def upload(loop, actor, kind=""):
    return attachment_add(actor=actor, hazard_id=loop.hazard.pk, upload=photo(), kind=kind)


def test_before_work_starts_a_file_can_only_show_the_hazard(assigned, worker):
    assert upload(assigned, worker).kind == EvidenceKind.HAZARD
    with pytest.raises(ValidationFailed) as refused:
        upload(assigned, worker, kind="rectification")
    assert refused.value.fields == {"kind": "开始整改前只能上传隐患照片；整改照片及证明请在开始整改后上传"}


def test_once_work_has_started_the_uploader_says_which_it_is(assigned, worker):
    assigned.act(worker, "start")
    assert upload(assigned, worker).kind == EvidenceKind.RECTIFICATION
    assert upload(assigned, worker, kind="hazard").kind == EvidenceKind.HAZARD


def test_a_before_photo_cannot_prove_the_rectification(assigned, worker):
    before = upload(assigned, worker)
    assigned.act(worker, "start")
    with pytest.raises(ValidationFailed) as refused:
        assigned.act(worker, "submit_rectification", note="已接地", attachments=[before.pk])
    assert refused.value.fields == {"attachments": "只能选择开始整改后上传、尚未使用过的整改照片或证明"}


def test_a_hazard_photo_taken_during_the_work_cannot_prove_it_either(assigned, worker):
    assigned.act(worker, "start")
    during = upload(assigned, worker, kind="hazard")
    with pytest.raises(ValidationFailed):
        assigned.act(worker, "submit_rectification", note="已接地", attachments=[during.pk])


def test_proof_is_used_once(assigned, boss, worker):
    assigned.act(worker, "start")
    proof = upload(assigned, worker)
    assigned.act(worker, "submit_rectification", note="已接地", attachments=[proof.pk])
    assigned.act(boss, "reject", reason="接地线太细")
    with pytest.raises(ValidationFailed) as refused:
        assigned.act(worker, "submit_rectification", note="再交一次", attachments=[proof.pk])
    assert "attachments" in refused.value.fields


def test_the_table_row_decides_what_may_be_named(assigned, worker):
    upload(assigned, worker)  # before the start: 隐患照片
    assigned.act(worker, "start")
    proof = upload(assigned, worker)
    upload(assigned, worker, kind="hazard")
    assert SUBMIT.picks == (PROOF,)
    assert HAZARD_FLOW.options(SUBMIT, assigned.hazard) == {"attachments": [(str(proof.pk), proof.original_name)]}


def test_the_page_offers_only_the_proof_and_never_ticks_it(login, assigned, worker):
    before = upload(assigned, worker)
    assigned.act(worker, "start")
    proof = upload(assigned, worker)
    body = login(worker).get(reverse("hazards:detail", args=[assigned.hazard.pk])).content.decode()
    assert f'name="attachments" value="{proof.pk}">' in body  # offered, not checked
    assert f'name="attachments" value="{before.pk}"' not in body
    assert "checked" not in body.split('name="attachments"')[1].split(">")[0]


def test_the_page_shows_the_two_kinds_apart_and_lets_the_uploader_choose_after_the_start(login, assigned, worker):
    client = login(worker)
    page = client.get(reverse("hazards:detail", args=[assigned.hazard.pk])).content.decode()
    assert 'type="hidden" name="kind" value="hazard"' in page and 'type="radio"' not in page
    upload(assigned, worker)
    assigned.act(worker, "start")
    client.post(
        reverse("hazards:upload", args=[assigned.hazard.pk]), {"file": photo("done.jpg"), "kind": "rectification"}
    )
    page = client.get(reverse("hazards:detail", args=[assigned.hazard.pk])).content.decode()
    found, proven = page.split('id="evidence"')[1].split("<h3>整改照片及证明</h3>")
    assert "after.jpg" in found and "done.jpg" not in found
    assert "done.jpg" in proven and "after.jpg" not in proven
    assert 'type="radio" name="kind" value="rectification" checked' in page


def test_the_api_takes_and_returns_the_kind_and_names_a_wrong_one_in_chinese(api, assigned, worker):  # noqa: F811
    caller = api(worker)
    refused = caller.upload(assigned.hazard.pk, kind="rectification")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"kind": "开始整改前只能上传隐患照片；整改照片及证明请在开始整改后上传"}
    assert ok(caller.upload(assigned.hazard.pk), 201)["kind"] == "hazard"


def test_the_openapi_documents_the_kinds(api, worker):  # noqa: F811
    schema = api(worker).get("/openapi.json").json()
    upload = schema["paths"]["/api/v1/hazards/{hazard_id}/attachments"]["post"]
    body = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["properties"]["kind"]["enum"] == ["hazard", "rectification"]
    out = schema["components"]["schemas"]["AttachmentOut"]["properties"]["kind"]
    assert "hazard：隐患照片" in out["description"] and "rectification：整改照片及证明" in out["description"]


def test_existing_files_get_their_kind_from_the_start_event(assigned, worker):
    early = upload(assigned, worker)
    assigned.act(worker, "start")
    late = upload(assigned, worker)
    Attachment.objects.update(kind="hazard")  # as the schema migration left them
    started = HazardEvent.objects.get(action="start").at
    Attachment.objects.filter(pk=early.pk).update(uploaded_at=started - timedelta(minutes=5))
    DATA_MIGRATION.kinds_from_events(apps, None)
    assert dict(Attachment.objects.values_list("pk", "kind")) == {early.pk: "hazard", late.pk: "rectification"}
