from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safeloop.core.admin_audit import AuditedAdmin
from safeloop.registry.models import Category, Department, Industry, Region
from safeloop.registry.pickers import pickers_changed


class PickerDataAdmin(AuditedAdmin):
    """Regions, categories and departments fill the list pages' pickers (cached per scope):
    a change here lets every scope read them afresh (`registry.pickers`)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: Any) -> None:
        super().save_related(request, form, formsets, change)
        pickers_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        pickers_changed()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        pickers_changed()


class CodeKeyedAdmin(PickerDataAdmin):
    """The code is the primary key: the admin would save an edited code as a second row."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "code") if obj is not None else readonly


@admin.register(Region)
class RegionAdmin(CodeKeyedAdmin):
    list_display = ("code", "name", "level", "parent", "statutory")
    list_filter = ("level", "statutory")
    search_fields = ("code", "name")


@admin.register(Category)
class CategoryAdmin(CodeKeyedAdmin):
    list_display = ("code", "name", "parent", "key_sector", "lead_department_kind")


@admin.register(Industry)
class IndustryAdmin(CodeKeyedAdmin):
    list_display = ("code", "name", "section")
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(PickerDataAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    filter_horizontal = ("categories",)
