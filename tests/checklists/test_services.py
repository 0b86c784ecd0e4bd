"""Answering item by item, conflicts, and submitting: every 不符合 becomes a major-hazard report
citing its clause, in the loop, with its note and photo."""

import pytest

from safeloop.checklists.models import Checklist, ChecklistEvent, Item, Status
from safeloop.checklists.services import checklist_start, checklist_submit, item_answer
from safeloop.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from safeloop.hazards.models import Attachment, Hazard
from tests.checklists.conftest import answer_all, photo
from tests.conftest import make_user


def first_clause(checklist: Checklist) -> str:
    return checklist.items.order_by("sort").first().clause_id


def test_start_draws_up_the_applicable_clauses_and_records_who_and_when(checklist, enterprise_user):
    assert checklist.status == Status.IN_PROGRESS and checklist.started_by == enterprise_user
    assert checklist.items.count() == 18  # HG121 without its two feature items
    [event] = ChecklistEvent.objects.filter(checklist=checklist)
    assert event.action == "start" and len(event.payload["clauses"]) == 18


def test_a_second_open_checklist_is_refused(checklist, enterprise_user):
    with pytest.raises(Conflict) as exc:
        checklist_start(actor=enterprise_user)
    assert exc.value.code == "checklist_open"


def test_only_an_enterprise_account_starts_a_checklist(catalogue, ziyang_user):
    with pytest.raises(Forbidden):
        checklist_start(actor=ziyang_user)


def test_each_answer_is_saved_with_its_own_version_and_an_event(checklist, enterprise_user):
    clause = first_clause(checklist)
    item = item_answer(actor=enterprise_user, checklist_id=checklist.pk, clause_id=clause, data={"result": "na"})
    assert (item.result, item.version, item.answered_by) == ("na", 2, enterprise_user)
    assert ChecklistEvent.objects.filter(checklist=checklist).latest("seq").payload["result"] == "na"


def test_a_stale_answer_is_a_conflict_and_changes_nothing(checklist, enterprise_user):
    clause = first_clause(checklist)
    item_answer(actor=enterprise_user, checklist_id=checklist.pk, clause_id=clause, data={"result": "ok", "version": 1})
    with pytest.raises(Conflict):
        data = {"result": "fail", "note": "迟到的修改", "version": 1}
        item_answer(actor=enterprise_user, checklist_id=checklist.pk, clause_id=clause, data=data)
    assert Item.objects.get(checklist=checklist, clause_id=clause).result == "ok"


def test_a_bad_result_names_the_field(checklist, enterprise_user):
    with pytest.raises(ValidationFailed) as exc:
        item_answer(
            actor=enterprise_user,
            checklist_id=checklist.pk,
            clause_id=first_clause(checklist),
            data={"result": "maybe"},
        )
    assert "result" in exc.value.fields
    assert not Item.objects.filter(checklist=checklist).exclude(result="").exists()


def test_another_enterprise_cannot_answer(checklist, heshan_enterprise):
    outsider = make_user("enterprise", enterprise=heshan_enterprise)
    with pytest.raises(NotFound):
        item_answer(actor=outsider, checklist_id=checklist.pk, clause_id=first_clause(checklist), data={"result": "ok"})


def test_a_regulator_reads_but_does_not_answer(checklist, ziyang_user):
    with pytest.raises(Forbidden):
        item_answer(
            actor=ziyang_user, checklist_id=checklist.pk, clause_id=first_clause(checklist), data={"result": "ok"}
        )


def test_submit_with_unanswered_items_is_refused(checklist, enterprise_user):
    with pytest.raises(ValidationFailed) as exc:
        checklist_submit(actor=enterprise_user, checklist_id=checklist.pk, version=checklist.version)
    assert "items" in exc.value.fields
    assert Checklist.objects.get(pk=checklist.pk).status == Status.IN_PROGRESS


def test_submit_reports_each_fail_as_a_major_hazard_citing_its_clause(checklist, enterprise_user):
    clause = "HG121-12"
    answer_all(checklist, enterprise_user, **{clause: "ok"})
    data = {"result": "fail", "note": "罐区东侧未设可燃气体检测报警", "photos": [photo()]}
    item_answer(actor=enterprise_user, checklist_id=checklist.pk, clause_id=clause, data=data)
    done = checklist_submit(actor=enterprise_user, checklist_id=checklist.pk, version=checklist.version)
    assert (done.status, done.submitted_by) == (Status.SUBMITTED, enterprise_user) and done.submitted_at
    [hazard] = Hazard.objects.filter(enterprise=checklist.enterprise)
    assert (hazard.clause_id, hazard.level, hazard.source, hazard.status) == (clause, "major", "self_check", "reported")
    assert "罐区东侧未设可燃气体检测报警" in hazard.description
    assert Attachment.objects.filter(hazard=hazard, kind="hazard").count() == 1
    assert Item.objects.get(checklist=checklist, clause_id=clause).hazard == hazard
    assert ChecklistEvent.objects.filter(checklist=checklist).latest("seq").payload["hazards"] == [hazard.code]


def test_a_submitted_checklist_is_no_longer_answered(checklist, enterprise_user):
    answer_all(checklist, enterprise_user)
    checklist_submit(actor=enterprise_user, checklist_id=checklist.pk, version=checklist.version)
    with pytest.raises(Conflict):
        item_answer(
            actor=enterprise_user, checklist_id=checklist.pk, clause_id=first_clause(checklist), data={"result": "fail"}
        )
    assert not Hazard.objects.exists()


def test_the_ledger_verifies_after_a_checklist_with_a_reported_fail(checklist, enterprise_user):
    from safeloop.core.ledger import ledger_verify

    answer_all(checklist, enterprise_user, **{"HG121-09": "fail"})
    checklist_submit(actor=enterprise_user, checklist_id=checklist.pk, version=checklist.version)
    assert [str(finding) for finding in ledger_verify()] == []
