"""Writes to the registry. Every change is validated, scoped, versioned and audited."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from safeloop.accounts.models import User
from safeloop.core.audit import audit_record
from safeloop.core.errors import Conflict, Forbidden, NotFound
from safeloop.core.scope import visible
from safeloop.core.text import pinyin_initials
from safeloop.registry.models import Enterprise
from safeloop.registry.permissions import can_register_enterprises
from safeloop.registry.validation import EnterpriseCleaner, editable_fields


def enterprise_create(*, actor: User, data: dict[str, Any], cleaner: EnterpriseCleaner | None = None) -> Enterprise:
    if not can_register_enterprises(actor):
        raise Forbidden("您的角色不能登记企业")
    values = (cleaner or EnterpriseCleaner(actor)).clean(data)
    values.setdefault("key_sector", values["category"].key_sector)
    try:
        with transaction.atomic():
            _ensure_credit_code_free(values["credit_code"])
            enterprise = Enterprise(**values, name_initials=pinyin_initials(values["name"]))
            enterprise.save()
            audit_record(actor=actor, action="enterprise.create", target=enterprise, changes=_display(values))
    except IntegrityError:  # a concurrent registration of the same code won the race
        raise _duplicate(values["credit_code"]) from None
    return enterprise


def enterprise_update(
    *,
    actor: User,
    enterprise: Enterprise,
    data: dict[str, Any],
    version: int | None = None,
    cleaner: EnterpriseCleaner | None = None,
) -> Enterprise:
    """Apply the given fields. With `version`, a stale edit is refused instead of overwriting."""
    _check_editable(actor, data)
    values = (cleaner or EnterpriseCleaner(actor)).clean(data, partial=True)
    with transaction.atomic():
        current = visible(actor, Enterprise.objects.select_for_update()).filter(pk=enterprise.pk).first()
        if current is None:
            raise NotFound()
        if version is not None and current.version != version:
            raise Conflict("该企业信息已被他人修改，请刷新后重新编辑", code="stale_version")
        changes = apply_changes(current, values)
        if changes:
            if "credit_code" in changes:
                _ensure_credit_code_free(current.credit_code, exclude=current.pk)
            current.version += 1
            current.save(update_fields=[*changes, "version", "updated_at"])
            audit_record(actor=actor, action="enterprise.update", target=current, changes=changes)
    return current


def _check_editable(actor: User, data: dict[str, Any]) -> None:
    allowed = editable_fields(actor)
    if not allowed:
        raise Forbidden("您的角色不能修改企业信息")
    denied = sorted(set(data) - allowed - {"version"})
    if denied:
        raise Forbidden("您的角色不能修改这些字段", fields=dict.fromkeys(denied, "无权修改"))


def apply_changes(enterprise: Enterprise, values: dict[str, Any]) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for field, value in values.items():
        old = getattr(enterprise, field)
        if old != value:
            changes[field] = [_show(old), _show(value)]
            setattr(enterprise, field, value)
    if "name" in changes:
        enterprise.name_initials = pinyin_initials(enterprise.name)
        changes["name_initials"] = ["", enterprise.name_initials]
    return changes


def _ensure_credit_code_free(code: str, exclude: int | None = None) -> None:
    if Enterprise.objects.filter(credit_code=code).exclude(pk=exclude).exists():
        raise _duplicate(code)


def _duplicate(code: str) -> Conflict:
    return Conflict(
        "统一社会信用代码已被登记",
        fields={"credit_code": f"统一社会信用代码{code}已被登记，不能重复"},
        code="duplicate",
    )


def _show(value: Any) -> str:
    if value is None:
        return ""
    return str(getattr(value, "pk", value))


def _display(values: dict[str, Any]) -> dict[str, list[str]]:
    return {field: ["", _show(value)] for field, value in values.items()}


def enterprises_bulk_register(*, enterprises: list[Enterprise], batch_size: int = 5000) -> int:
    """Insert enterprises generated or converted in bulk (demo data, migrations of old systems).

    The caller guarantees validity (the generator builds codes with their check digits); the
    unique constraint on the credit code still guards against duplicates.
    """
    for enterprise in enterprises:
        if not enterprise.name_initials:
            enterprise.name_initials = pinyin_initials(enterprise.name)
    with transaction.atomic():
        Enterprise.objects.bulk_create(enterprises, batch_size=batch_size)
    return len(enterprises)
