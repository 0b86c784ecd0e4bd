"""Sealed records: written once, refused by the database when changed, and checked end to end."""

import hashlib
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from safeloop.core.db import allow_changes_sql
from safeloop.core.docx import DOCX_CONTENT_TYPE
from safeloop.core.models import SealedRecord
from safeloop.core.seals import (
    SealBroken,
    latest_seal,
    record_seal,
    seal_check,
    sealed_bytes,
    verification_url,
    verify_seals,
)

TABLE = SealedRecord._meta.db_table


@pytest.fixture
def seal(ziyang_enterprise, ziyang_user):
    def _seal(content: bytes = b"order v1", number: str = "资阳应急责改〔2026〕1号", **fields):
        return record_seal(
            kind=fields.get("kind", "hazards.order"),
            title="责令限期整改指令书",
            number=number,
            issuer="益阳市资阳区应急管理局",
            issued_on=date(2026, 12, 2),
            content=content,
            content_type=DOCX_CONTENT_TYPE,
            target=fields.get("target", ziyang_enterprise),
            actor=ziyang_user,
        )

    return _seal


def lift_triggers() -> None:
    """What an attacker with database access does first (rolled back with the test)."""
    with connection.cursor() as cursor:
        for statement in allow_changes_sql(connection.vendor, TABLE):
            cursor.execute(statement)


def problems() -> list[str]:
    return [str(p) for p in verify_seals()]


def test_a_seal_stores_the_bytes_under_their_hash_and_names_its_owner(seal, ziyang_enterprise, ziyang_user):
    record = seal(b"order v1")
    assert record.sha256 == hashlib.sha256(b"order v1").hexdigest()
    assert record.file == f"sealed/{record.sha256}.docx"
    assert default_storage.open(record.file).read() == b"order v1"
    assert (record.target_type, record.target_id) == ("registry.enterprise", str(ziyang_enterprise.pk))
    assert (record.sealed_by, record.sealed_by_name, record.size) == (ziyang_user, str(ziyang_user), 8)
    assert len(record.token) >= 32


def test_seals_form_one_chain(seal):
    first, second = seal(b"a"), seal(b"b", number="资阳应急责改〔2026〕2号")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == "0" * 64 and second.prev_hash == first.hash
    assert problems() == []


def test_a_writer_that_read_a_stale_head_retries_from_the_new_one(seal, monkeypatch):
    """Two writers read the same head at once: the unique place in the chain lets one append,
    and the other appends after it instead of forking the chain."""
    from safeloop.core import seals

    first = seal(b"a")
    stale = [(0, "0" * 64)]  # the head the second writer read before the first one committed
    real_head = seals._head
    monkeypatch.setattr(seals, "_head", lambda: stale.pop() if stale else real_head())
    second = seal(b"b", number="资阳应急责改〔2026〕2号")
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert problems() == []


def test_latest_seal_of_an_owner_and_kind(seal, ziyang_enterprise, heshan_enterprise):
    seal(b"a")
    newer = seal(b"b", number="资阳应急责改〔2026〕2号")
    seal(b"c", target=heshan_enterprise)
    assert latest_seal(target=ziyang_enterprise, kind="hazards.order") == newer
    assert latest_seal(target=ziyang_enterprise, kind="hazards.review") is None


def test_the_database_refuses_a_raw_update(seal):
    record = seal()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET number = %s WHERE id = %s", ["伪造〔2026〕9号", record.pk])  # noqa: S608
    assert SealedRecord.objects.get().number == record.number


def test_the_database_refuses_a_raw_delete(seal):
    record = seal()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [record.pk])  # noqa: S608
    assert SealedRecord.objects.filter(pk=record.pk).exists()


def test_the_orm_cannot_change_or_delete_either(seal):
    record = seal()
    with pytest.raises(DatabaseError), transaction.atomic():
        SealedRecord.objects.filter(pk=record.pk).update(issuer="别的机关")
    with pytest.raises(DatabaseError), transaction.atomic():
        SealedRecord.objects.filter(pk=record.pk).delete()


def test_a_replaced_stored_file_is_reported_and_never_served(seal):
    record = seal(b"order v1")
    default_storage.delete(record.file)
    default_storage.save(record.file, ContentFile(b"order v1, edited"))
    assert any("文件被修改或替换" in p for p in problems())
    with pytest.raises(SealBroken):
        sealed_bytes(record)


def test_a_missing_stored_file_is_reported(seal):
    record = seal()
    default_storage.delete(record.file)
    assert any("存档文件缺失" in p for p in problems())


def test_an_edited_row_is_reported(seal):
    record = seal()
    lift_triggers()
    SealedRecord.objects.filter(pk=record.pk).update(issued_on=date(2026, 1, 1))
    assert problems() == [f"存证 #1 {record}：记录内容与哈希不符，存证记录被修改"]


def test_a_deleted_row_in_the_middle_is_reported(seal):
    seal(b"a")
    middle = seal(b"b", number="资阳应急责改〔2026〕2号")
    seal(b"c", number="资阳应急责改〔2026〕3号")
    lift_triggers()
    SealedRecord.objects.filter(pk=middle.pk).delete()
    assert any("序号不连续" in p for p in problems())


def test_a_row_rehashed_after_an_edit_still_breaks_the_next_link(seal):
    from safeloop.core.chain import entry_hash
    from safeloop.core.seals import seal_content

    first = seal(b"a")
    seal(b"b", number="资阳应急责改〔2026〕2号")
    lift_triggers()
    first.number = "伪造〔2026〕1号"
    SealedRecord.objects.filter(pk=first.pk).update(
        number=first.number, hash=entry_hash(first.prev_hash, seal_content(first))
    )
    assert any("前序哈希不符" in p for p in problems())


def test_verify_seals_command_exits_1_on_tampering_and_0_when_whole(seal, capsys):
    record = seal()
    call_command("verify_seals")
    assert "1 份文书" in capsys.readouterr().out
    default_storage.delete(record.file)
    with pytest.raises(SystemExit) as exc:
        call_command("verify_seals")
    assert exc.value.code == 1
    assert "存档文件缺失" in capsys.readouterr().err


def test_an_identical_file_matches_and_an_edited_one_does_not(seal):
    record = seal(b"order v1")
    same = SimpleUploadedFile("指令书.docx", b"order v1")
    assert seal_check(record, upload=same).matches
    assert not seal_check(record, upload=SimpleUploadedFile("指令书.docx", b"order v2")).matches


def test_a_pasted_hash_matches_in_any_case_and_spacing(seal):
    record = seal()
    pasted = " ".join([record.sha256[:32].upper(), record.sha256[32:]])
    assert seal_check(record, sha256=pasted).matches
    bad = seal_check(record, sha256="不是哈希")
    assert not bad.matches and "64位" in bad.message


def test_verification_url_uses_the_public_base_setting(settings):
    settings.SAFELOOP_PUBLIC_BASE_URL = "https://safeloop.yiyang.gov.cn/"
    assert verification_url("abc") == "https://safeloop.yiyang.gov.cn/verify/abc/"


def test_verification_url_falls_back_to_the_request_then_to_the_path(settings):
    settings.SAFELOOP_PUBLIC_BASE_URL = ""
    request = RequestFactory().get("/hazards/1/", HTTP_HOST="127.0.0.1:8000")
    assert verification_url("abc", request=request) == "http://127.0.0.1:8000/verify/abc/"
    assert verification_url("abc") == "/verify/abc/"


def test_the_admin_lists_sealed_records_and_changes_nothing(seal, client, sysadmin_user):
    record = seal()
    sysadmin_user.is_staff = sysadmin_user.is_superuser = True
    sysadmin_user.save()
    client.force_login(sysadmin_user)
    assert record.number in client.get(reverse("admin:core_sealedrecord_changelist")).content.decode()
    assert client.get(reverse("admin:core_sealedrecord_add")).status_code == 403
    client.post(reverse("admin:core_sealedrecord_delete", args=[record.pk]), {"post": "yes"})
    assert SealedRecord.objects.filter(pk=record.pk).exists()


def test_a_record_recomputed_without_the_key_is_reported(seal):
    """Someone who can write to the database but has no key: the plain SHA-256 anyone can compute,
    with the key id kept or removed."""
    from safeloop.core.chain import entry_hash
    from safeloop.core.seals import seal_content

    record = seal(b"a")
    lift_triggers()
    record.number = "伪造〔2026〕1号"
    digest = entry_hash(record.prev_hash, seal_content(record))
    SealedRecord.objects.filter(pk=record.pk).update(number=record.number, hash=digest)
    assert problems() == [f"存证 #1 {record}：记录内容与哈希不符，存证记录被修改"]
    record.key_id = ""
    SealedRecord.objects.filter(pk=record.pk).update(key_id="", hash=entry_hash(record.prev_hash, seal_content(record)))
    assert problems() == [f"存证 #1 {record}：记录没有密钥签名，存证记录被无密钥重算"]
