"""Submitting, routing, triage, hazards from reports, rewards, confidentiality."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from safeloop.core.chain import chain_verify_all
from safeloop.core.errors import Conflict, Locked, NotFound, UnsupportedType, ValidationFailed
from safeloop.hazards.models import Hazard, Source
from safeloop.reporting.models import HandlerKind, Report, ReportEvent, ReportStatus, RewardStatus
from safeloop.reporting.selectors import (
    MechanismState,
    identity_for,
    mechanism_state,
    phase_of,
    report_by_code,
    reports_visible,
)
from safeloop.reporting.services import report_submit, similarity, suspected_spam
from safeloop.reporting.workflow import report_act
from tests.conftest import ZIYANG_TOWN, make_enterprise
from tests.reporting.conftest import photo, submission

pytestmark = pytest.mark.django_db


def test_a_public_report_goes_to_the_township_with_the_policy_deadline(ziyang_enterprise, policy):
    report = report_submit(data=submission(ziyang_enterprise, photos=[photo()]), address="1.2.3.4")
    assert report.channel == "public" and report.handler_kind == HandlerKind.TOWNSHIP
    assert (
        report.region_id == ZIYANG_TOWN and report.respond_by is not None and report.respond_by > timezone.localdate()
    )
    assert report.photos.count() == 1 and len(report.code) == 12
    assert not hasattr(report, "identity") or not report.identity.name
    [event] = ReportEvent.objects.filter(report=report)
    assert event.action == "submit" and event.attachments == [report.photos.get().sha256]


def test_without_a_policy_there_is_no_deadline(ziyang_enterprise):
    assert report_submit(data=submission(ziyang_enterprise), address="1.2.3.4").respond_by is None


def test_an_internal_report_goes_to_the_designated_handler_else_to_the_township(ziyang_enterprise, policy, reference):
    first = report_submit(data=submission(ziyang_enterprise, reporter="employee"), address="1.1.1.1")
    assert first.channel == "internal" and first.handler_kind == HandlerKind.TOWNSHIP  # no mechanism yet
    other = make_enterprise()
    second = report_submit(
        data=submission(other, reporter="employee", description="配电室门锁损坏无人看管"), address="1.1.1.2"
    )
    assert second.handler_kind == HandlerKind.TOWNSHIP


def test_an_internal_report_with_a_mechanism_goes_to_the_enterprise(ziyang_enterprise, mechanism, policy):
    report = report_submit(data=submission(ziyang_enterprise, reporter="employee"), address="1.1.1.1")
    assert report.handler_kind == HandlerKind.ENTERPRISE and report.respond_by is not None


def test_bad_input_names_the_field_in_chinese_and_stores_nothing(ziyang_enterprise):
    with pytest.raises(ValidationFailed) as caught:
        report_submit(
            data={"reporter": "citizen", "description": "<script>alert(1)</script>有隐患啊啊啊"}, address="198.51.100.2"
        )
    fields = caught.value.fields
    assert "网页代码" in fields["description"] and "township" in fields and "kind" in fields
    with pytest.raises(ValidationFailed) as caught:
        report_submit(data=submission(None, reporter="employee", township=ZIYANG_TOWN), address="198.51.100.3")
    assert "二维码" in caught.value.fields["reporter"]
    assert Report.objects.count() == 0


def test_a_wrong_file_type_is_refused_and_nothing_is_stored(ziyang_enterprise):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not a photo at all" * 20, content_type="image/jpeg")
    with pytest.raises(UnsupportedType):
        report_submit(data=submission(ziyang_enterprise, photos=[fake]), address="198.51.100.4")
    assert Report.objects.count() == 0


def test_flooding_from_one_address_is_throttled_but_others_pass(ziyang_enterprise, settings):
    settings.SAFELOOP_REPORT_MAX_PER_ADDRESS = 3
    for i in range(3):
        report_submit(
            data=submission(ziyang_enterprise, description=f"第{i}处脚手架缺少防护栏杆，有坠落危险"), address="9.9.9.9"
        )
    with pytest.raises(Locked):
        report_submit(data=submission(ziyang_enterprise), address="9.9.9.9")
    report_submit(data=submission(ziyang_enterprise), address="8.8.8.8")
    assert Report.objects.count() == 4


def test_similar_reports_are_marked_as_duplicates_and_spam_is_flagged(ziyang_enterprise):
    first = report_submit(data=submission(ziyang_enterprise), address="198.51.100.1")
    again = report_submit(
        data=submission(ziyang_enterprise, description="仓库东侧消防通道被货物堵塞，灭火器压力不够"),
        address="198.51.100.5",
    )
    other = report_submit(
        data=submission(ziyang_enterprise, description="二楼配电箱没有门，电线裸露在外面"), address="198.51.100.6"
    )
    assert again.duplicate_of_id == first.pk and other.duplicate_of_id is None
    assert similarity("消防通道堵塞", "消防通道堵塞") == 1.0 and similarity("消防通道堵塞", "配电箱没门") == 0.0
    assert suspected_spam("啊啊啊啊啊啊啊啊啊啊啊啊") and suspected_spam("看这里 http://x.cn 便宜")
    assert not suspected_spam("仓库东侧消防通道被货物堵塞")


def test_the_township_verifies_and_the_report_becomes_a_linked_hazard(ziyang_enterprise, township_user, policy):
    report = report_submit(data=submission(ziyang_enterprise, photos=[photo()]), address="198.51.100.1")
    report = report_act(report_id=report.pk, actor=township_user, action="accept", version=1)
    assert report.status == ReportStatus.CHECKING and report.first_response_at is not None
    report = report_act(
        report_id=report.pk, actor=township_user, action="verify", version=report.version, data={"level": "general"}
    )
    hazard = Hazard.objects.get(pk=report.hazard_id)
    assert hazard.source == Source.PUBLIC_REPORT and hazard.enterprise_id == ziyang_enterprise.pk
    assert hazard.attachments.count() == 1 and report.status == ReportStatus.VERIFIED
    assert list(chain_verify_all(ReportEvent)) == []


def test_an_internal_report_verified_by_the_enterprise_is_an_internal_report_hazard(
    ziyang_enterprise, mechanism, handler_user, enterprise_user
):
    report = report_submit(data=submission(ziyang_enterprise, reporter="employee"), address="198.51.100.1")
    with pytest.raises(Exception) as refused:  # another enterprise account is not the designated handler
        report_act(report_id=report.pk, actor=enterprise_user, action="accept", version=1)
    assert refused.value.__class__.__name__ == "Forbidden"
    report_act(report_id=report.pk, actor=handler_user, action="accept", version=1)
    rewritten = {"level": "general", "description": "仓库消防通道堵塞，灭火器压力不足"}
    report = report_act(report_id=report.pk, actor=handler_user, action="verify", version=2, data=rewritten)
    hazard = Hazard.objects.get(pk=report.hazard_id)
    assert hazard.source == Source.INTERNAL_REPORT and hazard.description == rewritten["description"]
    report = report_act(report_id=report.pk, actor=handler_user, action="decide_reward", version=3, data={})
    assert (
        report.reward_amount == 100
        and report.reward_status == RewardStatus.DECIDED
        and "企业奖励标准" in report.reward_basis
    )
    paid = {"reward_paid_on": str(timezone.localdate())}
    with pytest.raises(ValidationFailed) as caught:
        report_act(report_id=report.pk, actor=handler_user, action="pay_reward", version=4, data=paid)
    assert "查询码" in caught.value.fields["tracking_code"]
    with pytest.raises(ValidationFailed):
        wrong = paid | {"tracking_code": "AAAAAAAAAAAA"}
        report_act(report_id=report.pk, actor=handler_user, action="pay_reward", version=4, data=wrong)
    shown = paid | {"tracking_code": report.code.lower()}
    report = report_act(report_id=report.pk, actor=handler_user, action="pay_reward", version=4, data=shown)
    assert report.reward_status == RewardStatus.PAID


def test_a_rejected_report_keeps_a_reason_the_reporter_reads(ziyang_enterprise, township_user):
    report = report_submit(data=submission(ziyang_enterprise), address="198.51.100.1")
    with pytest.raises(ValidationFailed) as caught:
        report_act(report_id=report.pk, actor=township_user, action="reject", version=1, data={})
    assert "理由" in caught.value.fields["reason"]
    report = report_act(
        report_id=report.pk, actor=township_user, action="reject", version=1, data={"reason": "现场核查，通道畅通"}
    )
    assert (
        report.status == ReportStatus.REJECTED
        and report_by_code(report.code.lower()).public_reply == "现场核查，通道畅通"
    )
    with pytest.raises(Conflict):
        report_act(report_id=report.pk, actor=township_user, action="accept", version=2)


def test_only_the_first_valid_reporter_is_rewarded(ziyang_enterprise, township_user, policy):
    first = report_submit(data=submission(ziyang_enterprise), address="198.51.100.1")
    second = report_submit(data=submission(ziyang_enterprise), address="198.51.100.5")
    assert second.duplicate_of_id == first.pk
    for report in (first, second):
        report_act(report_id=report.pk, actor=township_user, action="accept", version=1)
        report_act(report_id=report.pk, actor=township_user, action="verify", version=2, data={"level": "general"})
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.hazard_id == first.hazard_id  # linked to the original's hazard, no second one
    report_act(report_id=first.pk, actor=township_user, action="decide_reward", version=3, data={})
    first.refresh_from_db()
    assert first.reward_amount == 200
    with pytest.raises(Conflict) as caught:
        report_act(report_id=second.pk, actor=township_user, action="decide_reward", version=3, data={})
    assert caught.value.code == "not_first"


def test_outsiders_get_not_found_and_enterprises_never_see_public_reports(
    ziyang_enterprise, heshan_user, enterprise_user, expert_user
):
    report = report_submit(data=submission(ziyang_enterprise), address="198.51.100.1")
    for outsider in (heshan_user, enterprise_user, expert_user):
        assert not reports_visible(outsider).filter(pk=report.pk).exists()
        with pytest.raises(NotFound):
            report_act(report_id=report.pk, actor=outsider, action="accept", version=1)


def test_the_identity_is_for_the_handlers_only(
    ziyang_enterprise, mechanism, handler_user, enterprise_user, township_user, ziyang_user, city_user, sysadmin_user
):
    named = {"name": "李四", "phone": "13800000000"}
    public = report_submit(data=submission(ziyang_enterprise, **named), address="198.51.100.1")
    internal = report_submit(
        data=submission(ziyang_enterprise, reporter="employee", description="车间行车限位器失效", **named),
        address="198.51.100.5",
    )
    told = report_submit(
        data=submission(
            ziyang_enterprise,
            reporter="employee",
            description="有限空间作业无人监护",
            named_to_enterprise="true",
            **named,
        ),
        address="198.51.100.6",
    )
    assert identity_for(township_user, public).name == "李四"
    for other in (enterprise_user, handler_user, ziyang_user, city_user, sysadmin_user):
        assert identity_for(other, public) is None
    assert identity_for(handler_user, internal) is None  # not named to the enterprise
    assert identity_for(handler_user, told).phone == "13800000000"
    for other in (enterprise_user, township_user, ziyang_user, city_user, sysadmin_user):
        assert identity_for(other, told) is None


def test_mechanism_states_follow_the_sector_deadline(ziyang_enterprise, mechanism, reference):
    assert phase_of(ziyang_enterprise).deadline == date(2025, 6, 30)  # hazchem: a key sector
    assert mechanism_state(date(2025, 6, 30), mechanism, date(2026, 1, 1)) == MechanismState.ESTABLISHED
    other = make_enterprise(category="education")
    assert phase_of(other).deadline == date(2025, 12, 31)
    assert mechanism_state(date(2025, 12, 31), None, date(2026, 1, 1)) == MechanismState.LATE
    assert mechanism_state(date(2025, 12, 31), None, date(2025, 7, 1)) == MechanismState.PENDING


def test_handlers_hear_of_a_new_report_and_late_enterprises_are_reminded_once_a_month(
    ziyang_enterprise, township_user, enterprise_user, django_capture_on_commit_callbacks
):
    from safeloop.accounts.models import Notification
    from safeloop.reporting.notifications import mechanism_reminders

    with django_capture_on_commit_callbacks(execute=True):
        report = report_submit(data=submission(ziyang_enterprise, name="李四"), address="198.51.100.77")
    [message] = Notification.objects.filter(user=township_user)
    assert report.reference in message.title and report.code not in message.title and "李四" not in message.title
    assert mechanism_reminders(date(2026, 1, 5)) == 1  # hazchem: its deadline 2025-06-30 has passed
    assert mechanism_reminders(date(2026, 1, 20)) == 0  # once a month
    assert Notification.objects.filter(user=enterprise_user).count() == 1
    assert mechanism_reminders(date(2025, 6, 1)) == 0  # not yet due


def test_a_transfer_moves_the_report_and_its_identity_to_the_department(
    ziyang_enterprise, township_user, transport_user, ziyang_user, enterprise_user
):
    report = report_submit(data=submission(ziyang_enterprise, name="周八"), address="198.51.100.90")
    with pytest.raises(ValidationFailed) as caught:  # already with the township: name a department
        report_act(report_id=report.pk, actor=township_user, action="transfer", version=1, data={})
    assert "department" in caught.value.fields
    with pytest.raises(NotFound):  # an enterprise never handles (nor sees) a public report
        report_act(report_id=report.pk, actor=enterprise_user, action="transfer", version=1, data={})
    department = transport_user.department
    report = report_act(
        report_id=report.pk, actor=ziyang_user, action="transfer", version=1, data={"department": str(department.pk)}
    )
    assert report.handler_kind == HandlerKind.DEPARTMENT and report.department_id == department.pk
    assert reports_visible(transport_user).filter(pk=report.pk).exists()
    assert identity_for(transport_user, report).name == "周八"
    assert identity_for(township_user, report) is None  # no longer its handler
    report = report_act(report_id=report.pk, actor=transport_user, action="accept", version=2)
    assert report.status == ReportStatus.CHECKING


def test_the_reporter_takes_an_unanswered_internal_report_to_the_township(
    ziyang_enterprise, mechanism, handler_user, township_user, policy
):
    from safeloop.reporting.services import report_escalate

    report = report_submit(data=submission(ziyang_enterprise, reporter="employee"), address="198.51.100.60")
    with pytest.raises(Conflict):  # not yet overdue
        report_escalate(code=report.code, address="198.51.100.60")
    Report.objects.filter(pk=report.pk).update(respond_by=date(2020, 1, 1))
    report = report_escalate(code=report.code.lower(), address="198.51.100.60")
    assert report.handler_kind == HandlerKind.TOWNSHIP and report.status == ReportStatus.RECEIVED
    assert not reports_visible(handler_user).filter(pk=report.pk, handler_kind="enterprise").exists()
    report = report_act(report_id=report.pk, actor=township_user, action="accept", version=report.version)
    assert report.status == ReportStatus.CHECKING
    assert list(chain_verify_all(ReportEvent)) == []
    with pytest.raises(NotFound):
        report_escalate(code="NOPE", address="198.51.100.60")


def test_a_public_report_cannot_be_escalated(ziyang_enterprise):
    from safeloop.reporting.services import report_escalate

    report = report_submit(data=submission(ziyang_enterprise), address="198.51.100.61")
    with pytest.raises(Conflict):
        report_escalate(code=report.code, address="198.51.100.61")
