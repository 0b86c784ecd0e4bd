"""Reports in the change feed (core.changes) without what is confidential (ADR 0026): never the
tracking code nor the reporter; an enterprise follows only the internal reports about it, an
expert no report; a transferred report reaches the department's copy."""

from __future__ import annotations

import json

from safeloop.reporting.models import Report
from safeloop.reporting.services import report_submit
from safeloop.reporting.workflow import report_act
from tests.feed.helpers import assert_county_copy, drain
from tests.reporting.conftest import submission


def test_the_countys_copy_holds_its_reports_without_the_code_or_the_reporter(
    client, ziyang_enterprise, township_user, ziyang_user, heshan_user, policy
):
    public = report_submit(data=submission(ziyang_enterprise, name="孙七", phone="13700000000"), address="198.51.100.1")
    report_act(report_id=public.pk, actor=township_user, action="accept", version=1)
    report_submit(data=submission(ziyang_enterprise, reporter="employee", name="李四"), address="198.51.100.2")
    mine = assert_county_copy(client, ziyang_user, heshan_user, ["report"])
    text = json.dumps([c["data"] for c in mine if c["type"] == "report"], ensure_ascii=False)
    for code in Report.objects.values_list("code", flat=True):
        assert code not in text
    assert "孙七" not in text and "13700000000" not in text and "李四" not in text
    assert all("code" not in c["data"] for c in mine if c["type"] == "report")


def test_an_enterprise_follows_only_its_internal_reports_and_an_expert_none(
    client, ziyang_enterprise, heshan_enterprise, enterprise_user, expert_user, heshan_user
):
    report_submit(data=submission(ziyang_enterprise), address="198.51.100.1")  # a citizen's: not the enterprise's
    internal = report_submit(data=submission(ziyang_enterprise, reporter="employee"), address="198.51.100.2")
    report_submit(data=submission(heshan_enterprise, reporter="employee"), address="198.51.100.3")
    own, _ = drain(client, enterprise_user, types="report")
    assert [c["id"] for c in own] == [internal.pk]
    assert drain(client, expert_user, types="report")[0] == []  # the expert's enterprise has one: still none
    assert len(drain(client, heshan_user, types="report")[0]) == 1


def test_a_transferred_report_reaches_the_departments_copy(client, ziyang_enterprise, ziyang_user, transport_user):
    report = report_submit(data=submission(ziyang_enterprise), address="198.51.100.9")
    _, cursor = drain(client, transport_user)
    data = {"department": str(transport_user.department_id)}
    report_act(report_id=report.pk, actor=ziyang_user, action="transfer", version=1, data=data)
    arrived, _ = drain(client, transport_user, cursor, types="report")
    assert [(c["id"], c["data"]["department"]) for c in arrived] == [(report.pk, transport_user.department_id)]
