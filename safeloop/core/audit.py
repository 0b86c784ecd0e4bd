from __future__ import annotations

from typing import Any

from django.db.models import Model

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
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
