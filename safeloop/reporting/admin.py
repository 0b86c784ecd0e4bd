"""The city's reporting policy (response deadlines, reward standard) is set by the system
administrator on the city's instruction, audited like every admin change."""

from django.contrib import admin

from safeloop.core.admin_audit import AuditedAdmin
from safeloop.reporting.models import ReportingPolicy


@admin.register(ReportingPolicy)
class ReportingPolicyAdmin(AuditedAdmin):
    list_display = (
        "region",
        "internal_response_days",
        "public_response_days",
        "reward_general",
        "reward_major",
        "source",
    )
    exclude = ("version",)
