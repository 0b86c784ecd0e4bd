# The enforcement certificate (执法证) moves down from inspections so that inspections and
# 打非治违 (enforcement) share the legal-enforcement-body rule (registry.bodies). The data is
# copied by inspections 0004, which then drops its own table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0006_enterprise_risk_features'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OfficerCertificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('certificate_no', models.CharField(max_length=40, verbose_name='执法证号')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='有效期至')),
                ('active', models.BooleanField(default=True, verbose_name='有效')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='officer_certificate', to=settings.AUTH_USER_MODEL, verbose_name='执法人员')),
            ],
            options={
                'verbose_name': '执法证',
                'verbose_name_plural': '执法证',
            },
        ),
    ]
