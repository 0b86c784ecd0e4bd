"""What the system administrator's pages read (nothing for anyone else)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from safeloop.webhooks.models import AllowedTarget, Delivery, DeliveryStatus, Subscription
from safeloop.webhooks.services import may_manage_webhooks


def sysadmin_or_404(user: Any) -> None:
    """The pages are the system administrator's alone: anyone else gets the plain 404."""
    if not may_manage_webhooks(user):
        raise Http404


def subscriptions_overview(user: Any) -> QuerySet[Subscription]:
    sysadmin_or_404(user)
    return Subscription.objects.select_related("owner").annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        last_delivered=Max("deliveries__delivered_at"),
    )


def allowed_targets(user: Any) -> QuerySet[AllowedTarget]:
    sysadmin_or_404(user)
    return AllowedTarget.objects.select_related("created_by")


def subscription_get(user: Any, pk: int) -> Subscription:
    sysadmin_or_404(user)
    sub = Subscription.objects.select_related("owner", "created_by").filter(pk=pk).first()
    if sub is None:
        raise Http404
    return sub


def delivery_log(user: Any, sub: Subscription, status: str = "") -> QuerySet[Delivery]:
    """The subscription's deliveries, newest first (`status`: one of DeliveryStatus, else all)."""
    sysadmin_or_404(user)
    rows = Delivery.objects.filter(subscription=sub).defer("body")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-first", "-created_at")
