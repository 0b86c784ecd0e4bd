"""即查即改: a general hazard found and fixed on the spot, recorded in one act that runs the
table's own rows (report → confirm → assign → start → submit_rectification → accept → close)."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeloop.accounts.models import Notification
from safeloop.core.errors import Forbidden, UnsupportedType, ValidationFailed
from safeloop.core.models import SealedRecord
from safeloop.hazards.events import verify_all
from safeloop.hazards.models import Attachment, Hazard, Status
from safeloop.hazards.on_spot import hazard_fix_on_spot
from safeloop.hazards.services import hazard_report
from safeloop.hazards.workflow import available_actions
from tests.conftest import PASSWORD
from tests.hazards.conftest import Loop, photo

TODAY = "2026-11-02 09:00 +0800"
ON_SPOT_ACTS = ["report", "confirm", "assign", "start", "submit_rectification", "accept"]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def record(enterprise=None, **fields) -> dict:
    data = {
        "description": "消防通道堆放纸箱",
        "location": "一号仓库",
        "nature": "thing",
        "before": [photo("before.jpg")],
        "after": [photo("after.jpg"), photo("after2.jpg")],
        "fixer": "仓管员李四",
    }
    return data | ({"enterprise": enterprise.pk} if enterprise else {}) | fields


def test_an_inspector_records_a_fix_on_the_spot_as_the_tables_acts_in_one_go(ziyang_user, ziyang_enterprise):
    hazard = hazard_fix_on_spot(actor=ziyang_user, data=record(ziyang_enterprise, note="当场清理"))
    assert (hazard.status, hazard.level, hazard.source, hazard.on_spot) == (Status.CLOSED, "general", "regulator", True)
    assert list(hazard.events.values_list("action", flat=True)) == [*ON_SPOT_ACTS, "close"]
    assert hazard.events.values_list("actor", flat=True).distinct().get() == ziyang_user.pk
    assert (hazard.fixer_name, hazard.rectified_by, hazard.accepted_by_name) == ("仓管员李四", None, str(ziyang_user))
    assert hazard.look_back_due == date(2026, 12, 2)  # scheduled like any other closed hazard
    assert hazard.order_no == ""  # ordered removed on the spot, not given a 限期整改 order
    assert not SealedRecord.objects.exists()  # nor a 隐患整改通知书 for what is already fixed
    assert list(verify_all()) == []


def test_the_before_photos_go_with_the_report_and_the_after_photos_prove_the_rectification(
    ziyang_user, ziyang_enterprise
):
    hazard = hazard_fix_on_spot(actor=ziyang_user, data=record(ziyang_enterprise))
    kinds = dict(Attachment.objects.filter(hazard=hazard).values_list("original_name", "kind"))
    assert kinds == {"before.jpg": "hazard", "after.jpg": "rectification", "after2.jpg": "rectification"}
    report, submit = (hazard.events.get(action=action) for action in ("report", "submit_rectification"))
    before = Attachment.objects.get(hazard=hazard, kind="hazard")
    assert report.attachments == [before.sha256] and report.payload["on_spot"] is True
    assert sorted(submit.attachments) == sorted(a.sha256 for a in hazard.attachments.filter(kind="rectification"))
    assert submit.payload["fixer"] == "仓管员李四"


def test_the_enterprise_records_a_fix_found_in_its_own_self_check(boss, ziyang_enterprise):
    hazard = hazard_fix_on_spot(actor=boss, data=record(enterprise=None, fixer="电工王强"))
    assert (hazard.enterprise, hazard.source, hazard.status) == (ziyang_enterprise, "self_check", Status.CLOSED)


def test_a_township_record_stops_at_accepted_for_the_county_to_close(township_user, ziyang_enterprise, ziyang_user):
    hazard = hazard_fix_on_spot(actor=township_user, data=record(ziyang_enterprise))
    assert (hazard.status, hazard.source) == (Status.ACCEPTED, "township_patrol")
    assert list(hazard.events.values_list("action", flat=True)) == ON_SPOT_ACTS
    assert "close" in {t.action for t in available_actions(ziyang_user, hazard)}


def test_the_recorder_may_not_name_themselves_as_the_fixer(ziyang_user, ziyang_enterprise):
    with pytest.raises(ValidationFailed) as refused:
        hazard_fix_on_spot(actor=ziyang_user, data=record(ziyang_enterprise, fixer=str(ziyang_user)))
    assert refused.value.fields == {"fixer": "整改人不能是记录人本人：验收须由整改人以外的人进行"}
    assert not Hazard.objects.exists()


def test_every_missing_field_is_named_at_once(ziyang_user, ziyang_enterprise):
    with pytest.raises(ValidationFailed) as refused:
        hazard_fix_on_spot(actor=ziyang_user, data={"enterprise": ziyang_enterprise.pk})
    assert refused.value.fields == {
        "description": "隐患描述为必填项",
        "fixer": "整改人为必填项",
        "before": "请拍摄或选择整改前照片",
        "after": "请拍摄或选择整改后照片",
    }


def test_one_bad_after_photo_refuses_the_whole_record_and_nothing_is_saved(ziyang_user, ziyang_enterprise):
    bad = SimpleUploadedFile("after.jpg", b"not a picture at all", content_type="image/jpeg")
    with pytest.raises(UnsupportedType) as refused:
        hazard_fix_on_spot(actor=ziyang_user, data=record(ziyang_enterprise, after=[photo(), bad]))
    assert refused.value.status == 415
    assert refused.value.fields["after"].startswith("“after.jpg”不是可接受的照片或文件")
    assert "image/" not in refused.value.fields["after"]  # no file-type codes for the user
    assert not Hazard.objects.exists() and not Attachment.objects.exists()
    assert hazard_fix_on_spot(actor=ziyang_user, data=record(ziyang_enterprise)).code.endswith("-000001")


@pytest.mark.parametrize("who", ["expert", "sysadmin_user"])
def test_experts_and_the_system_administrator_do_not_record(who, request, ziyang_enterprise):
    with pytest.raises(Forbidden):
        hazard_fix_on_spot(actor=request.getfixturevalue(who), data=record(ziyang_enterprise))


def test_an_enterprise_outside_the_recorders_scope_is_refused_as_unknown(heshan_user, ziyang_enterprise):
    with pytest.raises(ValidationFailed) as refused:
        hazard_fix_on_spot(actor=heshan_user, data=record(ziyang_enterprise))
    assert refused.value.fields == {"enterprise": "企业不存在或不在您的管辖范围内"}


def test_the_record_is_told_once_when_complete(
    django_capture_on_commit_callbacks, ziyang_user, ziyang_enterprise, boss, township_user
):
    with django_capture_on_commit_callbacks(execute=True):
        hazard = hazard_fix_on_spot(actor=ziyang_user, data=record(ziyang_enterprise))
    told = Notification.objects.values_list("kind", "user__username")
    assert set(told) == {("fix_on_spot", boss.username), ("fix_on_spot", township_user.username)}
    assert Notification.objects.get(user=boss).title == f"{hazard.code}：即查即改：隐患已当场整改并验收（已销号）"


def test_a_reopened_on_the_spot_hazard_is_rectified_and_accepted_like_any_other(
    ziyang_user, ziyang_enterprise, boss, worker
):
    loop = Loop(hazard_fix_on_spot(actor=ziyang_user, data=record(ziyang_enterprise)))
    loop.act(ziyang_user, "reopen", reason="现场复查又堆放了纸箱", deadline_days=3)
    assert not loop.hazard.on_spot
    assert "submit_rectification" not in {t.action for t in available_actions(ziyang_user, loop.hazard)}
    loop.act(worker, "submit_rectification", note="已清走", attachments=[loop.upload(worker)])
    assert loop.hazard.rectified_by == worker
    assert "accept" not in {t.action for t in available_actions(worker, loop.hazard)}


def test_a_regulator_cannot_submit_for_an_enterprise_outside_an_on_the_spot_record(
    ziyang_user, ziyang_enterprise, boss, worker
):
    loop = Loop(
        hazard_report(
            actor=ziyang_user,
            data={"enterprise": ziyang_enterprise.pk, "source": "regulator", "description": "灭火器过期"},
        )
    )
    loop.act(ziyang_user, "confirm")
    loop.act(ziyang_user, "assign", responsible_unit="仓库", responsible_person="李", deadline_days=3)
    loop.act(worker, "start")
    assert "submit_rectification" not in {t.action for t in available_actions(ziyang_user, loop.hazard)}


def test_the_enterprise_page_and_the_ledger_lead_to_the_form_with_the_enterprise_chosen(
    login, ziyang_user, ziyang_enterprise, expert
):
    client = login(ziyang_user)
    link = f"{reverse('hazards:on_spot')}?enterprise={ziyang_enterprise.pk}"
    assert link in client.get(reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk])).content.decode()
    assert f'href="{reverse("hazards:on_spot")}"' in client.get(reverse("hazards:ledger")).content.decode()
    form = client.get(link).content.decode()
    assert f'value="{ziyang_enterprise.pk}" checked> {ziyang_enterprise.name}' in form
    assert 'name="before" type="file" accept="image/*" capture="environment" multiple' in form
    page = login(expert).get(reverse("registry:enterprise_detail", args=[ziyang_enterprise.pk])).content.decode()
    assert reverse("hazards:on_spot") not in page


def test_the_page_records_and_a_refusal_keeps_what_was_typed(login, ziyang_user, ziyang_enterprise):
    client = login(ziyang_user)
    typed = record(ziyang_enterprise, after=[SimpleUploadedFile("a.jpg", b"text", content_type="image/jpeg")])
    refused = client.post(reverse("hazards:on_spot"), typed)
    assert list(refused.context["form"].errors) == ["after"]
    body = refused.content.decode()
    assert "消防通道堆放纸箱" in body and 'value="仓管员李四"' in body and 'value="一号仓库"' in body
    done = client.post(reverse("hazards:on_spot"), record(ziyang_enterprise))
    hazard = Hazard.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("hazards:detail", args=[hazard.pk])


def test_the_api_records_a_fix_on_the_spot_with_the_same_fields_and_messages(client, ziyang_user, ziyang_enterprise):
    token = client.post(
        "/api/v1/auth/token", {"username": ziyang_user.username, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    refused = client.post("/api/v1/hazards/fixed-on-spot", {"enterprise": ziyang_enterprise.pk}, headers=headers)
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["before"] == "请拍摄或选择整改前照片"
    done = client.post("/api/v1/hazards/fixed-on-spot", record(ziyang_enterprise), headers=headers)
    assert done.status_code == 201, done.content.decode()
    assert (done.json()["status"], done.json()["on_spot"], done.json()["fixer_name"]) == ("closed", True, "仓管员李四")
