from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext

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


def staff_only(request: HttpRequest) -> bool:
    """The admin's permission check. A signed-in user who is not staff is refused with a 403
    page: Django's admin would send them to its login, which sends a signed-in user back to
    /admin/, a loop. Signed-out visitors still go to the (lockout-protected) login."""
    user = request.user
    if user.is_active and user.is_authenticated and not user.is_staff:
        raise PermissionDenied(gettext("系统管理仅限系统管理员账号使用"))
    return user.is_active and user.is_staff


admin.site.has_permission = staff_only
