"""On PostgreSQL, a trigram index makes the name search (ILIKE '%…%') indexable.

pg_trgm needs CREATE EXTENSION rights; where the role lacks them, the index is skipped with a
message (search still works, by sequential scan). SQLite has no equivalent and needs none at
city scale.
"""

from django.db import migrations, transaction


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - permissions differ between deployments
        print(f"\n  pg_trgm unavailable ({exc}); enterprise name search will not use an index.")
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS ent_name_trgm ON registry_enterprise USING gin (name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ent_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
