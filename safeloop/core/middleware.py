"""Request-wide mechanisms of the platform's own.

- `SecurityMiddleware` (docs/architecture.md, "Security headers"): makes the request known to
  records made deep in a service (`core.http.current_request`, for the security log's address)
  and keeps signed-in pages and every API answer out of caches: `Cache-Control: no-store` (unless
  the view marks its response `same_for_everyone`: public geography at a versioned URL), so a
  shared office PC's browser or a proxy never keeps a ledger, a dossier or a token answer on disk.
- `RefusalMiddleware` (ADR 0015): every refusal a page shows its user
  (`core.errors.refusal_shown`) is logged and named in the response header `SafeLoop-Refusal`
  ("409 conflict"), so a page that re-renders a form or redirects to an error box still says what
  the server answered.
- `DryRunMiddleware` (ADR 0015; only when `SAFELOOP_DRY_RUN` is on, never in production): a POST
  carrying `SafeLoop-Dry-Run: 1` runs completely inside one transaction that is rolled back,
  session included, so a role walk can press every button it is shown and change nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from safeloop.core.errors import refusals_end, refusals_watch
from safeloop.core.http import serving

log = logging.getLogger("safeloop.refusals")
REFUSAL_HEADER = "SafeLoop-Refusal"
DRY_RUN_HEADER = "SafeLoop-Dry-Run"
API_PREFIX = "/api/"


class SecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with serving(request):
            response = self.get_response(request)
        if (request.path.startswith(API_PREFIX) or _signed_in(request)) and not getattr(
            response, "same_for_everyone", False
        ):
            response["Cache-Control"] = "no-store"
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False))


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = refusals_watch()
        try:
            response = self.get_response(request)
        finally:
            shown = refusals_end(token)
        if shown:
            response[REFUSAL_HEADER] = ", ".join(f"{exc.status} {exc.code}" for exc in shown)
            user = getattr(request, "user", None)
            for exc in shown:
                level = logging.WARNING if exc.status in (403, 409) else logging.INFO
                log.log(level, "%s %s refused %s %s: %s", request.method, request.path, user, exc.status, exc.code)
        return response


class DryRunMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.headers.get(DRY_RUN_HEADER) != "1":
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            transaction.set_rollback(True)
        response[DRY_RUN_HEADER] = "rolled-back"
        return response
