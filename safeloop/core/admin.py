from django.contrib import admin

from safeloop.core.models import CalendarDay, SealedRecord


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note", "source"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note", "source"]


@admin.register(SealedRecord)
class SealedRecordAdmin(admin.ModelAdmin):
    """Read-only: sealed records are written by `core.seals.record_seal` and never changed."""

    list_display = ["seq", "title", "number", "issuer", "issued_on", "sealed_by_name", "sealed_at", "sha256"]
    list_filter = ["title", "issued_on"]
    search_fields = ["number", "issuer", "sha256", "target_id"]
    exclude = ["token"]  # the verification token is for the document's QR code only

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
