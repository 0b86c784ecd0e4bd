"""Carry the hand assignments accounts once kept (ExpertAssignment) over to the pool: each expert
account with an active assignment gets a profile (if it has none) and a planned visit per
assigned enterprise, so its scope is unchanged. Runs before accounts drops the table."""

from django.db import migrations
from django.utils import timezone


def carry_over(apps, schema_editor):
    Assignment = apps.get_model("accounts", "ExpertAssignment")
    Expert = apps.get_model("experts", "Expert")
    Visit = apps.get_model("experts", "Visit")
    today = timezone.localdate()
    for row in Assignment.objects.filter(active=True).select_related("expert").order_by("pk"):
        user = row.expert
        expert = Expert.objects.filter(user_id=user.pk).first()
        if expert is None:
            name = user.display_name or user.username
            expert = Expert.objects.create(user_id=user.pk, name=name, home_lat="28.55", home_lng="112.35")
        if not Visit.objects.filter(expert=expert, enterprise_id=row.enterprise_id, status="planned").exists():
            Visit.objects.create(expert=expert, enterprise_id=row.enterprise_id, on=today, purpose="帮扶指导")


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0003_matching_runs_visit_hazards"),
        ("accounts", "0005_access_epoch_throttle"),
    ]
    run_before = [("accounts", "0006_drop_expert_assignment")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
