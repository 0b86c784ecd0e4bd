"""Other apps create 打非治违 clues through the enforcement service; campaigns list operations."""

from __future__ import annotations

import pytest

from safeloop.accounts.models import User
from safeloop.campaigns.services import campaign_link_operation
from safeloop.core.errors import ValidationFailed
from safeloop.enforcement.models import Clue, Source
from safeloop.enforcement.services import operation_create
from safeloop.inspections.services import inspection_create
from safeloop.inspections.workflow import inspection_act
from safeloop.reporting.models import ReportStatus
from safeloop.reporting.services import report_submit
from safeloop.reporting.workflow import report_act
from tests.reporting.conftest import submission

pytestmark = pytest.mark.django_db


def test_an_inspection_finding_illegal_activity_creates_a_routed_clue(
    ziyang_emergency, ziyang_enterprise, ziyang_transport
):
    officers = list(User.objects.filter(department=ziyang_emergency).order_by("pk"))
    inspection = inspection_create(
        actor=officers[0],
        data={
            "enterprise": ziyang_enterprise.pk,
            "enforcement_body": ziyang_emergency.pk,
            "officers": [u.pk for u in officers],
        },
    )
    inspection_act(
        pk=inspection.pk,
        actor=officers[0],
        action="illegal",
        version=inspection.version,
        data={"clue_kind": "illegal_transport", "description": "用自有货车非法营运"},
    )
    clue = Clue.objects.get(origin=f"inspection:{inspection.code}")
    assert clue.enterprise == ziyang_enterprise and clue.source == Source.INSPECTION
    assert clue.department == ziyang_transport


def test_an_inspection_illegal_action_without_a_type_is_refused(ziyang_emergency, ziyang_enterprise):
    officers = list(User.objects.filter(department=ziyang_emergency).order_by("pk"))
    inspection = inspection_create(
        actor=officers[0],
        data={
            "enterprise": ziyang_enterprise.pk,
            "enforcement_body": ziyang_emergency.pk,
            "officers": [u.pk for u in officers],
        },
    )
    with pytest.raises(ValidationFailed) as refused:
        inspection_act(pk=inspection.pk, actor=officers[0], action="illegal", version=1, data={"description": "x"})
    assert "clue_kind" in refused.value.fields and not Clue.objects.exists()


def test_a_public_report_referred_as_illegal_becomes_a_clue(recorder, ziyang_enterprise, ziyang_emergency):
    report = report_submit(data=submission(ziyang_enterprise), address="198.51.100.9")
    report = report_act(
        report_id=report.pk,
        actor=recorder,
        action="refer_illegal",
        version=report.version,
        data={"clue_kind": "illegal_storage"},
    )
    assert report.status == ReportStatus.VERIFIED
    clue = Clue.objects.get(origin=f"report:{report.pk}")
    assert clue.source == Source.PUBLIC_REPORT and clue.department == ziyang_emergency
    assert report.code not in clue.origin  # the tracking code stays the reporter's


def test_a_campaign_lists_a_joint_operation(ziyang_user, heshan_user, ziyang_emergency):
    from safeloop.campaigns.models import Campaign

    operation = operation_create(
        actor=ziyang_user,
        data={
            "name": "两电整治",
            "kind": "special",
            "region": "430902",
            "departments": [ziyang_emergency.pk],
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-30",
        },
    )
    campaign = Campaign.objects.create(
        code="ZX-TEST-1",
        title="专项整治",
        kind="special",
        region_id="430902",
        starts_on=operation.starts_on,
        ends_on=operation.ends_on,
        created_by=ziyang_user,
    )
    campaign_link_operation(actor=ziyang_user, campaign=campaign, operation_id=operation.pk)
    assert list(campaign.operations.all()) == [operation]
    other = operation_create(
        actor=heshan_user,
        data={
            "name": "赫山行动",
            "kind": "joint",
            "region": "430903",
            "departments": [ziyang_emergency.pk],
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-30",
        },
    )
    with pytest.raises(ValidationFailed):
        campaign_link_operation(actor=ziyang_user, campaign=campaign, operation_id=other.pk)
