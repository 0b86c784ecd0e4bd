"""The signature rule the hazard workflow asks (hazards.signers): an expert signs a major hazard
only within their specialties (a specialty covers its category and that category's children),
with a certificate valid on the day, and with no recorded conflict with the enterprise."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from safeloop.experts.models import Certificate, Conflict, Expert, Specialty
from safeloop.registry.models import Category


def covered_categories(expert: Expert) -> set[str]:
    codes = set(Specialty.objects.filter(expert=expert).values_list("category_id", flat=True))
    return codes | set(Category.objects.filter(parent_id__in=codes).values_list("code", flat=True))


def _profile(actor: Any) -> Expert | None:
    return Expert.objects.filter(user_id=actor.pk).first()


def signing_refusal(actor: Any, hazard: Any, today: date) -> str | None:
    expert = _profile(actor)
    if expert is None or not expert.active:
        return _("您不在专家库中（或已出库），不能以专家身份签字")
    if not Certificate.objects.filter(expert=expert, expires_on__gte=today).exists():
        return _("您的专家证书已过期或未登记，不能签字")
    category = hazard.enterprise.category
    if category.code not in covered_categories(expert):
        return _("该隐患属于“%(category)s”行业，不在您的专业范围内，不能签字") % {"category": category.name}
    if Conflict.objects.filter(expert=expert, enterprise_id=hazard.enterprise_id).exists():
        return _("您与该企业存在回避关系，不能签字")
    return None


def signing_q(actor: Any, today: date) -> Q:
    expert = _profile(actor)
    if expert is None or not expert.active:
        return Q(pk__in=[])
    if not Certificate.objects.filter(expert=expert, expires_on__gte=today).exists():
        return Q(pk__in=[])
    conflicted = Conflict.objects.filter(expert=expert).values("enterprise_id")
    return Q(enterprise__category_id__in=covered_categories(expert)) & ~Q(enterprise_id__in=conflicted)
