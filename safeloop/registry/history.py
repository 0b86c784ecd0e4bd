"""An enterprise's change history, read from the audit log as a person reads it: who, when, what
was done, and each field by its Chinese name (the field list, `registry/fields.py`) from what
to what, with references and choices by their names, never their codes.

The log keeps values as the services wrote them (`core.services.shown`: a record by its key,
a choice by its code, nothing as ''); `readable_history` turns one page of entries into words
with one query per kind of reference named on that page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import IntegerField, Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.models import AuditEntry
from safeloop.registry.fields import ENTERPRISE_FIELDS
from safeloop.registry.models import Enterprise

ACTIONS = {
    "enterprise.create": gettext_lazy("登记"),
    "enterprise.import.create": gettext_lazy("Excel导入登记"),
    "enterprise.update": gettext_lazy("修改"),
    "enterprise.import.update": gettext_lazy("Excel导入修改"),
    "admin.add": gettext_lazy("系统管理登记"),
    "admin.change": gettext_lazy("系统管理修改"),
}
CREATIONS = frozenset({"enterprise.create", "enterprise.import.create", "admin.add"})
# Only what the field list names is shown: initials, version, timestamps and the code are bookkeeping.
SHOWN = {spec.name: spec for spec in ENTERPRISE_FIELDS}


@dataclass(frozen=True)
class Change:
    field: str  # the Chinese name
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str
    created: bool  # a registration: the values it set, with no "before"
    changes: list[Change]


def enterprise_history(enterprise: Enterprise) -> QuerySet[AuditEntry]:
    """Every audit entry of the enterprise, newest first (the caller has checked its scope)."""
    entries = AuditEntry.objects.filter(target_type=Enterprise._meta.label_lower, target_id=str(enterprise.pk))
    return entries.select_related("actor").order_by("-at", "-pk")


def readable_history(entries: Sequence[AuditEntry]) -> list[HistoryEntry]:
    names = _ReferenceNames(entries)
    return [_entry(entry, names) for entry in entries]


def _entry(entry: AuditEntry, names: _ReferenceNames) -> HistoryEntry:
    created = entry.action in CREATIONS
    changes = [
        Change(str(SHOWN[field].label), names.shown(SHOWN[field], before), names.shown(SHOWN[field], after))
        for field, (before, after) in _pairs(entry)
        if field in SHOWN and not (created and after in ("", None))  # a registration lists what it set
    ]
    return HistoryEntry(
        at=entry.at,
        who=str(entry.actor) if entry.actor else _("系统"),
        what=str(ACTIONS.get(entry.action, _("修改"))),
        created=created,
        changes=changes,
    )


def _pairs(entry: AuditEntry) -> list[tuple[str, tuple[str, str]]]:
    """The entry's {field: [before, after]} in the order of the field list."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    order = list(SHOWN)
    pairs = [(field, tuple(value)) for field, value in changes.items() if isinstance(value, list) and len(value) == 2]
    return sorted(pairs, key=lambda pair: order.index(pair[0]) if pair[0] in SHOWN else len(order))


class _ReferenceNames:
    """The names of the records one page of entries refers to, one query per model."""

    def __init__(self, entries: Sequence[AuditEntry]) -> None:
        keys: dict[str, set[str]] = {}
        for entry in entries:
            for field, pair in _pairs(entry):
                if field in SHOWN and SHOWN[field].kind == Kind.REF:
                    keys.setdefault(field, set()).update(str(value) for value in pair if value)
        self._names = {field: _names_of(_related(field), found) for field, found in keys.items()}

    def shown(self, spec: FieldSpec, value: object) -> str:
        text = "" if value is None else str(value)
        if text == "":
            return _("（空）")
        if spec.kind == Kind.REF:
            return self._names.get(spec.name, {}).get(text, text)
        if spec.kind == Kind.BOOLEAN:
            return _("是") if text in ("True", "true", "1") else _("否")
        return dict(spec.choices).get(text, text)


def _related(field: str) -> type[Model]:
    return Enterprise._meta.get_field(field).related_model  # type: ignore[return-value]


def _names_of(model: type[Model], keys: set[str]) -> dict[str, str]:
    if isinstance(model._meta.pk, IntegerField):  # a number; anything else names no row of it
        keys = {key for key in keys if key.isascii() and key.isdigit() and len(key) <= 18}
    return {str(pk): str(obj) for pk, obj in model._default_manager.in_bulk(list(keys)).items()}
