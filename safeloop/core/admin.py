from django.contrib import admin
from django.http import HttpRequest

from safeloop.core.admin_audit import AuditedAdmin
from safeloop.core.models import AuditEntry, CalendarDay, SealedRecord


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ["date", "is_workday", "note", "source"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note", "source"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The log itself, to read: entries are only ever appended, by the services and AuditedAdmin."""

    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_id", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False


@admin.register(SealedRecord)
class SealedRecordAdmin(admin.ModelAdmin):
    """Read-only: sealed records are written by `core.seals.record_seal` and never changed."""

    list_display = ["seq", "title", "number", "issuer", "issued_on", "sealed_by_name", "sealed_at", "sha256"]
    list_filter = ["title", "issued_on"]
    search_fields = ["number", "issuer", "sha256", "target_id"]
    exclude = ["token"]  # the verification token is for the document's QR code only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SealedRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SealedRecord | None = None) -> bool:
        return False
