"""一企一码, step 2 of 3: a random code for every enterprise registered before codes existed."""

from django.db import migrations

BATCH = 2000


def fill(apps, schema_editor):
    from safeloop.registry.models import new_public_code

    enterprise = apps.get_model("registry", "Enterprise")
    used: set[str] = set()
    last = 0
    while True:
        batch = list(enterprise.objects.filter(pk__gt=last, public_code=None).order_by("pk")[:BATCH])
        if not batch:
            return
        for row in batch:
            row.public_code = _fresh(new_public_code, used)
        enterprise.objects.bulk_update(batch, ["public_code"])
        last = batch[-1].pk


def _fresh(make, used: set[str]) -> str:
    code = make()
    while code in used:  # 59 random bits: a repeat is all but impossible, and still refused
        code = make()
    used.add(code)
    return code


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_enterprise_public_code")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
