"""The briefing events are append-only like the hazards' (docs/adr/0012): the database refuses
UPDATE and DELETE on them (triggers, core.db.refuse_changes_sql)."""

from django.db import migrations

from safeloop.core.db import allow_changes_sql, refuse_changes_sql

TABLES = ("briefings_briefingevent",)


def refuse_changes(apps, schema_editor):
    for table in TABLES:
        for statement in refuse_changes_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement, params=None)


def allow_changes(apps, schema_editor):
    for table in TABLES:
        for statement in allow_changes_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0001_initial")]

    operations = [migrations.RunPython(refuse_changes, allow_changes)]
