"""Load the clue types (data/clue_kinds.csv) and make the clue and case events append-only like
the hazards' (docs/adr/0012: triggers from core.db.refuse_changes_sql)."""

import csv
from pathlib import Path

from django.db import migrations

from safeloop.core.db import allow_changes_sql, refuse_changes_sql

TABLES = ("enforcement_clueevent", "enforcement_caseevent")
CSV = Path(__file__).resolve().parent.parent / "data" / "clue_kinds.csv"


def load_kinds(apps, schema_editor):
    ClueKind = apps.get_model("enforcement", "ClueKind")
    lines = [line for line in CSV.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    for order, row in enumerate(csv.DictReader(lines)):
        ClueKind.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "department_kind": row["department_kind"], "source": row["source"], "order": order},
        )


def refuse_changes(apps, schema_editor):
    for table in TABLES:
        for statement in refuse_changes_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement, params=None)


def allow_changes(apps, schema_editor):
    for table in TABLES:
        for statement in allow_changes_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [
        migrations.RunPython(load_kinds, migrations.RunPython.noop),
        migrations.RunPython(refuse_changes, allow_changes),
    ]
