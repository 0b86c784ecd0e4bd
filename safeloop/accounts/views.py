from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.accounts.forms import (
    LockoutAuthenticationForm,
    account_form,
    delegation_form,
    handover_form,
    new_account_form,
    password_form,
)
from safeloop.accounts.middleware import mark_signed_in
from safeloop.accounts.models import User
from safeloop.accounts.permissions import can_manage_enterprise_accounts
from safeloop.accounts.selectors import (
    account_history,
    current_delegation,
    delegation_history,
    enterprise_members,
    member_get,
    notification_list,
)
from safeloop.accounts.services import (
    enterprise_principal_handover,
    enterprise_user_add,
    enterprise_user_disable,
    enterprise_user_enable,
    enterprise_user_reset_password,
    enterprise_user_update,
    notification_open,
    notifications_mark_all_read,
    password_change,
    signing_delegation_name,
    signing_delegation_revoke,
)
from safeloop.core.errors import Locked, NotFound, ServiceError
from safeloop.core.forms import FormState, posted, submitted
from safeloop.core.http import client_address, query_without_page

PAGE_SIZE = 30
# The session key of a sign-in with an initial password: it opens only the page that replaces it.
PENDING = "accounts:initial-password"
PENDING_SECONDS = 600


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        """A locked account or a delayed attempt gets the 429 page saying when to try again."""
        refusal = form.refusal
        if refusal is not None:
            until = timezone.now() + timedelta(seconds=refusal.retry_after)
            context = {"until": until, "locked": isinstance(refusal, Locked), "message": refusal.message}
            response = render(self.request, "errors/429.html", context, status=429)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        return super().form_invalid(form)

    def form_valid(self, form):
        """An initial password somebody else set signs nobody in: it must be replaced first."""
        user = form.get_user()
        if user.must_change_password:
            pending = {"id": user.pk, "until": time.time() + PENDING_SECONDS, "next": self.get_success_url()}
            self.request.session[PENDING] = pending
            return redirect("accounts:password_first")
        response = super().form_valid(form)
        mark_signed_in(self.request)
        return response


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def password_first(request: HttpRequest) -> HttpResponse:
    """The new password of an account signing in with its initial one; then it is signed in."""
    user = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    form = password_form(posted(request), first=True)
    if request.method == "POST" and submitted(form, password_change, user=user, first=True):
        pending = request.session.pop(PENDING)
        login(request, user)
        mark_signed_in(request)
        messages.success(request, _("密码已修改，欢迎使用"))
        return redirect(pending["next"])
    return render(request, "accounts/password.html", {"form": form, "first": True, "account": user})


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or pending["until"] < time.time():
        return None
    return User.objects.filter(pk=pending["id"], is_active=True, must_change_password=True).first()


@login_required
@require_http_methods(["GET", "POST"])
def password_own(request: HttpRequest) -> HttpResponse:
    form = password_form(posted(request))
    address = client_address(request)
    if request.method == "POST" and submitted(form, password_change, user=request.user, address=address):
        update_session_auth_hash(request, request.user)  # this session stays signed in
        messages.success(request, _("密码已修改"))
        return redirect("workbench:home")
    return render(request, "accounts/password.html", {"form": form, "first": False, "account": request.user})


# ---------------------------------------------------------------- an enterprise's own accounts


def principal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The enterprise accounts pages are the principal's (主要负责人) alone: 403 for anyone else."""

    @login_required
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_enterprise_accounts(request.user):
            raise PermissionDenied(_("只有本企业的主要负责人可以管理本企业账号"))
        return view(request, *args, **kwargs)

    return checked


@require_GET
@principal_page
def enterprise_accounts(request: HttpRequest) -> HttpResponse:
    return _accounts_page(request)


def _accounts_page(
    request: HttpRequest, form: FormState | None = None, members: list[User] | None = None
) -> HttpResponse:
    """The list and the delegate's form (after a refusal: what was chosen, with its message)."""
    members = list(enterprise_members(request.user)) if members is None else members
    context = {
        "members": members,
        "current": current_delegation(request.user),
        "history": list(delegation_history(request.user)[:20]),
        "form": form or delegation_form(members=members, actor=request.user),
    }
    return render(request, "accounts/enterprise_accounts.html", context)


@require_http_methods(["GET", "POST"])
@principal_page
def enterprise_account_new(request: HttpRequest) -> HttpResponse:
    form = new_account_form(posted(request))
    created = submitted(form, enterprise_user_add, actor=request.user) if request.method == "POST" else None
    if created:
        return _password_once(request, *created, title=_("账号已创建"))
    return render(request, "accounts/enterprise_account_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@principal_page
def enterprise_account(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_get(request.user, pk)
    form = account_form(request.user, member, posted(request))
    if request.method == "POST" and submitted(form, enterprise_user_update, actor=request.user, user_id=member.pk):
        messages.success(request, _("已保存“%(name)s”的账号信息") % {"name": member})
        return redirect("accounts:enterprise_accounts")
    context = {"member": member, "form": form, "is_self": member.pk == request.user.pk}
    return render(request, "accounts/enterprise_account.html", context | {"history": account_history(member)})


@require_POST
@principal_page
def enterprise_account_disable(request: HttpRequest, pk: int) -> HttpResponse:
    _run(request, enterprise_user_disable, _("账号已停用，不能再登录"), user_id=pk)
    return redirect("accounts:enterprise_account", pk=pk)


@require_POST
@principal_page
def enterprise_account_enable(request: HttpRequest, pk: int) -> HttpResponse:
    _run(request, enterprise_user_enable, _("账号已重新启用"), user_id=pk)
    return redirect("accounts:enterprise_account", pk=pk)


@require_POST
@principal_page
def enterprise_account_password(request: HttpRequest, pk: int) -> HttpResponse:
    result = _run(request, enterprise_user_reset_password, "", user_id=pk)
    if result is None:
        return redirect("accounts:enterprise_account", pk=pk)
    return _password_once(request, *result, title=_("密码已重置"))


def _password_once(request: HttpRequest, member: User, password: str, *, title: str) -> HttpResponse:
    """The initial password, shown in this one response and never stored in readable form."""
    response = render(request, "accounts/password_once.html", {"member": member, "password": password, "title": title})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@principal_page
def delegation_name(request: HttpRequest) -> HttpResponse:
    members = list(enterprise_members(request.user))
    form = delegation_form(request.POST, members=members, actor=request.user)
    if submitted(form, signing_delegation_name, actor=request.user):
        messages.success(request, _("签字授权已记录"))
        return redirect("accounts:enterprise_accounts")
    return _accounts_page(request, form, members)


@require_POST
@principal_page
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _run(request, signing_delegation_revoke, _("签字授权已撤销"), delegation_id=pk)
    return redirect("accounts:enterprise_accounts")


@require_http_methods(["GET", "POST"])
@principal_page
def principal_handover(request: HttpRequest) -> HttpResponse:
    form = handover_form(request.user, posted(request))
    address = client_address(request)
    successor = (
        submitted(form, enterprise_principal_handover, actor=request.user, address=address)
        if request.method == "POST"
        else None
    )
    if successor:
        messages.success(request, _("已将主要负责人移交给%(name)s") % {"name": successor})
        return redirect("workbench:home")
    return render(request, "accounts/principal_handover.html", {"form": form})


def _run(request: HttpRequest, service: Callable[..., Any], done: str, **kwargs: Any) -> Any:
    """A button's service: its refusal becomes the page's message; a hidden object is a 404."""
    try:
        result = service(actor=request.user, **kwargs)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return None
    if done:
        messages.success(request, done)
    return result


# ---------------------------------------------------------------- notifications


@login_required
@require_GET
def notification_index(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notification_list(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "unread_only": unread_only, "query": query_without_page(request)}
    return render(request, "accounts/notifications.html", context)


@login_required
@require_GET
def notification_go(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes to its object (a local address only)."""
    try:
        notification = notification_open(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    url = notification.url
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(count)d 条通知标为已读") % {"count": count})
    return redirect("notifications:list")
