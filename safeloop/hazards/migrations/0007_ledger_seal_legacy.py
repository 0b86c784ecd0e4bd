"""Keyed chains and the global sequence, 2 of 3 (docs/adr/0012): the events recorded so far.

Events recorded so far keep their unkeyed hashes (key id '') and get their places in the global
sequence in the order they were appended. Each hazard then gets a keyed `migrated` event that
states the fields the ledger check replays as they are now (level, description, deadline,
responsible person, clause) and links to the unkeyed chain's last hash, so that chain can no
longer be recomputed without the key.

The key must be configured before migrating a database that has events (SAFELOOP_LEDGER_KEYS;
generated into the data directory in local mode). Going back leaves the events as they are.
"""

from datetime import date

from django.db import migrations
from django.utils import timezone

from safeloop.core.chain import GENESIS, SYSTEM, chain_content, current_key_id, keyed_hash, plain

TABLE = "hazards_hazardevent"
REPLAYED = ("description", "level", "clause", "deadline", "responsible_person")
BATCH = 2000


def number_and_seal(apps, schema_editor):
    HazardEvent = apps.get_model("hazards", "HazardEvent")
    if not HazardEvent.objects.exists():
        return
    schema_editor.execute(
        f"UPDATE {TABLE} SET position = r.rn FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM {TABLE})"  # noqa: S608
        f" AS r WHERE r.id = {TABLE}.id",
        params=None,
    )
    top = HazardEvent.objects.count()
    top = _seal_hazards(apps, HazardEvent, top, current_key_id(), timezone.now())
    apps.get_model("core", "LedgerCounter").objects.update_or_create(name="ledger", defaults={"last": top})


def _seal_hazards(apps, HazardEvent, top, key_id, now):
    Hazard = apps.get_model("hazards", "Hazard")
    last_links = {}
    for hazard_id, seq, digest in HazardEvent.objects.order_by("hazard_id", "seq").values_list(
        "hazard_id", "seq", "hash"
    ):
        last_links[hazard_id] = (seq, digest)
    hazards = list(Hazard.objects.order_by("pk"))
    for start in range(0, len(hazards), BATCH):
        page = hazards[start : start + BATCH]
        events = [
            _migrated(HazardEvent, h, last_links.get(h.pk, (0, GENESIS)), top + start + i + 1, key_id, now)
            for i, h in enumerate(page)
        ]
        HazardEvent.objects.bulk_create(events)
        Hazard.objects.bulk_update(page, ["chain_head"])
    return top + len(hazards)


def _migrated(HazardEvent, hazard, last_link, position, key_id, now):
    seq, prev = last_link
    values = {name: getattr(hazard, name) for name in REPLAYED}
    payload = plain({name: v.isoformat() if isinstance(v, date) else v for name, v in values.items()})
    payload["legacy_head"] = prev
    event = HazardEvent(
        hazard=hazard,
        seq=seq + 1,
        action="migrated",
        actor_id=None,
        actor_name=SYSTEM,
        actor_role="system",
        at=now,
        from_status=hazard.status,
        to_status=hazard.status,
        payload=payload,
        attachments=[],
        prev_hash=prev,
        position=position,
        key_id=key_id,
    )
    event.hash = keyed_hash(key_id, prev, chain_content(event, owner="hazard", key=hazard.code))
    hazard.chain_head = event.hash
    return event


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0006_ledger_position_key"),
        ("core", "0005_ledger_counter_file_check"),
    ]

    operations = [migrations.RunPython(number_and_seal, migrations.RunPython.noop)]
