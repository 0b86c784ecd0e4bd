"""Existing evidence gets its kind from the hazard's history: a file uploaded before the hazard's
开始整改 (`start` event) shows the hazard as found; one uploaded at or after it, the rectification.
A hazard that never started has only 隐患照片 (the field's default)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def kinds_from_events(apps, schema_editor):
    Attachment = apps.get_model("hazards", "Attachment")
    HazardEvent = apps.get_model("hazards", "HazardEvent")
    started = HazardEvent.objects.filter(hazard_id=OuterRef("hazard_id"), action="start").order_by("seq").values("at")
    Attachment.objects.filter(uploaded_at__gte=Subquery(started[:1])).update(kind="rectification")


def all_hazard_photos(apps, schema_editor):
    apps.get_model("hazards", "Attachment").objects.update(kind="hazard")


class Migration(migrations.Migration):
    dependencies = [("hazards", "0003_evidence_kind_on_spot_listing")]

    operations = [migrations.RunPython(kinds_from_events, all_hazard_photos)]
