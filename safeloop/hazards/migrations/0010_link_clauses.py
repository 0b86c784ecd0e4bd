"""The hazard's 判定依据 becomes a reference to a catalogue clause (issue 11), 2 of 2: each hazard
whose free-text reference names exactly one clause (`standards.references.resolve`: the id, an id
written loosely such as 化工121-12, or the standard with article and item in words) now cites it;
the others keep their text in `legacy_clause` and are listed here. Either way the hazard gets a
keyed `clause_linked` event stating both fields, so its chain replays them (`hazards.replay`).
Going back leaves the data as it is."""

from django.db import migrations
from django.utils import timezone

from safeloop.core.chain import GENESIS, SYSTEM, chain_content, current_key_id, keyed_hash, ledger_advance
from safeloop.standards.references import resolve

BATCH = 2000


def link(apps, schema_editor):
    Hazard = apps.get_model("hazards", "Hazard")
    HazardEvent = apps.get_model("hazards", "HazardEvent")
    known = set(apps.get_model("standards", "Clause").objects.values_list("id", flat=True))
    hazards = list(Hazard.objects.exclude(legacy_clause="").order_by("pk"))
    if not hazards:
        return
    key_id, now, kept = current_key_id(), timezone.now(), []
    for start in range(0, len(hazards), BATCH):
        page = hazards[start : start + BATCH]
        links = _last_links(HazardEvent, [h.pk for h in page])
        first = ledger_advance(len(page))
        events = []
        for i, hazard in enumerate(page):
            text = hazard.legacy_clause
            hazard.clause_id = resolve(text, known)
            hazard.legacy_clause = "" if hazard.clause_id else text
            if not hazard.clause_id:
                kept.append((hazard.code, text))
            events.append(_event(HazardEvent, hazard, links.get(hazard.pk, (0, GENESIS)), first + i, key_id, now, text))
        HazardEvent.objects.bulk_create(events)
        Hazard.objects.bulk_update(page, ["clause_id", "legacy_clause", "chain_head"])
    print(f"\n  hazards: {len(hazards) - len(kept)} references linked to clauses, {len(kept)} kept as legacy text")
    for code, text in kept:
        print(f"    {code}: {text}")


def _last_links(HazardEvent, ids):
    links = {}
    rows = (
        HazardEvent.objects.filter(hazard_id__in=ids)
        .order_by("hazard_id", "seq")
        .values_list("hazard_id", "seq", "hash")
    )
    for hazard_id, seq, digest in rows:
        links[hazard_id] = (seq, digest)
    return links


def _event(HazardEvent, hazard, last_link, position, key_id, now, text):
    seq, prev = last_link
    event = HazardEvent(
        hazard=hazard,
        seq=seq + 1,
        action="clause_linked",
        actor_id=None,
        actor_name=SYSTEM,
        actor_role="system",
        at=now,
        from_status=hazard.status,
        to_status=hazard.status,
        payload={"clause": hazard.clause_id, "legacy_clause": hazard.legacy_clause, "written": text},
        attachments=[],
        prev_hash=prev,
        position=position,
        key_id=key_id,
    )
    event.hash = keyed_hash(key_id, prev, chain_content(event, owner="hazard", key=hazard.code))
    hazard.chain_head = event.hash
    return event


class Migration(migrations.Migration):
    dependencies = [("hazards", "0009_clause_reference")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
