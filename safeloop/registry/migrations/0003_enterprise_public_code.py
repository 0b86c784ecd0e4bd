"""一企一码, step 1 of 3: the column, empty for now.

A callable default in AddField is evaluated once and copied to every existing row, so the
codes are added empty here, filled one by one in 0004 and made unique and required in 0005
(three migrations: on PostgreSQL each runs in its own transaction, so the constraint is not
added while the fill's updates are still pending).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_enterprise_name_trigram")]
    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="public_code",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="企业码"),
        ),
    ]
