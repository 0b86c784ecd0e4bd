"""Issued documents: who issues them, what they say, sealed when issued, the same bytes ever after."""

import hashlib
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from safeloop.core.models import SealedRecord
from safeloop.core.qr import qr_png
from safeloop.core.seals import sealed_bytes, verify_seals
from safeloop.hazards import documents
from safeloop.hazards.documents import HAZARD_WIDTHS, available_documents
from safeloop.hazards.history import Act, HazardWithHistory, hazards_bulk_create
from safeloop.hazards.issuers import abbreviation, unit_kind
from safeloop.hazards.models import Hazard, Status
from safeloop.hazards.services import hazard_report
from tests.conftest import make_enterprise
from tests.hazards.conftest import Loop

TODAY = "2026-11-02 09:00 +0800"
pytestmark = pytest.mark.usefixtures("reference")


def finding(actor, enterprise, **data) -> Loop:
    fields = {"enterprise": enterprise.pk, "source": "regulator", "description": "消防通道堆放杂物"}
    return Loop(hazard_report(actor=actor, data=fields | data))


def ordered(loop: Loop, actor, deadline: str = "2026-11-30") -> Loop:
    loop.act(actor, "confirm")
    loop.act(actor, "assign", responsible_unit="仓库", responsible_person="张伟", deadline=deadline)
    return loop


def accepted(loop: Loop, actor, worker, opinion: str) -> Loop:
    loop.act(worker, "start")
    loop.act(worker, "submit_rectification", note="已清理", attachments=[loop.upload(worker)])
    loop.act(actor, "accept", opinion=opinion)
    return loop


def text_of(content: bytes) -> str:
    """Every piece of text in the document, tables and the signature block included."""
    return "".join(t.text for t in Document(io.BytesIO(content)).element.body.iter(qn("w:t")))


def download(client, hazard: Hazard, kind: str):
    return client.get(reverse("hazards:document", args=[hazard.pk, kind]))


def sealed(hazard: Hazard, kind: str) -> SealedRecord:
    return SealedRecord.objects.get(target_type="hazards.hazard", target_id=str(hazard.pk), kind=f"hazards.{kind}")


# ---------------------------------------------------------------- the issuing body


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("zone_town", ["430972005", "430971121"], ids=["高新区", "大通湖管理区"])
def test_management_zone_hazard_is_numbered_and_issued_by_the_citys_bureau(zone_town, city_user):
    loop = ordered(finding(city_user, make_enterprise(region=zone_town)), city_user)
    assert loop.hazard.order_no == "益阳应急责改〔2026〕1号"
    text = text_of(sealed_bytes(sealed(loop.hazard, "order")))
    assert "益阳市应急管理局" in text and "向益阳市人民政府申请行政复议" in text
    assert "湖南" not in text and "湖南" not in loop.hazard.order_no


@time_machine.travel(TODAY, tick=False)
def test_both_zones_and_the_city_share_one_sequence_of_city_numbers(city_user):
    first = ordered(finding(city_user, make_enterprise(region="430972005")), city_user)
    second = ordered(finding(city_user, make_enterprise(region="430971121")), city_user)
    assert (first.hazard.order_no, second.hazard.order_no) == ("益阳应急责改〔2026〕1号", "益阳应急责改〔2026〕2号")


@time_machine.travel(TODAY, tick=False)
def test_district_hazard_is_issued_by_the_district_bureau(heshan_user, heshan_enterprise):
    loop = ordered(finding(heshan_user, heshan_enterprise), heshan_user)
    assert loop.hazard.order_no == "赫山应急责改〔2026〕1号"
    assert sealed(loop.hazard, "order").issuer == "益阳市赫山区应急管理局"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("赫山区", "赫山"),
        ("桃江县", "桃江"),
        ("沅江市", "沅江"),
        ("益阳市", "益阳"),
        ("南县", "南县"),
        ("城步苗族自治县", "城步"),
        ("湘西土家族苗族自治州", "湘西"),
    ],
)
def test_abbreviation_is_the_place_name_without_its_type(name, short):
    assert abbreviation(name) == short


@pytest.mark.parametrize(
    ("code", "kind"),
    [("430903", "district"), ("430922", "county"), ("430981", "county"), ("430972", "zone"), ("430900", "city")],
)
def test_kind_of_county_level_unit_comes_from_its_code(code, kind):
    assert unit_kind(code) == kind


# ---------------------------------------------------------------- what is issued, and what it says


@time_machine.travel(TODAY, tick=False)
def test_review_states_the_inspectors_actual_opinion(ziyang_user, ziyang_enterprise, worker, login):
    loop = accepted(
        ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user), ziyang_user, worker, "通道已清空，现场复查合格"
    )
    text = text_of(download(login(ziyang_user), loop.hazard, "review").content)
    assert "通道已清空，现场复查合格" in text and "已整改" not in text
    assert "资阳应急复查〔2026〕1号" in text and "（资阳应急责改〔2026〕1号）" in text


@time_machine.travel(TODAY, tick=False)
def test_self_found_hazard_assigned_by_the_enterprise_issues_no_notice(general_self_found, boss, login):
    loop = general_self_found
    loop.act(boss, "confirm")
    loop.act(boss, "assign", responsible_unit="二号车间", responsible_person="王强", deadline_days=5)
    assert available_documents(loop.hazard) == []
    assert not SealedRecord.objects.exists()
    assert download(login(boss), loop.hazard, "notice").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_regulator_assigning_a_self_found_major_hazard_issues_a_notice(boss, expert, ziyang_user, login):
    loop = Loop(
        hazard_report(
            actor=boss,
            data={"source": "self_check", "level": "major", "clause": "GM10-11-03", "description": "除尘系统未泄爆"},
        )
    )
    loop.act(expert, "sign", stage="confirmation")
    loop.act(boss, "sign", stage="confirmation")
    ordered(loop, ziyang_user, deadline="2026-12-31")
    assert loop.hazard.order_no == "" and available_documents(loop.hazard) == [("notice", "隐患整改通知书")]
    text = text_of(download(login(boss), loop.hazard, "notice").content)
    assert "于2026年12月31日前整改完毕" in text and "益阳市资阳区应急管理局" in text
    assert "整改责任单位：仓库；整改责任人：张伟。" in text


@time_machine.travel(TODAY, tick=False)
def test_order_layout_dates_officers_seal_and_receipt(ziyang_user, ziyang_enterprise, login):
    loop = ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user)
    content = download(login(ziyang_user), loop.hazard, "order").content
    document = Document(io.BytesIO(content))
    assert [round(c.width.mm) for c in document.tables[0].columns] == list(HAZARD_WIDTHS)
    text = text_of(content)
    assert (
        "于2026年11月30日前整改完毕" in text
        and "2026年11月2日" in text
        and "2026-" not in text.replace("YH-430902-2026-", "")
    )
    officers = [p.text for p in document.paragraphs if p.text.startswith("执法人员：")]
    assert officers[0].startswith(f"执法人员：{ziyang_user}\t证号：") and len(officers) == 2
    assert "（印章）" in text and "被检查单位负责人（签名）：" in text


@time_machine.travel(TODAY, tick=False)
def test_an_extension_does_not_rewrite_the_issued_order(ziyang_user, ziyang_enterprise, worker, login):
    loop = ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user, deadline="2026-11-30")
    loop.act(worker, "start")
    loop.act(worker, "request_extension", deadline="2026-12-31", reason="设备到货延迟")
    loop.act(ziyang_user, "decide_extension", approve=True, reason="同意")
    assert loop.hazard.deadline == date(2026, 12, 31)
    text = text_of(download(login(ziyang_user), loop.hazard, "order").content)
    assert "于2026年11月30日前整改完毕" in text and "2026年12月31日" not in text


@time_machine.travel(TODAY, tick=False)
def test_a_reopened_hazard_gets_a_new_review_when_accepted_again(ziyang_user, ziyang_enterprise, worker, login):
    loop = accepted(ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user), ziyang_user, worker, "第一次合格")
    loop.act(ziyang_user, "reopen", reason="复查发现复燃", deadline="2026-11-20")
    assert [kind for kind, _ in available_documents(loop.hazard)] == ["order"]
    loop.act(worker, "submit_rectification", note="再次整改", attachments=[loop.upload(worker)])
    loop.act(ziyang_user, "accept", opinion="第二次合格")
    text = text_of(download(login(ziyang_user), loop.hazard, "review").content)
    assert "第二次合格" in text and "资阳应急复查〔2026〕2号" in text


# ---------------------------------------------------------------- sealed when issued, the same bytes ever after


@time_machine.travel(TODAY, tick=False)
def test_the_order_is_sealed_by_the_assign_action(ziyang_user, ziyang_enterprise):
    loop = ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user)
    record = sealed(loop.hazard, "order")
    assert (record.number, record.title, record.issued_on) == (
        loop.hazard.order_no,
        "责令限期整改指令书",
        date(2026, 11, 2),
    )
    assert record.sealed_by == ziyang_user


@time_machine.travel(TODAY, tick=False)
def test_a_failure_to_seal_undoes_the_assignment(ziyang_user, ziyang_enterprise, monkeypatch):
    loop = finding(ziyang_user, ziyang_enterprise)
    loop.act(ziyang_user, "confirm")

    def broken(**kwargs):
        raise OSError("storage unavailable")

    monkeypatch.setattr(documents, "record_seal", broken)
    with pytest.raises(OSError):
        loop.act(ziyang_user, "assign", responsible_unit="仓库", responsible_person="张伟", deadline="2026-11-30")
    loop.hazard.refresh_from_db()
    assert (loop.hazard.status, loop.hazard.order_no, loop.hazard.events.count()) == (Status.CONFIRMED, "", 2)


@time_machine.travel(TODAY, tick=False)
def test_two_downloads_give_the_same_sealed_bytes(ziyang_user, ziyang_enterprise, login):
    loop = ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user)
    client = login(ziyang_user)
    first, second = download(client, loop.hazard, "order"), download(client, loop.hazard, "order")
    assert first.content == second.content
    assert hashlib.sha256(first.content).hexdigest() == sealed(loop.hazard, "order").sha256
    assert SealedRecord.objects.count() == 1 and list(verify_seals()) == []


def imported(enterprise, deadline: date) -> Hazard:
    """A regulator-ordered hazard from the demo generator's history: no seal, no person named."""
    at = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # 15:30 in 益阳
    hazard = Hazard(
        enterprise=enterprise,
        code="YH-430902-2026-900001",
        description="安全出口指示灯损坏",
        source="regulator",
        found_on=date(2026, 3, 1),
        deadline=deadline,
    )
    payload = {"deadline": "2026-03-31", "responsible_unit": "办公楼", "order_no": "资阳应急责改〔2026〕77号"}
    acts = [
        Act("report", at, Status.REPORTED, "益阳市资阳区应急管理局", "county", {"imported": True}),
        Act("confirm", at, Status.CONFIRMED, "益阳市资阳区应急管理局", "county", {}),
        Act("assign", at, Status.ASSIGNED, "益阳市资阳区应急管理局", "county", payload),
    ]
    hazard.order_no, hazard.responsible_person = payload["order_no"], "赵六"
    hazards_bulk_create(items=[HazardWithHistory(hazard, acts)])
    return Hazard.objects.get(code=hazard.code)


def test_generated_history_is_sealed_on_first_download_from_its_events(ziyang_user, ziyang_enterprise, login):
    hazard = imported(ziyang_enterprise, deadline=date(2026, 4, 30))  # extended since
    assert not SealedRecord.objects.exists()
    client = login(ziyang_user)
    first = download(client, hazard, "order")
    text = text_of(first.content)
    assert "于2026年3月31日前整改完毕" in text and "2026年4月30日" not in text
    assert "2026年3月2日" in text and "资阳应急责改〔2026〕77号" in text and "张伟" not in text
    assert "执法人员：\u3000" in text  # a generated history names no officer: left to sign
    assert download(client, hazard, "order").content == first.content
    assert SealedRecord.objects.count() == 1
    assert sealed(hazard, "order").sealed_by == ziyang_user


# ---------------------------------------------------------------- the QR code and the public page


@time_machine.travel(TODAY, tick=False)
def test_the_qr_code_opens_the_verification_page_at_the_public_address(ziyang_user, ziyang_enterprise, settings):
    settings.SAFELOOP_PUBLIC_BASE_URL = "https://safeloop.yiyang.gov.cn"
    loop = ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user)
    record = sealed(loop.hazard, "order")
    pictures = [part.blob for part in Document(io.BytesIO(sealed_bytes(record))).part.package.image_parts]
    assert pictures == [qr_png(f"https://safeloop.yiyang.gov.cn/verify/{record.token}/")]


@time_machine.travel(TODAY, tick=False)
def test_without_a_public_address_the_qr_code_uses_the_host_that_issued_it(
    ziyang_user, ziyang_enterprise, login, settings
):
    settings.SAFELOOP_PUBLIC_BASE_URL = ""
    loop = finding(ziyang_user, ziyang_enterprise)
    loop.act(ziyang_user, "confirm")
    client = login(ziyang_user)
    form = {
        "version": loop.hazard.version,
        "responsible_unit": "仓库",
        "responsible_person": "张伟",
        "deadline": "2026-11-30",
    }
    client.post(reverse("hazards:act", args=[loop.hazard.pk, "assign"]), form)
    record = sealed(loop.hazard, "order")
    pictures = [part.blob for part in Document(io.BytesIO(sealed_bytes(record))).part.package.image_parts]
    assert pictures == [qr_png(f"http://testserver/verify/{record.token}/")]


@time_machine.travel(TODAY, tick=False)
def test_verification_page_shows_only_what_the_document_publishes(ziyang_user, ziyang_enterprise, client):
    loop = ordered(finding(ziyang_user, ziyang_enterprise, location="危化品仓库"), ziyang_user)
    record = sealed(loop.hazard, "order")
    body = client.get(reverse("core:verify", args=[record.token])).content.decode()
    for shown in ("责令限期整改指令书", loop.hazard.order_no, "益阳市资阳区应急管理局", "2026年11月2日", record.sha256):
        assert shown in body
    hidden = [loop.hazard.code, "消防通道", "危化品仓库", ziyang_enterprise.name, ziyang_enterprise.credit_code]
    hidden += ["张伟", "仓库", str(ziyang_user), "退出", "隐患台账"]
    assert [word for word in hidden if word in body] == []


@time_machine.travel(TODAY, tick=False)
def test_verification_page_tells_the_original_from_an_altered_copy(ziyang_user, ziyang_enterprise, client):
    loop = ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user)
    record = sealed(loop.hazard, "order")
    original = sealed_bytes(record)
    url = reverse("core:verify", args=[record.token])
    same = client.post(url, {"file": SimpleUploadedFile("指令书.docx", original)}).content.decode()
    altered = client.post(url, {"file": SimpleUploadedFile("指令书.docx", original + b"\0")}).content.decode()
    assert "一致：" in same and "不一致" not in same
    assert "不一致：" in altered


@time_machine.travel(TODAY, tick=False)
def test_a_tampered_sealed_file_is_refused_not_served(ziyang_user, ziyang_enterprise, login):
    loop = ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user)
    record = sealed(loop.hazard, "order")
    default_storage.delete(record.file)
    default_storage.save(record.file, ContentFile(b"forged"))
    response = download(login(ziyang_user), loop.hazard, "order")
    assert response.status_code == 409 and b"forged" not in response.content
    assert any("文件被修改或替换" in str(p) for p in verify_seals())


@time_machine.travel(TODAY, tick=False)
def test_downloading_a_document_is_in_the_security_log(ziyang_user, ziyang_enterprise, login):
    from safeloop.core.models import SecurityEvent, SecurityKind

    loop = ordered(finding(ziyang_user, ziyang_enterprise), ziyang_user)
    download(login(ziyang_user), loop.hazard, "order")
    event = SecurityEvent.objects.filter(action=SecurityKind.DOWNLOAD).get()
    assert event.actor_id == ziyang_user.pk and event.payload["id"] == loop.hazard.code
    assert event.payload["number"] == sealed(loop.hazard, "order").number
