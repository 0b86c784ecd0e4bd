"""数据推送 (system administrators; anyone else gets 404): allowed targets, subscriptions, the
delivery log with its 重新投递 button. Every write goes through `webhooks.services`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safeloop.core.changes import feed_label, feed_types
from safeloop.core.errors import NotFound
from safeloop.core.forms import FormState, submitted
from safeloop.core.http import query_without_page
from safeloop.webhooks import services
from safeloop.webhooks.models import DeliveryStatus
from safeloop.webhooks.selectors import (
    allowed_targets,
    delivery_log,
    subscription_get,
    subscriptions_overview,
    sysadmin_or_404,
)

PAGE_SIZE = 50
T = TypeVar("T")


def _or_404(write: Callable[..., T], **kwargs: Any) -> T:
    try:
        return write(**kwargs)
    except NotFound as exc:
        raise Http404 from exc


def _home(
    request: HttpRequest, *, target_form: FormState | None = None, sub_form: FormState | None = None
) -> HttpResponse:
    target_form = target_form or FormState(services.TARGET_FIELDS, prefix="target")
    sub_form = sub_form or FormState(services.SUBSCRIPTION_FIELDS, prefix="sub")
    context = {
        "subscriptions": subscriptions_overview(request.user),
        "targets": allowed_targets(request.user),
        "target_form": target_form,
        "sub_form": sub_form,
        "types": [feed_label(name) for name in feed_types()],
    }
    status = max(target_form.status, sub_form.status) if target_form.has_errors or sub_form.has_errors else 200
    return render(request, "webhooks/home.html", context, status=status)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    sysadmin_or_404(request.user)
    return _home(request)


@login_required
@require_POST
def target_new(request: HttpRequest) -> HttpResponse:
    sysadmin_or_404(request.user)
    form = FormState.posted(services.TARGET_FIELDS, request.POST, prefix="target")
    target = submitted(form, services.target_allow, actor=request.user)
    if target is None:
        return _home(request, target_form=form)
    messages.success(request, _("已允许推送到“%(prefix)s”") % {"prefix": target.prefix})
    return redirect("webhooks:home")


@login_required
@require_POST
def target_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    sysadmin_or_404(request.user)
    _or_404(services.target_remove, actor=request.user, target_id=pk)
    messages.success(request, _("已从白名单删除该地址前缀"))
    return redirect("webhooks:home")


@login_required
@require_POST
def subscription_new(request: HttpRequest) -> HttpResponse:
    sysadmin_or_404(request.user)
    form = FormState.posted(services.SUBSCRIPTION_FIELDS, request.POST, prefix="sub")
    made = submitted(form, services.subscription_create, actor=request.user)
    if made is None:
        return _home(request, sub_form=form)
    sub, secret = made
    return render(request, "webhooks/created.html", {"sub": sub, "secret": secret})


@login_required
@require_GET
def subscription_page(request: HttpRequest, pk: int) -> HttpResponse:
    sub = subscription_get(request.user, pk)
    status = request.GET.get("status", "")
    page = Paginator(delivery_log(request.user, sub, status), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "sub": sub,
        "page": page,
        "status": status,
        "statuses": DeliveryStatus.choices,
        "query": query_without_page(request),
    }
    return render(request, "webhooks/subscription.html", context)


@login_required
@require_POST
def subscription_active(request: HttpRequest, pk: int) -> HttpResponse:
    sysadmin_or_404(request.user)
    active = request.POST.get("active") == "1"
    sub = _or_404(services.subscription_set_active, actor=request.user, subscription_id=pk, active=active)
    messages.success(request, _("订阅已启用") if sub.active else _("订阅已停用，恢复后补发停用期间的变更"))
    return redirect("webhooks:subscription", pk=sub.pk)


@login_required
@require_POST
def replay(request: HttpRequest, pk: Any) -> HttpResponse:
    sysadmin_or_404(request.user)
    delivery = _or_404(services.delivery_replay, actor=request.user, delivery_id=pk)
    messages.success(request, _("已安排重新投递 %(range)s") % {"range": str(delivery)})
    return redirect("webhooks:subscription", pk=delivery.subscription_id)
