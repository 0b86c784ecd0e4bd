"""Per-request pieces of the platform's security (docs/architecture.md, "Security headers").

`SecurityMiddleware` makes the request known to records made deep in a service
(`core.http.current_request`, for the security log's address) and keeps signed-in pages and
every API answer out of caches: `Cache-Control: no-store`, so a shared office PC's browser or a
proxy never keeps a ledger, a dossier or a token answer on disk.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from safeloop.core.http import serving

API_PREFIX = "/api/"


class SecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with serving(request):
            response = self.get_response(request)
        if request.path.startswith(API_PREFIX) or _signed_in(request):
            response["Cache-Control"] = "no-store"
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False))
