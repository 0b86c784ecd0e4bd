"""Backups that are tested: back up, wipe, restore, and the ledger and every file hash verify.
On PostgreSQL this runs pg_dump and pg_restore (their major version must match the server's)."""

import hashlib
import shutil

import pytest
from django.core.management import call_command
from django.db import connection

from safeloop.core.backup import MAGIC, BackupError, backup_create, backup_restore, pg_tools_match
from safeloop.core.db import allow_changes_sql
from safeloop.core.ledger import ledger_top, ledger_verify, published_roots
from safeloop.hazards.models import Attachment, Hazard, HazardEvent
from tests.conftest import APPEND_ONLY, in_a_year

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recorded(general_self_found, boss, worker):
    loop = general_self_found
    loop.act(boss, "confirm")
    loop.act(boss, "assign", responsible_unit="车间", responsible_person="王", deadline=in_a_year())
    loop.act(worker, "start")
    loop.upload(worker)
    return loop.hazard


def wipe(settings):
    """Everything gone: the database emptied (triggers lifted for it) and the stored files deleted."""
    with connection.cursor() as cursor:
        for table in APPEND_ONLY:
            for statement in allow_changes_sql(connection.vendor, table):
                cursor.execute(statement)
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)


def file_hashes(settings):
    return {
        a.file: hashlib.sha256((settings.MEDIA_ROOT / a.file).read_bytes()).hexdigest()
        for a in Attachment.objects.all()
    }


def test_postgresql_tools_match_the_server():
    if connection.vendor == "postgresql":
        matches, versions = pg_tools_match()
        assert matches, versions


def test_backup_wipe_restore_verifies_the_ledger_and_every_file(recorded, settings, tmp_path):
    events, files = HazardEvent.objects.count(), file_hashes(settings)
    assert list(ledger_verify()) == []
    result = backup_create(target_dir=tmp_path / "backups")
    assert result.manifest["root"]["last"] == ledger_top() == events  # the day's root, published and kept
    assert published_roots()[-1]["root"] == result.manifest["root"]["root"]

    wipe(settings)
    assert Hazard.objects.count() == 0
    assert {f.finding for f in ledger_verify()} >= {"roots"}  # the wipe itself is caught: fewer than published

    manifest = backup_restore(result.path)
    assert manifest["ledger_top"] == events
    assert Hazard.objects.get().code == recorded.code and HazardEvent.objects.count() == events
    assert file_hashes(settings) == files and {a.sha256 for a in Attachment.objects.all()} == set(files.values())
    assert list(ledger_verify(full_files=True)) == []
    call_command("verify_ledger", full=True)


def test_a_backup_is_encrypted_and_refuses_another_key_or_a_cut(recorded, settings, tmp_path):
    result = backup_create(target_dir=tmp_path)
    data = result.path.read_bytes()
    assert data.startswith(MAGIC) and recorded.code.encode() not in data and b"SQLite format" not in data
    cut = tmp_path / "cut.backup"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError, match="truncated|decrypt"):
        backup_restore(cut)
    settings.SAFELOOP_BACKUP_KEY = "A" * 43 + "="
    with pytest.raises(BackupError, match="decrypt"):
        backup_restore(result.path)
    assert Hazard.objects.get().code == recorded.code  # nothing was touched
