"""The clue → case loop through the services and the transition tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from safeloop.core.errors import Conflict, ValidationFailed
from safeloop.enforcement.documents import case_document
from safeloop.enforcement.models import Case, CaseStatus, ClueStatus
from safeloop.enforcement.selectors import cases_visible, clues_visible, statistics
from safeloop.enforcement.services import clue_record
from safeloop.enforcement.workflow import case_act, clue_act
from safeloop.registry.models import OfficerCertificate
from tests.enforcement.conftest import PHONE_CLUE

pytestmark = pytest.mark.django_db


def _case(recorder, county, ziyang_emergency):
    clue = clue_record(actor=recorder, data=PHONE_CLUE)
    clue = clue_act(pk=clue.pk, actor=county, action="check", version=1, data={"check_note": "现场属实"})
    clue_act(pk=clue.pk, actor=county, action="open_case", version=clue.version, data={"body": ziyang_emergency.pk})
    return Case.objects.get(clue=clue)


def test_unlicensed_clue_is_routed_to_the_county_emergency_bureau(recorder, ziyang_emergency):
    clue = clue_record(actor=recorder, data=PHONE_CLUE)
    assert clue.department == ziyang_emergency
    assert clue.subject.name == "无名塑料加工作坊"
    assert clue.subject.lat == Decimal("28.5921")
    assert clue.events.count() == 1


def test_county_opens_orders_and_closes_a_case_with_numbered_documents(recorder, ziyang_user, ziyang_emergency):
    case = _case(recorder, ziyang_user, ziyang_emergency)
    assert case.filing_no.startswith("资阳区应急管理局打非立〔")
    assert len(case.officers) == 2
    case = case_act(
        pk=case.pk,
        actor=ziyang_user,
        action="decide",
        version=case.version,
        data={"measure": "suspend", "note": "立即停止生产"},
    )
    assert case.status == CaseStatus.HANDLING and case.order_no
    case = case_act(
        pk=case.pk,
        actor=ziyang_user,
        action="decide",
        version=case.version,
        data={"measure": "fine", "fine": "5000.50", "note": "罚款"},
    )
    case = case_act(
        pk=case.pk, actor=ziyang_user, action="close", version=case.version, data={"opinion": "已停产，罚款已缴"}
    )
    assert case.status == CaseStatus.CLOSED and case.fine_total == Decimal("5000.50")
    for document in ("filing", "order", "closing"):
        name, content = case_document(case, document)
        assert name.endswith(".docx") and content[:2] == b"PK"
    figures = statistics(ziyang_user, case.filed_on.year)
    assert figures["cases"] == 1 and figures["suspended"] == 1 and figures["fines"] == Decimal("5000.50")


def test_a_department_with_one_certified_officer_cannot_open_a_case(recorder, ziyang_user, ziyang_emergency):
    OfficerCertificate.objects.filter(user__department=ziyang_emergency).first().delete()
    clue = clue_record(actor=recorder, data=PHONE_CLUE)
    clue = clue_act(pk=clue.pk, actor=ziyang_user, action="check", version=1, data={"check_note": "属实"})
    with pytest.raises(ValidationFailed) as refused:
        clue_act(
            pk=clue.pk, actor=ziyang_user, action="open_case", version=clue.version, data={"body": ziyang_emergency.pk}
        )
    assert "两名以上" in refused.value.fields["body"]


def test_negative_or_non_number_fine_is_refused_naming_the_field(recorder, ziyang_user, ziyang_emergency):
    case = _case(recorder, ziyang_user, ziyang_emergency)
    for bad in ("-100", "五百块"):
        with pytest.raises(ValidationFailed) as refused:
            case_act(
                pk=case.pk,
                actor=ziyang_user,
                action="decide",
                version=case.version,
                data={"measure": "fine", "fine": bad, "note": "罚款"},
            )
        assert "罚款金额" in refused.value.fields["fine"]
    case.refresh_from_db()
    assert case.measures == [] and case.fine_total == 0 and case.version == 1


def test_case_closed_without_a_decision_is_refused(recorder, ziyang_user, ziyang_emergency):
    case = _case(recorder, ziyang_user, ziyang_emergency)
    with pytest.raises(ValidationFailed) as refused:
        case_act(pk=case.pk, actor=ziyang_user, action="close", version=case.version, data={"opinion": "结案"})
    assert "处理决定" in refused.value.fields["measure"]
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED


def test_document_of_a_step_not_reached_is_refused(recorder, ziyang_user, ziyang_emergency):
    case = _case(recorder, ziyang_user, ziyang_emergency)
    for document in ("order", "closing"):
        with pytest.raises(ValidationFailed) as refused:
            case_document(case, document)
        assert "尚未" in refused.value.fields["document"]


def test_stale_version_is_a_conflict(recorder, ziyang_user, ziyang_emergency):
    case = _case(recorder, ziyang_user, ziyang_emergency)
    case_act(pk=case.pk, actor=ziyang_user, action="decide", version=1, data={"measure": "ban", "note": "取缔"})
    with pytest.raises(Conflict):
        case_act(pk=case.pk, actor=ziyang_user, action="decide", version=1, data={"measure": "shut", "note": "关闭"})


def test_resumed_activity_reopens_a_linked_case(recorder, ziyang_user, ziyang_emergency):
    case = _case(recorder, ziyang_user, ziyang_emergency)
    case = case_act(pk=case.pk, actor=ziyang_user, action="decide", version=1, data={"measure": "ban", "note": "取缔"})
    case = case_act(pk=case.pk, actor=ziyang_user, action="close", version=case.version, data={"opinion": "已取缔"})
    case_act(
        pk=case.pk,
        actor=recorder,
        action="recheck",
        version=case.version,
        data={"resumed": "1", "note": "夜间又在生产"},
    )
    again = Case.objects.get(reopened_from=case)
    assert again.status == CaseStatus.FILED and "回潮" in again.facts
    assert again.filing_no != case.filing_no


def test_clue_of_another_departments_type_is_routed_and_visible_only_to_it(
    recorder, ziyang_transport, transport_officer, housing_officer, heshan_user
):
    clue = clue_record(actor=recorder, data=PHONE_CLUE | {"kind": "illegal_transport", "name": "黑车"})
    assert clue.department == ziyang_transport
    assert list(clues_visible(transport_officer)) == [clue]
    assert not clues_visible(housing_officer).exists()
    assert not clues_visible(heshan_user).exists()
    assert clues_visible(recorder).filter(pk=clue.pk).exists()


def test_transfer_sets_an_acceptance_deadline_in_working_days_and_moves_visibility(
    recorder, ziyang_user, ziyang_transport, transport_officer, housing_officer
):
    clue = clue_record(actor=recorder, data=PHONE_CLUE | {"kind": "illegal_transport", "name": "黑车"})
    housing = housing_officer.department
    clue = clue_act(
        pk=clue.pk,
        actor=transport_officer,
        action="transfer",
        version=1,
        data={"to_department": housing.pk, "reason": "属违法建设"},
    )
    assert clue.status == ClueStatus.TRANSFERRED and clue.accept_by > clue.created_at.date()
    assert not clues_visible(transport_officer).exists()
    clue = clue_act(pk=clue.pk, actor=housing_officer, action="accept", version=clue.version)
    assert clue.status == ClueStatus.RECEIVED and clues_visible(housing_officer).filter(pk=clue.pk).exists()


def test_closing_a_clue_needs_a_reason(recorder, ziyang_user, ziyang_emergency):
    clue = clue_record(actor=recorder, data=PHONE_CLUE)
    with pytest.raises(ValidationFailed) as refused:
        clue_act(pk=clue.pk, actor=ziyang_user, action="close", version=1, data={})
    assert "办结理由" in refused.value.fields["reason"]


def test_clue_without_name_or_kind_is_refused_and_nothing_is_stored(recorder):
    with pytest.raises(ValidationFailed) as refused:
        clue_record(actor=recorder, data=PHONE_CLUE | {"name": "", "kind": "nonsense", "lat": "91"})
    assert {"name", "kind", "lat"} <= set(refused.value.fields)
    assert not clues_visible(recorder).exists()


def test_outsider_county_sees_no_case(recorder, ziyang_user, heshan_user, ziyang_emergency):
    _case(recorder, ziyang_user, ziyang_emergency)
    assert not cases_visible(heshan_user).exists()
    assert cases_visible(ziyang_user).count() == 1
