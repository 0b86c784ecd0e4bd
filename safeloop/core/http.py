import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request as django-htmx's middleware leaves it (for type checking views)."""

    htmx: HtmxDetails


def query_without_page(request: HttpRequest) -> str:
    """The list's filters as a query string, for pager links and exports (without `page`)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def query_without(request: HttpRequest, *names: str) -> str:
    """The list's filters as a query string without `names` (and `page`), for links that set them."""
    params = request.GET.copy()
    for name in ("page", *names):
        params.pop(name, None)
    return params.urlencode()


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as an IP address string ("" if unknown).

    Behind a reverse proxy, REMOTE_ADDR is the proxy. When SAFELOOP_CLIENT_ADDRESS_HEADER names a
    header the proxy sets (e.g. `X-Forwarded-For` with nginx's `$proxy_add_x_forwarded_for`, or
    `X-Real-IP`), the address is that header's last entry: the one the trusted proxy added, never
    one a client typed in front of it. A value that is not an IP address falls back to REMOTE_ADDR.
    """
    header = getattr(settings, "SAFELOOP_CLIENT_ADDRESS_HEADER", "")
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if _is_ip(last):
            return last
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_ip(remote) else ""


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


NUL = "\x00"


class RefuseNulMiddleware:
    """A NUL character is no text: PostgreSQL cannot store or even compare it (DataError, a
    500), and no person types it. A request carrying one in its path, query string, form fields
    or credentials is refused here, once for every view (Django's admin, the login form and the
    API's path parameters included): 400, as the error page or the API's error shape. JSON
    bodies are refused by `core.api.StrictJsonParser`; `clean_text` drops it from spreadsheet
    cells."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if _carries_nul(request):
            return _refusal(request)
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    if NUL in request.path or NUL in request.META.get("HTTP_AUTHORIZATION", ""):
        return True
    forms = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        forms.append(request.POST)
    return any(NUL in key or any(NUL in value for value in values) for form in forms for key, values in form.lists())


def _refusal(request: HttpRequest) -> HttpResponse:
    message = _("提交的内容含有无效字符（空字符），系统没有执行这次操作")
    if request.path.startswith("/api/"):
        body = {"error": {"code": "invalid_input", "message": message, "fields": {}}}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "errors/400.html", {"reasons": [message]}, status=400)


_current: ContextVar[HttpRequest | None] = ContextVar("safeloop_current_request", default=None)


def current_request() -> HttpRequest | None:
    """The request being served (set by `core.middleware.SecurityMiddleware`), for records made
    deep in a service that was not handed it (the security log's address); None outside a request."""
    return _current.get()


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    reset = _current.set(request)
    try:
        yield
    finally:
        _current.reset(reset)
