from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safeloop.accounts.forms import LockoutAuthenticationForm
from safeloop.accounts.selectors import notification_list
from safeloop.accounts.services import login_locked_until, notification_open, notifications_mark_all_read
from safeloop.core.errors import NotFound
from safeloop.core.http import query_without_page

PAGE_SIZE = 30


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        """A locked account gets the 429 page saying when to try again, not the form once more."""
        if form.has_error(NON_FIELD_ERRORS, "account_locked"):
            until = login_locked_until(form.data.get("username", ""))
            return render(self.request, "errors/429.html", {"until": until}, status=429)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


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
