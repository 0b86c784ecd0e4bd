"""Error pages: Chinese, inside the layout (menu and a way back), saying no more than a user
needs. Wired as handler400/403/404/500 in config/urls.py; CSRF failures use `csrf_failure`.

The 404 never says whether the object is missing or outside the user's scope (scope rule: a
hidden object looks missing). The 500 page is a static template rendered without context
processors, so it works when the database does not.
"""

from __future__ import annotations

import re

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from safeloop.core.security_log import record_refusal

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    record_refusal(request, 403, exception)
    return _page(request, "errors/403.html", 403, reason=denial_reason(exception))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    record_refusal(request, 404, exception)
    return _page(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired or foreign form, said in words a user understands."""
    message = _("页面已过期或来源无法验证，您的操作没有执行。请返回上一页，刷新后重试。")
    record_refusal(request, 403)
    return _page(request, "errors/403.html", 403, reason=message)


def denial_reason(exception: object) -> str:
    """The PermissionDenied message when it was written for people (Chinese); else nothing,
    so a framework's English internals never reach the page."""
    args = getattr(exception, "args", None)
    message = str(args[0]) if args else ""
    return message if CHINESE.search(message) else ""


def _page(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    return render(request, template, {"back": _back(request), **context}, status=status)


def _back(request: HttpRequest) -> str:
    """The referring page of this site, for 返回上一页; '' when there is none to trust."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page for this very error must still render
        return ""
    return referer if url_has_allowed_host_and_scheme(referer, allowed_hosts={host}) else ""
