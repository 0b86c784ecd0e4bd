from django.db import migrations


def load(apps, schema_editor):
    from safeloop.standards.catalogue import catalogue_load

    catalogue_load(apps.get_model("standards", "Standard"), apps.get_model("standards", "Clause"))


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
