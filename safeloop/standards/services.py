"""Writes to the standards catalogue: an administrator adds a standard or a clause, or amends a
clause. Every write is versioned (a stale edit is a conflict) and audited. The data files stay the
record of what was published; an amended clause is kept by `load_standards` unless forced."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.audit import audit_record
from safeloop.core.errors import Conflict, Forbidden
from safeloop.core.roles import Role
from safeloop.core.services import model_update
from safeloop.standards.models import Clause, Standard


def can_edit_catalogue(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        getattr(user, "role", "") == Role.SYSADMIN or bool(getattr(user, "is_superuser", False))
    )


def _require_editor(actor: Any) -> None:
    if not can_edit_catalogue(actor):
        raise Forbidden(_("只有系统管理员可以维护判定标准库"))


def standard_create(*, actor: Any, data: dict[str, Any]) -> Standard:
    _require_editor(actor)
    try:
        with transaction.atomic():
            standard = Standard.objects.create(**data)
            audit_record(actor=actor, action="standard.create", target=standard, changes={"id": [None, standard.id]})
    except IntegrityError:
        raise Conflict(_("标准编号已存在"), code="duplicate") from None
    return standard


def clause_create(*, actor: Any, data: dict[str, Any]) -> Clause:
    _require_editor(actor)
    try:
        with transaction.atomic():
            clause = Clause.objects.create(**data, amended_at=timezone.now(), amended_by=actor)
            audit_record(actor=actor, action="clause.create", target=clause, changes={"id": [None, clause.id]})
    except IntegrityError:
        raise Conflict(_("条款编号已存在"), code="duplicate") from None
    return clause


def clause_amend(*, actor: Any, clause: Clause, data: dict[str, Any], version: int | None = None) -> Clause:
    """Amend a clause (text, keywords, status, superseded-by …); marks it amended so that a later
    `load_standards` keeps the amendment."""
    _require_editor(actor)
    with transaction.atomic():
        row = Clause.objects.select_for_update().get(pk=clause.pk)  # reference data: no scope to narrow
        if version is not None and row.version != version:
            raise Conflict(
                _("该条款已被他人修改（当前版本 {current}），请刷新后重试").format(current=row.version),
                code="stale_version",
            )
        stamp = {"amended_at": timezone.now(), "amended_by": actor}
        model_update(instance=row, data={**data, **stamp}, actor=actor, action="clause.amend")
    return row


def standard_amend(*, actor: Any, standard: Standard, data: dict[str, Any], version: int | None = None) -> Standard:
    _require_editor(actor)
    with transaction.atomic():
        row = Standard.objects.select_for_update().get(pk=standard.pk)  # reference data: no scope to narrow
        if version is not None and row.version != version:
            raise Conflict(
                _("该标准已被他人修改（当前版本 {current}），请刷新后重试").format(current=row.version),
                code="stale_version",
            )
        model_update(instance=row, data=data, actor=actor, action="standard.amend")
    return row
