"""A history nobody can quietly rewrite: verify_ledger finds edits, deletions, insertions, reorders."""

import pytest
from django.core.management import call_command
from django.db import connection

from safeloop.hazards.events import verify_all
from safeloop.hazards.models import HazardEvent
from tests.conftest import in_a_year


@pytest.fixture
def worked(general_self_found, boss):
    general_self_found.act(boss, "confirm")
    general_self_found.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline=in_a_year())
    return general_self_found.hazard


def raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def problems():
    return [str(p) for p in verify_all()]


def test_untouched_ledger_verifies(worked):
    assert problems() == []
    call_command("verify_ledger")


def test_edited_payload_is_found(worked):
    event = HazardEvent.objects.get(hazard=worked, action="assign")
    raw("UPDATE hazards_hazardevent SET payload = %s WHERE id = %s", '{"deadline": "2100-01-01"}', event.pk)
    assert problems() == [f"{worked.code} 事件 #3：内容与哈希不符，事件被修改"]


def test_deleted_middle_event_is_found(worked):
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s AND seq = 2", worked.pk)
    assert "序号不连续" in problems()[0]


def test_deleted_last_event_is_found(worked):
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s AND seq = 3", worked.pk)
    assert problems() == [f"{worked.code} 隐患记录：链末端哈希不符，末尾事件被删除或追加"]


def test_inserted_event_is_found(worked):
    first = HazardEvent.objects.get(hazard=worked, seq=1)
    raw(
        "INSERT INTO hazards_hazardevent (hazard_id, seq, action, actor_id, actor_name, actor_role, at, from_status,"
        " to_status, payload, attachments, prev_hash, hash) VALUES (%s, 4, 'close', NULL, 'x', 'x', %s, 'assigned',"
        " 'closed', '{}', '[]', %s, %s)",
        worked.pk,
        first.at,
        "0" * 64,
        "f" * 64,
    )
    assert "前序哈希不符" in problems()[0]


def test_reordered_events_are_found(worked):
    raw("UPDATE hazards_hazardevent SET seq = 99 WHERE hazard_id = %s AND seq = 2", worked.pk)
    raw("UPDATE hazards_hazardevent SET seq = 2 WHERE hazard_id = %s AND seq = 3", worked.pk)
    raw("UPDATE hazards_hazardevent SET seq = 3 WHERE hazard_id = %s AND seq = 99", worked.pk)
    assert "前序哈希不符" in problems()[0]


def test_status_changed_behind_the_workflow_is_found(worked):
    raw("UPDATE hazards_hazard SET status = 'closed' WHERE id = %s", worked.pk)
    assert "状态被绕过流程修改" in problems()[0]


def test_command_exits_non_zero_on_tampering(worked):
    raw("UPDATE hazards_hazardevent SET actor_name = 'someone else' WHERE hazard_id = %s AND seq = 1", worked.pk)
    with pytest.raises(SystemExit) as exc:
        call_command("verify_ledger")
    assert exc.value.code == 1
