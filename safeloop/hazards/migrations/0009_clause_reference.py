"""The hazard's 判定依据 becomes a reference to a catalogue clause (issue 11), 1 of 2: the free
text moves to `legacy_clause`; `clause` is a foreign key to standards.Clause (same column name).
0010 links the texts that name one clause unambiguously."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0008_ledger_append_only"),
        ("standards", "0002_load_catalogue"),
    ]

    operations = [
        migrations.RenameField(model_name="hazard", old_name="clause", new_name="legacy_clause"),
        migrations.AlterField(
            model_name="hazard",
            name="legacy_clause",
            field=models.CharField(blank=True, max_length=200, verbose_name="原判定依据（未对应到条款）"),
        ),
        migrations.AddField(
            model_name="hazard",
            name="clause",
            field=models.ForeignKey(
                blank=True,
                db_column="clause",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="hazards",
                to="standards.clause",
                verbose_name="判定依据",
            ),
        ),
    ]
