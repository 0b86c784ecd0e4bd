"""一企一码, step 3 of 3: every enterprise has its code; it is unique and new rows get one."""

from django.db import migrations, models

import safeloop.registry.models


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_fill_public_codes")]
    operations = [
        migrations.AlterField(
            model_name="enterprise",
            name="public_code",
            field=models.CharField(
                default=safeloop.registry.models.new_public_code,
                editable=False,
                max_length=16,
                unique=True,
                verbose_name="企业码",
            ),
        ),
    ]
