"""A history nobody can quietly rewrite, not even someone who can write to the database: each
tamper is done with raw SQL, the way such a person would, and `verify_ledger` names its kind."""

import hashlib
import hmac
import os

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from safeloop.core.chain import GENESIS, canonical, entry_hash, keyed_hash
from safeloop.core.ledger import ledger_publish, ledger_top, ledger_verify, published_roots
from safeloop.hazards.events import event_content, verify_all
from safeloop.hazards.models import Attachment, HazardEvent
from safeloop.hazards.services import hazard_report
from tests.conftest import APPEND_ONLY, in_a_year


@pytest.fixture
def worked(general_self_found, boss):
    general_self_found.act(boss, "confirm")
    general_self_found.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline=in_a_year())
    return general_self_found.hazard


@pytest.fixture
def later(worked, boss):
    """A hazard reported after `worked`: its events come later in the global sequence."""
    return hazard_report(actor=boss, data={"source": "self_check", "description": "消防通道堵塞", "location": "仓库"})


def raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def problems():
    return [str(p) for p in verify_all()]


def found(**options):
    """The findings, but for the lifted triggers of a test that tampers (`tamperable`)."""
    return [finding for finding in ledger_verify(**options) if finding.finding != "guard"]


def kinds():
    return {finding.finding for finding in found()}


def recompute(hazard, sign, key_id=None):
    """Rewrite every hash of the hazard's chain (and its head) as `sign(prev, event)` says,
    the events marked with `key_id` (None: as they are)."""
    prev = GENESIS
    for event in HazardEvent.objects.filter(hazard=hazard).order_by("seq"):
        event.key_id = event.key_id if key_id is None else key_id
        digest = sign(prev, event)
        raw("UPDATE hazards_hazardevent SET prev_hash = %s, hash = %s, key_id = %s WHERE id = %s", prev, digest,
            event.key_id, event.pk)  # fmt: skip
        prev = digest
    raw("UPDATE hazards_hazard SET chain_head = %s WHERE id = %s", prev, hazard.pk)


def edit_assign_payload(hazard):
    raw(
        "UPDATE hazards_hazardevent SET payload = %s WHERE hazard_id = %s AND action = 'assign'",
        '{"deadline": "2100-01-01", "responsible_person": "王", "responsible_unit": "车间"}',
        hazard.pk,
    )
    raw("UPDATE hazards_hazard SET deadline = '2100-01-01' WHERE id = %s", hazard.pk)


def test_untouched_ledger_verifies(worked, later):
    assert list(ledger_verify()) == []
    call_command("verify_ledger")


def test_the_database_refuses_to_update_or_delete_an_event(worked):
    for statement in ("UPDATE hazards_hazardevent SET actor_name = 'x'", "DELETE FROM hazards_hazardevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(statement)
    assert HazardEvent.objects.filter(hazard=worked).count() == 3


def test_removed_triggers_are_found(worked, tamperable):
    assert {finding.finding for finding in ledger_verify()} == {"guard"}


# ---------------------------------------------------------------- rewriting, with and without the key


@pytest.mark.usefixtures("tamperable")
def test_edited_payload_is_found(worked):
    event = HazardEvent.objects.get(hazard=worked, action="assign")
    raw("UPDATE hazards_hazardevent SET payload = %s WHERE id = %s", '{"deadline": "2100-01-01"}', event.pk)
    assert problems() == [f"{worked.code} 事件 #3：内容与哈希不符，事件被修改"]


@pytest.mark.usefixtures("tamperable")
def test_a_chain_recomputed_without_the_key_is_found(worked):
    """The old unkeyed hashes (SHA-256) are what anyone can compute: marked as unkeyed, every link holds,
    but a chain may not end unsigned."""
    edit_assign_payload(worked)
    recompute(worked, lambda prev, event: entry_hash(prev, event_content(worked.code, event)), key_id="")
    assert "末尾事件没有密钥签名" in problems()[0]
    assert "key" in kinds()


@pytest.mark.usefixtures("tamperable")
def test_a_chain_recomputed_with_a_guessed_key_is_found(worked):
    def guessed(prev, event):
        content = event_content(worked.code, event)
        return hmac.new(b"guess", prev.encode() + canonical(content), hashlib.sha256).hexdigest()

    edit_assign_payload(worked)
    recompute(worked, guessed)
    assert problems() == [f"{worked.code} 事件 #1：内容与哈希不符，事件被修改"]


@pytest.mark.usefixtures("tamperable")
def test_a_rewrite_by_someone_with_the_key_is_found_against_the_published_root(worked):
    ledger_publish()
    edit_assign_payload(worked)
    recompute(worked, lambda prev, event: keyed_hash(event.key_id, prev, event_content(worked.code, event)))
    assert problems() == []  # the chain alone cannot tell: the key signed it
    findings = found()
    assert [f.finding for f in findings] == ["roots"] and "这段历史被改写" in str(findings[0])


# ---------------------------------------------------------------- removing


@pytest.mark.usefixtures("tamperable")
def test_deleted_middle_event_is_found(worked):
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s AND seq = 2", worked.pk)
    assert "序号不连续" in problems()[0]
    assert "sequence" in kinds()


@pytest.mark.usefixtures("tamperable")
def test_deleted_last_event_is_found(worked):
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s AND seq = 3", worked.pk)
    assert problems() == [f"{worked.code} 隐患记录：链末端哈希不符，末尾事件被删除或追加"]


@pytest.mark.usefixtures("tamperable")
def test_a_cut_tail_with_its_head_moved_back_leaves_a_hole_in_the_global_sequence(worked, later):
    second = HazardEvent.objects.get(hazard=worked, seq=2)
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s AND seq = 3", worked.pk)
    raw("UPDATE hazards_hazard SET chain_head = %s, status = %s, deadline = NULL, responsible_person = '' WHERE id = %s",
        second.hash, second.to_status, worked.pk)  # fmt: skip
    assert problems() == []
    findings = [str(f) for f in found()]
    assert findings == [f"全局序号 #{second.position + 1} 缺失（共 1 个事件），事件或整条记录被删除"]


@pytest.mark.usefixtures("tamperable")
def test_a_deleted_hazard_leaves_a_hole_in_the_global_sequence(worked, later):
    positions = sorted(HazardEvent.objects.filter(hazard=worked).values_list("position", flat=True))
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s", worked.pk)
    raw("DELETE FROM hazards_attachment WHERE hazard_id = %s", worked.pk)
    raw("DELETE FROM hazards_hazard WHERE id = %s", worked.pk)
    assert problems() == []
    assert [str(f) for f in found()] == [
        f"全局序号 #{positions[0]}–#{positions[-1]} 缺失（共 3 个事件），事件或整条记录被删除"
    ]


@pytest.mark.usefixtures("tamperable")
def test_the_last_events_cut_with_the_counter_lowered_are_found_against_the_published_root(worked, later):
    """What restoring an old backup looks like: everything consistent, only shorter than what was published."""
    ledger_publish()
    top = ledger_top()
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s", later.pk)
    raw("DELETE FROM hazards_hazard WHERE id = %s", later.pk)
    raw("UPDATE core_ledgercounter SET last = %s WHERE name = 'ledger'", top - 1)
    findings = found()
    assert [f.finding for f in findings] == ["roots"]
    assert f"已公示至全局序号 #{top}" in str(findings[0])


@pytest.mark.usefixtures("tamperable")
def test_the_last_events_cut_without_lowering_the_counter_are_found(worked, later):
    top = ledger_top()
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s", later.pk)
    raw("DELETE FROM hazards_hazard WHERE id = %s", later.pk)
    assert [str(f) for f in found()] == [f"全局序号 #{top} 缺失（共 1 个事件），事件或整条记录被删除（末尾事件被删除）"]


@pytest.mark.usefixtures("tamperable")
def test_inserted_event_is_found(worked):
    first = HazardEvent.objects.get(hazard=worked, seq=1)
    raw(
        "INSERT INTO hazards_hazardevent (hazard_id, seq, action, actor_id, actor_name, actor_role, at, from_status,"
        " to_status, payload, attachments, prev_hash, hash, position, key_id) VALUES (%s, 4, 'close', NULL, 'x', 'x',"
        " %s, 'assigned', 'closed', '{}', '[]', %s, %s, 999999, 'local1')",
        worked.pk,
        first.at,
        "0" * 64,
        "f" * 64,
    )
    assert "前序哈希不符" in problems()[0]


@pytest.mark.usefixtures("tamperable")
def test_reordered_events_are_found(worked):
    raw("UPDATE hazards_hazardevent SET seq = 99 WHERE hazard_id = %s AND seq = 2", worked.pk)
    raw("UPDATE hazards_hazardevent SET seq = 2 WHERE hazard_id = %s AND seq = 3", worked.pk)
    raw("UPDATE hazards_hazardevent SET seq = 3 WHERE hazard_id = %s AND seq = 99", worked.pk)
    assert "前序哈希不符" in problems()[0]


# ---------------------------------------------------------------- fields changed behind the workflow


def test_status_changed_behind_the_workflow_is_found(worked):
    raw("UPDATE hazards_hazard SET status = 'closed' WHERE id = %s", worked.pk)
    assert "状态被绕过流程修改" in problems()[0]


@pytest.mark.parametrize(
    ("column", "value", "label"),
    [
        ("level", "major", "等级"),
        ("description", "已改写的描述", "隐患描述"),
        ("deadline", "2030-01-01", "整改期限"),
        ("responsible_person", "替罪羊", "责任人"),
        ("clause", "GM10-11-01", "判定依据"),
    ],
)
def test_a_replayed_field_changed_behind_the_workflow_is_found(worked, column, value, label):
    raw(f"UPDATE hazards_hazard SET {column} = %s WHERE id = %s", value, worked.pk)  # noqa: S608
    assert problems() == [f"{worked.code} 隐患记录：当前“{label}”与事件回放不符，被绕过流程修改"]
    assert kinds() == {"replay"}


# ---------------------------------------------------------------- files


def test_a_swapped_evidence_file_is_found(worked, general_self_found, boss, settings):
    general_self_found.upload(boss)
    assert list(ledger_verify()) == []  # remembers the file's hash, size and time
    path = settings.MEDIA_ROOT / Attachment.objects.get(hazard=worked).file
    path.write_bytes(b"not the photo that was uploaded")
    assert kinds() == {"files"}


def test_a_swap_that_keeps_size_and_time_is_found_by_the_full_check(worked, general_self_found, boss, settings):
    general_self_found.upload(boss)
    assert list(ledger_verify()) == []
    path = settings.MEDIA_ROOT / Attachment.objects.get(hazard=worked).file
    stat, original = path.stat(), path.read_bytes()
    path.write_bytes(bytes(b ^ 1 for b in original))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert list(ledger_verify()) == []  # incremental: a stat per file
    assert {f.finding for f in ledger_verify(full_files=True)} == {"files"}


def test_a_missing_evidence_file_is_found(worked, general_self_found, boss, settings):
    general_self_found.upload(boss)
    (settings.MEDIA_ROOT / Attachment.objects.get(hazard=worked).file).unlink()
    assert kinds() == {"files"}


# ---------------------------------------------------------------- keys, the sequence, the roots file


def test_events_keep_verifying_with_their_key_after_rotation(worked, settings, boss):
    old = dict(settings.SAFELOOP_LEDGER_KEYS)
    settings.SAFELOOP_LEDGER_KEYS = {"next": b"a-new-key-of-enough-length"} | old
    hazard_report(actor=boss, data={"source": "self_check", "description": "新隐患", "location": "仓库"})
    assert set(HazardEvent.objects.values_list("key_id", flat=True)) == {"next", *old}
    assert list(ledger_verify()) == []
    settings.SAFELOOP_LEDGER_KEYS = {"next": b"a-new-key-of-enough-length"}  # the old key lost
    assert "密钥编号" in problems()[0] and "key" in kinds()


def test_a_rolled_back_action_leaves_no_hole(worked, boss):
    with pytest.raises(RuntimeError), transaction.atomic():
        hazard_report(actor=boss, data={"source": "self_check", "description": "撤回的上报", "location": "仓库"})
        raise RuntimeError
    hazard_report(actor=boss, data={"source": "self_check", "description": "下一条", "location": "仓库"})
    assert list(ledger_verify()) == []
    assert ledger_top() == HazardEvent.objects.count()


def test_each_published_root_is_signed_and_linked_to_the_one_before(worked, boss, settings):
    first = ledger_publish()
    assert ledger_publish() is None  # nothing new
    hazard_report(actor=boss, data={"source": "self_check", "description": "新隐患", "location": "仓库"})
    second = ledger_publish()
    assert (first["first"], first["last"], second["first"]) == (1, 3, 4)
    assert [entry["root"] for entry in published_roots()] == [first["root"], second["root"]]
    lines = settings.SAFELOOP_LEDGER_ROOTS_FILE.read_text().splitlines()
    settings.SAFELOOP_LEDGER_ROOTS_FILE.write_text(lines[0].replace(first["root"], "0" * 64) + "\n" + lines[1] + "\n")
    assert [str(f) for f in ledger_verify()][0].endswith("的公示根签名不符，公示文件被改动")


@pytest.mark.usefixtures("tamperable")
def test_command_reports_each_kind_and_exits_non_zero(worked, capsys):
    raw("UPDATE hazards_hazardevent SET actor_name = 'someone else' WHERE hazard_id = %s AND seq = 1", worked.pk)
    with pytest.raises(SystemExit) as exc:
        call_command("verify_ledger")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "✗ 事件被修改、删除、插入或重排：1" in err and f"✗ 数据库追加保护（触发器）缺失：{len(APPEND_ONLY)}" in err


# ---------------------------------------------------------------- the streamed walk


@pytest.mark.usefixtures("tamperable")
def test_each_kind_of_a_chain_is_named_by_ledger_verify(worked, later):
    event = HazardEvent.objects.get(hazard=worked, action="assign")
    raw("UPDATE hazards_hazardevent SET payload = %s WHERE id = %s", '{"deadline": "2100-01-01"}', event.pk)
    raw("UPDATE hazards_hazard SET chain_head = %s WHERE id = %s", "f" * 64, later.pk)
    findings = found()
    assert [(f.finding, f.text.split(" ")[0]) for f in findings] == [("chain", worked.code), ("head", later.code)]


@pytest.mark.usefixtures("tamperable")
def test_the_walk_finds_the_same_across_chunk_boundaries(worked, later, boss):
    """Owners and events are streamed in chunks and merged by owner: a chunk of one row puts a
    boundary between every two owners and every two events, and changes nothing found."""
    from safeloop.core.chain import chain_verify_all

    third = hazard_report(actor=boss, data={"source": "self_check", "description": "配电箱未接地", "location": "车间"})
    raw("DELETE FROM hazards_hazardevent WHERE hazard_id = %s AND seq = 2", worked.pk)
    raw("UPDATE hazards_hazard SET description = %s WHERE id = %s", "改过的描述", third.pk)
    whole = [(p.owner, p.finding, p.problem) for p in chain_verify_all(HazardEvent)]
    assert [(owner, finding) for owner, finding, _ in whole] == [(worked.code, "chain"), (third.code, "replay")]
    assert [(p.owner, p.finding, p.problem) for p in chain_verify_all(HazardEvent, batch=1)] == whole
