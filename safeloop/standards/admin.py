"""The catalogue in the admin: an administrator adds a standard or a clause, or amends a clause,
through `standards.services` (versioned, audited, marked amended). Nothing is deleted: hazards cite
clauses, and a repealed one is marked superseded instead."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safeloop.standards import services
from safeloop.standards.models import Clause, Standard


class CatalogueAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = (*super().get_readonly_fields(request, obj), "version")
        return (*readonly, "id") if obj is not None else readonly  # the id is the key hazards cite

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.can_edit_catalogue(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return services.can_edit_catalogue(request.user)


def _fields(form: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}


@admin.register(Standard)
class StandardAdmin(CatalogueAdmin):
    list_display = ("id", "title", "doc_no", "status", "coverage", "in_force_on")
    list_filter = ("status", "coverage")
    search_fields = ("id", "title", "doc_no")

    def save_model(self, request: HttpRequest, obj: Standard, form: Any, change: bool) -> None:
        if change:
            services.standard_amend(actor=request.user, standard=obj, data=_fields(form))
        else:
            created = services.standard_create(actor=request.user, data=form.cleaned_data)
            obj.pk = created.pk


@admin.register(Clause)
class ClauseAdmin(CatalogueAdmin):
    list_display = ("id", "standard", "number", "status", "wording", "amended_at")
    list_filter = ("standard", "status", "wording", "feature")
    search_fields = ("id", "text", "number")
    exclude = ("amended_at", "amended_by")

    def save_model(self, request: HttpRequest, obj: Clause, form: Any, change: bool) -> None:
        if change:
            services.clause_amend(actor=request.user, clause=obj, data=_fields(form))
        else:
            created = services.clause_create(actor=request.user, data=form.cleaned_data)
            obj.pk = created.pk
