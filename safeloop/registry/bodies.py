"""Legal enforcement bodies (执法主体), shared by inspections and 打非治违 (enforcement).

国办发〔2024〕54号 (RULES.md §6.1): only a legal 执法主体 may inspect or handle a case — a
department, never a 议事协调机构 (安委会 / 安委办) — and it acts through at least two officers
holding a valid administrative enforcement certificate (执法证, `OfficerCertificate`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeloop.registry.models import Department, OfficerCertificate

# Not legal enforcement bodies (国办发〔2024〕54号: 议事协调机构 may not inspect): the 安委会 / 安委办.
NOT_A_BODY_KINDS = frozenset({"safety_committee", "safety_office"})
NOT_A_BODY_NAMES = ("安委办", "安全生产委员会", "安委会")
MIN_OFFICERS = 2  # 国办发〔2024〕54号: ≥2 certified officers


def is_legal_body(department: Department) -> bool:
    """A department that may be named as the enforcement body at all (not a coordination body)."""
    return department.kind not in NOT_A_BODY_KINDS and not any(w in department.name for w in NOT_A_BODY_NAMES)


def valid_certificates(department: Department | None = None) -> QuerySet[OfficerCertificate, Any]:
    """Active, unexpired certificates of active users (of one department, when given)."""
    qs = OfficerCertificate.objects.filter(active=True, user__is_active=True).exclude(
        expires_on__lt=timezone.localdate()
    )
    return qs.filter(user__department=department) if department is not None else qs


def has_valid_certificate(user: Any) -> bool:
    cert = getattr(user, "officer_certificate", None)
    if cert is None or not cert.active or not cert.certificate_no:
        return False
    return not (cert.expires_on and cert.expires_on < timezone.localdate())


def certified_officers(department: Department) -> list[Any]:
    """The department's users holding a valid certificate, ordered by id."""
    certs = valid_certificates(department).select_related("user").order_by("user_id")
    return [c.user for c in certs]


def may_enforce(department: Department) -> bool:
    """The legal-enforcement-body rule: a department (not a coordination body) with at least two
    certified officers."""
    return is_legal_body(department) and valid_certificates(department).count() >= MIN_OFFICERS


def enforcement_bodies(qs: QuerySet[Department, Any] | None = None) -> QuerySet[Department, Any]:
    """The departments (of `qs`) that meet the rule, as a filter."""
    qs = Department.objects.all() if qs is None else qs
    today = timezone.localdate()
    valid = Q(user__officer_certificate__active=True, user__is_active=True) & ~Q(
        user__officer_certificate__expires_on__lt=today
    )
    counted = qs.exclude(kind__in=NOT_A_BODY_KINDS).annotate(_officers=Count("user", filter=valid, distinct=True))
    counted = counted.filter(_officers__gte=MIN_OFFICERS)
    for word in NOT_A_BODY_NAMES:
        counted = counted.exclude(name__contains=word)
    return counted
