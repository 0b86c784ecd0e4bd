"""The hazard event chain: `HazardEvent` over the generic chain of `core.chain`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from safeloop.core.chain import ChainProblem, chain_append, chain_content, chain_verify_all
from safeloop.hazards.models import Attachment, Hazard, HazardEvent


def event_content(hazard_code: str, event: Any) -> dict[str, Any]:
    """Everything an event asserts; the hash covers exactly this (bulk history computes it too)."""
    return chain_content(event, owner=HazardEvent.chain_owner, key=hazard_code)


def event_append(*, hazard: Hazard, **event: Any) -> HazardEvent:
    """Append one event (action, actor, at, from_status, payload, attachments, actor_role) and
    move the hazard's chain head; inside the action's transaction, after the hazard is saved."""
    return chain_append(events=HazardEvent, owner=hazard, **event)


def verify_all(batch: int = 2000) -> Iterator[ChainProblem]:
    """Walk every hazard's chain, a batch of hazards at a time (with the fields it replays)."""
    return chain_verify_all(HazardEvent, batch=batch)


def evidence_files() -> Iterator[tuple[str, str, str]]:
    """(label, storage name, SHA-256) of every evidence file, for `core.filecheck`."""
    rows = Attachment.objects.order_by("pk").values_list("hazard__code", "file", "sha256")
    for code, name, sha256 in rows.iterator(chunk_size=5000):
        yield _("%(code)s 的附件") % {"code": code}, name, sha256
