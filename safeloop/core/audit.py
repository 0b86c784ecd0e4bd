from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Model

from safeloop.core.inserts import bulk_insert
from safeloop.core.models import AuditEntry


def audit_record(*, actor: Any, action: str, target: Model, changes: dict[str, Any]) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        changes=changes,
    )


def audit_bulk(*, actor: Any, action: str, targets: list[tuple[Model, dict[str, Any]]]) -> None:
    entries = [
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            changes=changes,
        )
        for target, changes in targets
    ]
    bulk_insert(AuditEntry, entries)


def audit_import(*, actor: Any, action: str, model: type[Model], data: bytes, counts: dict[str, int]) -> AuditEntry:
    """One entry for a whole import: who imported which file (its SHA-256 and size) into which
    table, and how many rows it created, updated or left unchanged. (Each created row does not
    get an entry of its own: 10,000 of them cost more than the import; an updated row keeps its
    own entry with its changes.)"""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=model._meta.label_lower,
        target_id="",
        changes={"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), **counts},
    )
