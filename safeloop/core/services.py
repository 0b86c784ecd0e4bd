"""The two moves every update makes: lock the row the user may see, then save what changed.

    with transaction.atomic():
        row = locked_row(model=Accident, pk=pk, version=version, user=actor)
        changes = model_update(instance=row, data=values, actor=actor)

`locked_row` gives 404 for a row outside the user's scope and 409 for a stale version, so a
concurrent edit is refused, never overwritten. `model_update` sets only the fields whose value
differs, saves only those (with `version` and `updated_at`) and writes the audit entry.
Code that sets attributes itself (a workflow action) takes a `snapshot` first and then
`save_changed`, which saves exactly what differs from it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from safeloop.core.audit import audit_record
from safeloop.core.changes import changed
from safeloop.core.errors import Conflict, NotFound
from safeloop.core.scope import visible

M = TypeVar("M", bound=Model)


def locked_row(*, model: type[M], pk: Any, version: int | None, user: Any, queryset: QuerySet[M] | None = None) -> M:
    """The row, locked for this transaction; `version` None skips the check (a client that sends none)."""
    qs = queryset if queryset is not None else model._default_manager.select_for_update()
    row = visible(user, qs).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    current = getattr(row, "version", None)  # versioned models only; M does not declare it
    if version is not None and current != version:
        name = model._meta.verbose_name
        raise Conflict(
            _("该{name}已被他人修改（当前版本 {current}），请刷新后重试").format(name=name, current=current),
            code="stale_version",
        )
    return row


def model_update(
    *,
    instance: M,
    data: Mapping[str, Any],
    actor: Any,
    action: str | None = None,
    check: Callable[[M], None] | None = None,
) -> dict[str, list[str]]:
    """Apply `data`, save the changed fields and audit them; returns {field: [old, new]}.

    `check` sees the merged record before anything is saved (cross-field rules) and may raise.
    """
    changes = diff_apply(instance, data)
    if check is not None:
        check(instance)
    if not changes:
        return changes
    _save_fields(instance, list(changes))
    audit_record(actor=actor, action=action or f"{instance._meta.model_name}.update", target=instance, changes=changes)
    return changes


def locked_update(
    *,
    record: M,
    data: Mapping[str, Any],
    actor: Any,
    version: int | None,
    action: str | None = None,
    check: Callable[[M], None] | None = None,
) -> M:
    """The usual edit, in one transaction: `locked_row`, then `model_update`; returns the saved row."""
    with transaction.atomic():
        row = locked_row(model=type(record), pk=record.pk, version=version, user=actor)
        model_update(instance=row, data=data, actor=actor, action=action, check=check)
    return row


def diff_apply(instance: Model, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Set each field whose value differs; {field: [old, new]} as text, for the audit entry."""
    changes: dict[str, list[str]] = {}
    for name, value in data.items():
        old = getattr(instance, name)
        if old != value:
            changes[name] = [shown(old), shown(value)]
            setattr(instance, name, value)
    return changes


def shown(value: Any) -> str:
    """A value as the audit log keeps it: a record by its key, nothing as ''."""
    if value is None:
        return ""
    return str(getattr(value, "pk", value))


def _has_field(instance: Model, name: str) -> bool:
    return any(f.name == name for f in instance._meta.concrete_fields)


def snapshot(instance: Model) -> dict[str, Any]:
    """The row's field values now (copies: an action may change a JSON value in place)."""
    return {f.name: copy.deepcopy(getattr(instance, f.attname)) for f in instance._meta.concrete_fields}


def save_changed(instance: Model, before: Mapping[str, Any], *, touch: bool = False) -> list[str]:
    """Save the fields that differ from `before`, with a new `version` and `updated_at`. With
    `touch`, a new version is saved even when nothing else changed (every workflow act is one)."""
    fields = [name for name, value in snapshot(instance).items() if before.get(name) != value]
    if fields or touch:
        _save_fields(instance, fields)
    return fields


def _save_fields(instance: Model, fields: list[str]) -> None:
    if _has_field(instance, "version"):
        instance.version += 1  # type: ignore[attr-defined]
        fields.append("version")
    if _has_field(instance, "updated_at"):
        fields.append("updated_at")
    instance.save(update_fields=fields)
    if not hasattr(instance, "chain_head"):  # a chained owner joins the feed with its event (core.chain)
        changed(instance)
