# OfficerCertificate moved to the registry (registry 0007): copy the rows, then drop this table.

from django.db import migrations


def copy_to_registry(apps, schema_editor):
    old = apps.get_model("inspections", "OfficerCertificate")
    new = apps.get_model("registry", "OfficerCertificate")
    new.objects.bulk_create(
        new(id=c.id, user_id=c.user_id, certificate_no=c.certificate_no, expires_on=c.expires_on, active=c.active)
        for c in old.objects.all()
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("inspections", "OfficerCertificate")
    new = apps.get_model("registry", "OfficerCertificate")
    old.objects.bulk_create(
        old(id=c.id, user_id=c.user_id, certificate_no=c.certificate_no, expires_on=c.expires_on, active=c.active)
        for c in new.objects.all()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0003_joint_code'),
        ('registry', '0007_officercertificate'),
    ]

    operations = [
        migrations.RunPython(copy_to_registry, copy_back),
        migrations.DeleteModel(name='OfficerCertificate'),
    ]
