"""The session rules (等保 level 3), for every page:

- idle timeout: the session cookie's age is `SAFELOOP_SESSION_IDLE_MINUTES`; the session is
  renewed at most once a minute while it is used (not a database write per request), so it ends
  after that many idle minutes;
- absolute limit: a session ends `SAFELOOP_SESSION_SECONDS` after its sign-in, used or not;
- an account whose password was set by somebody else (`must_change_password`) reaches only the
  password page (and sign-out) until it has set its own.

The API authenticates by token (accounts.access), not by session, and is left alone here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SIGNED_IN_AT = "accounts:signed-in-at"
SEEN_AT = "accounts:seen-at"
RENEW_SECONDS = 60
# What an account due to change its password may still reach.
OPEN_PREFIXES = ("/static/", "/media/", "/api/", "/healthz")


def mark_signed_in(request: HttpRequest) -> None:
    """Called right after `login()`: the absolute limit counts from here."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = now


class SessionRules:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refusal = self._check(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        session = request.session
        signed_in = session.setdefault(SIGNED_IN_AT, now)  # a session from before this rule
        if now - signed_in > settings.SAFELOOP_SESSION_SECONDS:
            logout(request)
            hours = settings.SAFELOOP_SESSION_SECONDS / 3600
            messages.info(request, _("登录已超过%(hours)g小时，请重新登录") % {"hours": round(hours, 1)})
            return redirect_to_login(request.get_full_path())
        if now - session.get(SEEN_AT, 0) >= RENEW_SECONDS:
            session[SEEN_AT] = now  # a change: the session is saved, its expiry pushed back
        if request.user.must_change_password and not self._open(request.path):  # type: ignore[union-attr]
            return redirect("accounts:password")
        return None

    @staticmethod
    def _open(path: str) -> bool:
        allowed = (reverse("accounts:password"), reverse("accounts:logout"))
        return path in allowed or path.startswith(OPEN_PREFIXES)
