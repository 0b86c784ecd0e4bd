"""Matching an unlicensed subject to the enterprise it later registered as links both histories."""

from __future__ import annotations

import pytest

from safeloop.core.errors import ValidationFailed
from safeloop.enforcement.models import Case
from safeloop.enforcement.selectors import match_candidates
from safeloop.enforcement.services import clue_record, subject_match
from safeloop.enforcement.workflow import clue_act
from safeloop.workbench.dossier import enterprise_enforcement
from tests.conftest import ZIYANG_TOWN, make_enterprise
from tests.enforcement.conftest import PHONE_CLUE

pytestmark = pytest.mark.django_db


def _clue_with_case(recorder, county, body, **extra):
    clue = clue_record(actor=recorder, data=PHONE_CLUE | extra)
    clue = clue_act(pk=clue.pk, actor=county, action="check", version=1, data={"check_note": "属实"})
    clue_act(pk=clue.pk, actor=county, action="open_case", version=clue.version, data={"body": body.pk})
    return clue


def test_similar_name_and_address_is_proposed_and_a_different_one_is_not(recorder, ziyang_user, ziyang_emergency):
    clue = clue_record(actor=recorder, data=PHONE_CLUE | {"name": "益阳市资阳区建设路塑料加工作坊"})
    same = make_enterprise(region=ZIYANG_TOWN, name="益阳市资阳区建设路塑料加工厂", address="大码头街道建设路88号")
    other = make_enterprise(region=ZIYANG_TOWN, name="湘北粮油贸易有限公司", address="迎风桥镇粮站")
    found = [e.pk for e, score, why in match_candidates(ziyang_user, clue.subject)]
    assert same.pk in found and other.pk not in found


def test_same_credit_code_is_proposed_first(recorder, ziyang_user, ziyang_emergency):
    enterprise = make_enterprise(region=ZIYANG_TOWN, name="完全不同的名称有限公司", address="别处")
    clue = clue_record(actor=recorder, data=PHONE_CLUE | {"credit_code": enterprise.credit_code})
    first = match_candidates(ziyang_user, clue.subject)[0]
    assert first[0] == enterprise and first[2] == "credit_code"


def test_matching_links_both_histories(recorder, ziyang_user, ziyang_emergency):
    clue = _clue_with_case(recorder, ziyang_user, ziyang_emergency)
    enterprise = make_enterprise(region=ZIYANG_TOWN, name="建设路塑料制品有限公司")
    assert not enterprise_enforcement(ziyang_user, enterprise).exists()
    subject_match(actor=ziyang_user, subject=clue.subject, enterprise=enterprise)
    clue.refresh_from_db()
    assert clue.enterprise == enterprise and clue.subject.enterprise == enterprise
    assert Case.objects.get(clue=clue).enterprise == enterprise
    assert list(enterprise_enforcement(ziyang_user, enterprise)) == [clue]
    assert list(enterprise.unlicensed_records.all()) == [clue.subject]


def test_a_subject_matched_once_cannot_be_matched_to_another(recorder, ziyang_user, ziyang_emergency):
    clue = clue_record(actor=recorder, data=PHONE_CLUE)
    first = make_enterprise(region=ZIYANG_TOWN)
    subject_match(actor=ziyang_user, subject=clue.subject, enterprise=first)
    with pytest.raises(ValidationFailed) as refused:
        subject_match(actor=ziyang_user, subject=clue.subject, enterprise=make_enterprise(region=ZIYANG_TOWN))
    assert "enterprise" in refused.value.fields


def test_an_enterprise_outside_the_scope_cannot_be_matched(recorder, heshan_user, ziyang_user, ziyang_emergency):
    clue = clue_record(actor=recorder, data=PHONE_CLUE)
    heshan = make_enterprise(region="430903003")
    with pytest.raises(ValidationFailed):
        subject_match(actor=ziyang_user, subject=clue.subject, enterprise=heshan)
