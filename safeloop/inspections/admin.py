"""The system administrator records enforcement certificates (执法证) and inspectors' conflicts
of interest (回避) here until they have their own pages; every change is audited."""

from django.contrib import admin

from safeloop.core.admin_audit import AuditedAdmin
from safeloop.inspections.models import InspectorConflict
from safeloop.registry.models import OfficerCertificate


@admin.register(OfficerCertificate)
class OfficerCertificateAdmin(AuditedAdmin):
    list_display = ("user", "certificate_no", "expires_on", "active")
    search_fields = ("certificate_no", "user__username", "user__display_name")
    raw_id_fields = ("user",)


@admin.register(InspectorConflict)
class InspectorConflictAdmin(AuditedAdmin):
    list_display = ("user", "enterprise", "kind", "note")
    raw_id_fields = ("user", "enterprise")
