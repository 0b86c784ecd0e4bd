"""Bulk creation of hazards together with their recorded history (imports, demo data).

Each hazard arrives with the list of acts already performed on it (from an old ledger or a
generator). The chain is computed exactly as `event_append` computes it, so `verify_ledger`
checks imported history like any other; the acts are marked as imported in their payload.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from django.db import connection, transaction

from safeloop.core.chain import GENESIS, current_key_id, keyed_hash, ledger_advance, plain
from safeloop.core.changes import changed_many
from safeloop.core.inserts import bulk_insert, pks_by
from safeloop.hazards.events import event_content
from safeloop.hazards.models import Attachment, Hazard, HazardEvent

_JSON = json.JSONEncoder(ensure_ascii=False).encode  # built once (json.dumps with options builds one a call)


@dataclass
class Act:
    action: str
    at: datetime
    to_status: str
    actor_name: str
    actor_role: str
    payload: dict[str, Any] = field(default_factory=dict)
    evidence: list[Attachment] = field(default_factory=list)  # unsaved; recorded by hash in the event


@dataclass
class HazardWithHistory:
    hazard: Hazard
    acts: list[Act]


def _event_rows(hazard: Hazard, acts: list[Act], position: int, key_id: str) -> list[tuple]:
    """The hazard's events as plain rows, chained exactly as `event_append` chains them, taking
    the global positions from `position` on; sets `hazard.chain_head` and `hazard.status` to
    match the last act. Plain rows, because a million Django model instances cost more than
    the hashing (province-scale demo data)."""
    rows, prev, status = [], GENESIS, ""
    for seq, act in enumerate(acts, start=1):
        act.payload = plain(act.payload)
        event = SimpleNamespace(
            seq=seq,
            action=act.action,
            actor_id=None,
            actor_name=act.actor_name,
            actor_role=act.actor_role,
            at=act.at,
            from_status=status,
            to_status=act.to_status,
            payload=act.payload,
            attachments=sorted(a.sha256 for a in act.evidence),
            position=position + seq - 1,
            key_id=key_id,
        )
        digest = keyed_hash(key_id, prev, event_content(hazard.code, event))
        rows.append(
            (
                hazard.pk,
                seq,
                act.action,
                act.actor_name,
                act.actor_role,
                act.at.astimezone(UTC),
                status,
                act.to_status,
                _JSON(act.payload),
                _JSON(event.attachments),
                prev,
                digest,
                event.position,
                key_id,
            )
        )
        prev, status = digest, act.to_status
    hazard.chain_head, hazard.status = prev, status
    return rows


@transaction.atomic
def hazards_bulk_create(
    *, items: list[HazardWithHistory], batch_size: int = 2000, progress: Callable[[int], None] | None = None
) -> int:
    """Insert hazards, then their chained events. Hazard codes must already be assigned.
    `progress(n)` hears of each chunk of hazards inserted."""
    key_id, position = current_key_id(), ledger_advance(sum(len(item.acts) for item in items))
    chains = []
    for item in items:  # sets chain heads and statuses
        chains.append(_event_rows(item.hazard, item.acts, position, key_id))
        position += len(item.acts)
    _insert_hazards([item.hazard for item in items], progress)
    params = [_db_row(item.hazard.pk, row) for item, rows in zip(items, chains, strict=True) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(INSERT_EVENT, params)
    Attachment.objects.bulk_create(_evidence_rows(items), batch_size=batch_size)
    changed_many([item.hazard for item in items])
    return len(items)


def _insert_hazards(hazards: list[Hazard], progress: Callable[[int], None] | None) -> None:
    """Through `executemany` (`core.inserts`); the new keys are read back by the unique code."""
    bulk_insert(Hazard, hazards, progress=progress)
    pks = pks_by(Hazard, "code", [hazard.code for hazard in hazards])
    for hazard in hazards:
        hazard.pk = pks[hazard.code]
        hazard._state.adding, hazard._state.db = False, connection.alias


def _evidence_rows(items: list[HazardWithHistory]) -> list[Attachment]:
    """The acts' evidence, bound to the hazard now saved and to the event that used it."""
    rows = []
    for item in items:
        for seq, act in enumerate(item.acts, start=1):
            for attachment in act.evidence:
                attachment.hazard = item.hazard
                attachment.used_in_event = seq
                rows.append(attachment)
    return rows


# The table name comes from the model; every value is a parameter.
INSERT_EVENT = (
    f"INSERT INTO {HazardEvent._meta.db_table} (hazard_id, seq, action, actor_id, actor_name, actor_role, at,"  # noqa: S608
    " from_status, to_status, payload, attachments, prev_hash, hash, position, key_id)"
    " VALUES (%s, %s, %s, NULL, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def _db_row(hazard_id: int, row: tuple) -> tuple:
    return (hazard_id, *row[1:5], connection.ops.adapt_datetimefield_value(row[5]), *row[6:])
