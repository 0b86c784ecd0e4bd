# Sign-in failures move to the one throttle in core (core.ThrottleHit, scope "login"), which
# keeps them (cleared on success) instead of deleting them; users get an access epoch that is
# part of their session hash.

from django.db import migrations, models


def failures_to_throttle(apps, schema_editor):
    LoginFailure = apps.get_model("accounts", "LoginFailure")
    ThrottleHit = apps.get_model("core", "ThrottleHit")
    hits = (
        ThrottleHit(scope="login", key=failure.username, address=failure.ip, at=failure.at)
        for failure in LoginFailure.objects.iterator()
    )
    ThrottleHit.objects.bulk_create(hits, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_positions_and_delegations'),
        ('core', '0007_throttle'),
    ]

    operations = [
        migrations.RunPython(failures_to_throttle, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='LoginFailure',
        ),
        migrations.AddField(
            model_name='user',
            name='access_epoch',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
