"""Keyed chains and the global sequence, 3 of 3 (docs/adr/0012): every event has its place, and
the database refuses UPDATE and DELETE on events (triggers, core.db.refuse_changes_sql).

On SQLite a later migration that rebuilds this table drops the triggers with it: it must call
`refuse_changes_sql` again (`verify_ledger` reports a missing trigger)."""

from django.db import migrations, models

from safeloop.core.db import allow_changes_sql, refuse_changes_sql

TABLE = "hazards_hazardevent"


def refuse_changes(apps, schema_editor):
    """Events are append-only: the database refuses UPDATE and DELETE."""
    for statement in refuse_changes_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(statement, params=None)


def allow_changes(apps, schema_editor):
    for statement in allow_changes_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0007_ledger_seal_legacy")]

    operations = [
        migrations.AlterField(
            model_name="hazardevent",
            name="position",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="全局序号"),
        ),
        migrations.RunPython(refuse_changes, allow_changes),
    ]
