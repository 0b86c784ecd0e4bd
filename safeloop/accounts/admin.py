from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from safeloop.accounts.models import ExpertAssignment, Role, User
from safeloop.core.admin_audit import AuditedAdmin
from safeloop.core.audit import audit_record


@admin.register(User)
class SafeLoopUserAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin (password forms included), audited; the hash never enters the log."""

    list_display = ("username", "display_name", "role", "region", "department", "enterprise", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name", "phone")
    raw_id_fields = ("enterprise",)
    fieldsets = (
        *UserAdmin.fieldsets,
        ("SafeLoop", {"fields": ("role", "display_name", "phone", "region", "department", "enterprise")}),
    )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Compared with the stored hash after Django's view, because that view also answers a
        # rejected or conflicting submission with a redirect.
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            old_hash = user.password if user is not None else ""
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != old_hash:
                    changes = {"usable_password": [str(is_password_usable(old_hash)), str(user.has_usable_password())]}
                    audit_record(actor=request.user, action="admin.password", target=user, changes=changes)
        return response


# Groups carry permissions into the admin itself; their edits are audited like the rest.
admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(AuditedAdmin):
    list_display = ("expert", "enterprise", "active", "created_at")
    raw_id_fields = ("enterprise",)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # An assignment scopes only an expert (core.scope); offering other users invites mistakes.
        if db_field.name == "expert":
            kwargs["queryset"] = User.objects.filter(role=Role.EXPERT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
