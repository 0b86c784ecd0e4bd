"""Sealed records are keyed like the event chains (docs/adr/0012): each record's hash becomes an
HMAC under the current ledger key, recomputed here in seq order for the records sealed before
(their content, and the SHA-256 of their files that documents print, are unchanged; the old plain
hashes proved nothing against a database writer). From now on an unkeyed record is a finding.

The ledger key must be configured before migrating a database with sealed records. On SQLite
adding the column rebuilds the table, which drops its triggers; they are installed again."""

from django.db import migrations, models

from safeloop.core.chain import GENESIS, current_key_id, keyed_hash
from safeloop.core.db import allow_changes_sql, refuse_changes_sql

TABLE = "core_sealedrecord"


def rekey(apps, schema_editor):
    from safeloop.core.seals import seal_content

    vendor = schema_editor.connection.vendor
    SealedRecord = apps.get_model("core", "SealedRecord")
    records = list(SealedRecord.objects.order_by("seq"))
    if records:
        for statement in allow_changes_sql(vendor, TABLE):
            schema_editor.execute(statement, params=None)
        key_id, prev = current_key_id(), GENESIS
        for record in records:
            record.key_id, record.prev_hash = key_id, prev
            record.hash = prev = keyed_hash(key_id, prev, seal_content(record))
        SealedRecord.objects.bulk_update(records, ["key_id", "prev_hash", "hash"], batch_size=500)
    if records or vendor == "sqlite":
        for statement in refuse_changes_sql(vendor, TABLE):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_ledger_counter_file_check")]

    operations = [
        migrations.AddField(
            model_name="sealedrecord",
            name="key_id",
            field=models.CharField(blank=True, max_length=20, verbose_name="密钥编号"),
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
