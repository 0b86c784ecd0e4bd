"""Keyed chains and the global sequence, 1 of 3 (docs/adr/0012): the event's key id and its
place in the global sequence (filled by 0007, required by 0008)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0005_expected_acceptor"),
        ("core", "0005_ledger_counter_file_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="hazardevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=20, verbose_name="密钥编号"),
        ),
        migrations.AddField(
            model_name="hazardevent",
            name="position",
            field=models.PositiveBigIntegerField(null=True, unique=True, verbose_name="全局序号"),
        ),
    ]
