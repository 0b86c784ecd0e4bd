"""The catalogue in the admin: an administrator adds a standard or a clause, or amends a clause.
Audited like every admin write (AuditedAdmin: audit log and security log); `standards.services`
checks the editor and marks the row amended and versioned (so a later load_standards keeps the
amendment). Nothing is deleted: hazards cite clauses, and a repealed one is marked superseded."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safeloop.core.admin_audit import AuditedAdmin
from safeloop.standards import services
from safeloop.standards.models import Clause, Standard


class CatalogueAdmin(AuditedAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = (*super().get_readonly_fields(request, obj), "version")
        return (*readonly, "id") if obj is not None else readonly  # the id is the key hazards cite

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.can_edit_catalogue(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return services.can_edit_catalogue(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.catalogue_row_stamp(actor=request.user, row=obj, change=change)
        super().save_model(request, obj, form, change)


@admin.register(Standard)
class StandardAdmin(CatalogueAdmin):
    list_display = ("id", "title", "doc_no", "status", "coverage", "in_force_on")
    list_filter = ("status", "coverage")
    search_fields = ("id", "title", "doc_no")


@admin.register(Clause)
class ClauseAdmin(CatalogueAdmin):
    list_display = ("id", "standard", "number", "status", "wording", "amended_at")
    list_filter = ("standard", "status", "wording", "feature")
    search_fields = ("id", "text", "number")
    exclude = ("amended_at", "amended_by")
