"""Writes to the registry. Every change is validated, scoped, versioned and audited."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safeloop.accounts.models import User
from safeloop.core.audit import audit_record
from safeloop.core.changes import changed, changed_many
from safeloop.core.errors import Conflict, Forbidden
from safeloop.core.services import locked_update, shown
from safeloop.core.text import pinyin_initials
from safeloop.registry.models import Enterprise
from safeloop.registry.permissions import can_register_enterprises
from safeloop.registry.validation import OVERRIDE, EnterpriseCleaner, editable_fields, override_refusal


def enterprise_create(*, actor: User, data: dict[str, Any], cleaner: EnterpriseCleaner | None = None) -> Enterprise:
    if not can_register_enterprises(actor):
        raise Forbidden(_("您的角色不能登记企业"))
    values = enterprise_values((cleaner or EnterpriseCleaner(actor)).clean(data))
    refusal = override_refusal(actor, current_id=None, department=values.get(OVERRIDE), region=values["region"])
    if refusal is not None:
        raise refusal
    try:
        with transaction.atomic():
            _ensure_credit_code_free(values["credit_code"])
            enterprise = Enterprise.objects.create(**values)
            changed(enterprise, created=True)
            audit_record(actor=actor, action="enterprise.create", target=enterprise, changes=_display(values))
    except IntegrityError:  # a concurrent registration of the same code won the race
        raise _duplicate(values["credit_code"]) from None
    return enterprise


def enterprise_values(values: dict[str, Any]) -> dict[str, Any]:
    """A new enterprise's values: key supervision defaults to its category's, and the name's initials."""
    values.setdefault("key_sector", values["category"].key_sector)
    return with_initials(values)


def with_initials(values: dict[str, Any]) -> dict[str, Any]:
    """The pinyin initials the search uses follow the name."""
    return values | {"name_initials": pinyin_initials(values["name"])} if "name" in values else values


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
    values = with_initials((cleaner or EnterpriseCleaner(actor)).clean(data, partial=True))

    def check(merged: Enterprise) -> None:
        if "credit_code" in values:
            _credit_code_free(merged)
        if OVERRIDE in values or "region" in values:
            _check_override(actor, merged)

    return locked_update(
        record=enterprise, data=values, actor=actor, version=version, action="enterprise.update", check=check
    )


def _check_override(actor: User, merged: Enterprise) -> None:
    """The override rule (validation.override_refusal) against the row as it is stored."""
    current_id = Enterprise.objects.filter(pk=merged.pk).values_list(f"{OVERRIDE}_id", flat=True).get()
    department = merged.supervising_department_override
    refusal = override_refusal(actor, current_id=current_id, department=department, region=merged.region)
    if refusal is not None:
        raise refusal


def _check_editable(actor: User, data: dict[str, Any]) -> None:
    allowed = editable_fields(actor)
    if not allowed:
        raise Forbidden(_("您的角色不能修改企业信息"))
    denied = sorted(set(data) - allowed - {"version"})
    if denied:
        raise Forbidden(_("您的角色不能修改这些字段"), fields=dict.fromkeys(denied, _("无权修改")))


def _credit_code_free(enterprise: Enterprise) -> None:
    _ensure_credit_code_free(enterprise.credit_code, exclude=enterprise.pk)


def _ensure_credit_code_free(code: str, exclude: int | None = None) -> None:
    same = Enterprise.objects.filter(credit_code=code)
    if (same.exclude(pk=exclude) if exclude is not None else same).exists():
        raise _duplicate(code)


def _duplicate(code: str) -> Conflict:
    return Conflict(
        _("统一社会信用代码已被登记"),
        fields={"credit_code": _("统一社会信用代码{code}已被登记，不能重复").format(code=code)},
        code="duplicate",
    )


def _display(values: dict[str, Any]) -> dict[str, list[str]]:
    return {field: ["", shown(value)] for field, value in values.items()}


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
        changed_many(enterprises)
    return len(enterprises)
