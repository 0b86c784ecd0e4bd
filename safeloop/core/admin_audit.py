"""The admin writes through an audited path: every add, change and delete leaves an AuditEntry.

The reference data edited in the admin decides who sees what (a department's categories, a
user's role and region) and when a deadline falls (CalendarDay), so each write records the
changed fields with their old and new values, like the services do (`{field: [old, new]}`).
Values are shown as the services show them: related objects by primary key, many-to-many
fields as sorted lists of keys. A field whose name mentions a password is never recorded.

Subclasses must not change fields in `save_model` behind the form's back: a change is what the
admin form changed (`form.changed_data`, old values from `form.initial`, which the admin filled
from the row it loaded inside the same transaction).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from safeloop.core.audit import audit_bulk, audit_record
from safeloop.core.security_log import SecurityKind, SecurityResult, record


class AuditedAdmin(admin.ModelAdmin):
    # Besides any field whose name contains "password"; a subclass adds its own secrets here.
    audit_exclude: frozenset[str] = frozenset()
    # Fields that grant or take away access (a user's role, scope, active flag): a change of
    # one is also a permission change in the security log.
    security_fields: frozenset[str] = frozenset()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        # The admin calls this after save_model, so many-to-many values are saved too, and one
        # entry holds the whole edit; both run in the admin's transaction.
        super().save_related(request, form, formsets, change)
        changes = self._form_changes(form) if change else self._added(form)
        if changes:
            action = "admin.change" if change else "admin.add"
            audit_record(actor=request.user, action=action, target=form.instance, changes=changes)
            self._log(request, form.instance, _("修改") if change else _("新增"), list(changes))

    def _log(self, request: HttpRequest, obj: Model, change: str, fields: list[str]) -> None:
        """The security log's entry of an administrator's change (values stay in the audit log)."""
        labels = [str(field_label(obj, name)) for name in fields]
        detail = {"change": change, "object": str(obj._meta.verbose_name), "id": str(obj.pk), "fields": labels}
        record(SecurityKind.ADMIN_CHANGE, request=request, result=SecurityResult.SUCCESS, detail=detail)
        if self.security_fields.intersection(fields):
            detail["account"] = str(obj)
            record(SecurityKind.ROLE_CHANGE, request=request, result=SecurityResult.SUCCESS, detail=detail)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # Recorded first: after the delete the object has no primary key left to name.
        audit_record(actor=request.user, action="admin.delete", target=obj, changes=self._deleted(obj))
        self._log(request, obj, _("删除"), [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The changelist's "delete selected" action: one entry per deleted object."""
        with transaction.atomic():
            targets = [(obj, self._deleted(obj)) for obj in queryset]
            audit_bulk(actor=request.user, action="admin.delete", targets=targets)
            for obj, _fields in targets:
                self._log(request, obj, _("删除"), [])
            super().delete_queryset(request, queryset)

    def _recorded(self, name: str) -> bool:
        return "password" not in name and name not in self.audit_exclude

    def _form_changes(self, form: Any) -> dict[str, list[Any]]:
        return {
            name: [show(form.initial.get(name)), show(form.cleaned_data.get(name))]
            for name in form.changed_data
            if self._recorded(name)
        }

    def _added(self, form: Any) -> dict[str, list[Any]]:
        return {name: ["", value] for name, value in self._fields_of(form.instance).items()}

    def _deleted(self, obj: Model) -> dict[str, list[Any]]:
        return {name: [value, ""] for name, value in self._fields_of(obj).items()}

    def _fields_of(self, obj: Model) -> dict[str, Any]:
        """Every recorded concrete and many-to-many field of a saved object, shown."""
        fields = [*obj._meta.concrete_fields, *obj._meta.many_to_many]
        return {f.name: show(f.value_from_object(obj)) for f in fields if self._recorded(f.name)}


def field_label(obj: Model, name: str) -> str:
    try:
        return str(getattr(obj._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def show(value: Any) -> str | list[str]:
    """A value as the audit log keeps it: JSON-safe, related objects by primary key."""
    if value is None:
        return ""
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(show_one(item) for item in value)
    return show_one(value)


def show_one(value: Any) -> str:
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
