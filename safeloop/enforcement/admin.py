"""The system administrator keeps the clue types (data/clue_kinds.csv loads them) here."""

from django.contrib import admin

from safeloop.core.admin_audit import AuditedAdmin
from safeloop.enforcement.models import ClueKind


@admin.register(ClueKind)
class ClueKindAdmin(AuditedAdmin):
    list_display = ("code", "name", "department_kind", "source")
