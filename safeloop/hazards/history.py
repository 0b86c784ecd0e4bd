"""Bulk creation of hazards together with their recorded history (imports, demo data).

Each hazard arrives with the list of acts already performed on it (from an old ledger or a
generator). The chain is computed exactly as `event_append` computes it, so `verify_ledger`
checks imported history like any other; the acts are marked as imported in their payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from safeloop.core.chain import GENESIS, entry_hash
from safeloop.hazards.events import event_content
from safeloop.hazards.models import Hazard, HazardEvent


@dataclass
class Act:
    action: str
    at: datetime
    to_status: str
    actor_name: str
    actor_role: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class HazardWithHistory:
    hazard: Hazard
    acts: list[Act]


def chain_events(hazard: Hazard, acts: list[Act]) -> list[HazardEvent]:
    """Events for a hazard (saved or not: the hash covers its code, not its id); sets
    `hazard.chain_head` and `hazard.status` to match the last act."""
    events, prev, status = [], GENESIS, ""
    for seq, act in enumerate(acts, start=1):
        event = HazardEvent(
            hazard=hazard,
            seq=seq,
            action=act.action,
            actor=None,
            actor_name=act.actor_name,
            actor_role=act.actor_role,
            at=act.at,
            from_status=status,
            to_status=act.to_status,
            payload=act.payload,
            attachments=[],
            prev_hash=prev,
        )
        event.hash = entry_hash(prev, event_content(hazard.code, event))
        events.append(event)
        prev, status = event.hash, act.to_status
    hazard.chain_head, hazard.status = prev, status
    return events


@transaction.atomic
def hazards_bulk_create(*, items: list[HazardWithHistory], batch_size: int = 2000) -> int:
    """Insert hazards, then their chained events. Hazard codes must already be assigned."""
    events = [event for item in items for event in chain_events(item.hazard, item.acts)]
    Hazard.objects.bulk_create([item.hazard for item in items], batch_size=batch_size)
    HazardEvent.objects.bulk_create(events, batch_size=batch_size * 3)  # hazard ids are filled in by now
    return len(items)
