from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from safeloop.accounts.access import access_changed
from safeloop.accounts.models import SigningDelegation, User
from safeloop.core.admin_audit import AuditedAdmin
from safeloop.core.audit import audit_record
from safeloop.core.security_log import SecurityKind, SecurityResult, record


@admin.register(User)
class SafeLoopUserAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin (password forms included), audited; the hash never enters the log."""

    list_display = ("username", "display_name", "role", "position", "region", "department", "enterprise", "is_active")
    list_filter = ("role", "position", "is_active")
    search_fields = ("username", "display_name", "phone")
    raw_id_fields = ("enterprise",)
    security_fields = frozenset(
        {"role", "region", "department", "enterprise", "position", "is_active", "is_staff", "is_superuser"}
        | {"groups", "user_permissions"}
    )
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "SafeLoop",
            {
                "fields": (
                    *("role", "display_name", "phone", "region", "department", "enterprise"),
                    *("position", "must_change_password"),
                )
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A new account's password was set by the administrator: the account replaces it at its
        first sign-in. A change of what access rests on (role, scope, active…) ends the
        account's sessions and tokens (accounts.access)."""
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
        if change:
            access_changed(user=obj, fields=form.changed_data, request=request)

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
                    self._password_set(request, user, old_hash)
        return response

    def _password_set(self, request: HttpRequest, user: Any, old_hash: str) -> None:
        """Somebody else's password set here is an initial one: replaced at the next sign-in."""
        changes = {"usable_password": [str(is_password_usable(old_hash)), str(user.has_usable_password())]}
        if user.pk != request.user.pk and not user.must_change_password:
            User.objects.filter(pk=user.pk).update(must_change_password=True)
            changes["must_change_password"] = ["False", "True"]
        access_changed(user=user, fields=["password"], request=request)
        audit_record(actor=request.user, action="admin.password", target=user, changes=changes)
        detail = {"account": user.username, "change": gettext("系统管理员设置")}
        record(SecurityKind.PASSWORD_CHANGE, request=request, result=SecurityResult.SUCCESS, detail=detail)


# Groups carry permissions into the admin itself; their edits are audited like the rest.
admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


@admin.register(SigningDelegation)
class SigningDelegationAdmin(admin.ModelAdmin):
    """The record of who named whom to sign: read here, written only by the principal's page."""

    list_display = ("enterprise", "principal", "delegate", "named_at", "valid_until", "revoked_at", "revoked_by")
    raw_id_fields = ("enterprise",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def staff_only(request: HttpRequest) -> bool:
    """The admin's permission check. A signed-in user who is not staff is refused with a 403
    page: Django's admin would send them to its login, which sends a signed-in user back to
    /admin/, a loop. Signed-out visitors still go to the (lockout-protected) login."""
    user = request.user
    if user.is_active and user.is_authenticated and not user.is_staff:
        raise PermissionDenied(gettext("系统管理仅限系统管理员账号使用"))
    return user.is_active and user.is_staff


admin.site.has_permission = staff_only
