from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from safeloop.accounts.models import ExpertAssignment, User


@admin.register(User)
class SafeLoopUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "region", "department", "enterprise", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "phone")
    raw_id_fields = ("enterprise",)
    fieldsets = (
        *UserAdmin.fieldsets,
        ("SafeLoop", {"fields": ("role", "display_name", "phone", "region", "department", "enterprise")}),
    )


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(admin.ModelAdmin):
    list_display = ("expert", "enterprise", "active", "created_at")
    raw_id_fields = ("enterprise",)
