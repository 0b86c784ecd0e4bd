"""Sign-in protection, one rule for the login page, the API's token endpoint and the password
confirmations inside the platform (`core.throttle`, scope "login", key: the user name).

- `SAFELOOP_LOGIN_MAX_FAILURES` failures on an account within `SAFELOOP_LOGIN_LOCK_MINUTES` lock
  it for the addresses they came from; any other address meets a delay after the last failure
  (1, 2, 4 … seconds, at most `SAFELOOP_LOGIN_MAX_DELAY_SECONDS`), never a lock: five anonymous
  requests from one address cannot shut `city_admin` out of the city's office.
- `SAFELOOP_LOGIN_MAX_FAILURES_PER_ADDRESS` failures from one address (any accounts, password
  spraying) lock that address.
- `SAFELOOP_LOGIN_MAX_FAILURES_OVERALL` failures in the whole platform: every address that has
  failed waits a delay after its own last failure; addresses that have not failed pass.

Each attempt is recorded as a failure before the password is checked (so parallel requests count
one by one); a correct password marks that address's failures on the account cleared.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

from safeloop.accounts.models import User
from safeloop.core.errors import Locked, Throttled, Unauthorized
from safeloop.core.http import client_address
from safeloop.core.security_log import SecurityKind, SecurityResult, record
from safeloop.core.throttle import Limits, Throttle


def login_limits() -> Limits:
    return Limits(
        window=timedelta(minutes=settings.SAFELOOP_LOGIN_LOCK_MINUTES),
        per_key=settings.SAFELOOP_LOGIN_MAX_FAILURES,
        per_address=settings.SAFELOOP_LOGIN_MAX_FAILURES_PER_ADDRESS,
        overall=settings.SAFELOOP_LOGIN_MAX_FAILURES_OVERALL,
        max_delay_seconds=settings.SAFELOOP_LOGIN_MAX_DELAY_SECONDS,
    )


LOGIN = Throttle(
    "login",
    login_limits,
    messages={
        "key_locked": gettext_noop("登录失败次数过多，账户已对您所在的地址锁定，请{wait}后再试"),
        "address_locked": gettext_noop("您所在的地址登录失败次数过多，已暂时锁定，请{wait}后再试"),
        "delayed": gettext_noop("该账户近期登录失败较多，为防止密码被猜中，请{wait}后再试"),
    },
)


def login_key(username: str) -> str:
    return (username or "").strip().lower()


def login_authenticate(*, request: HttpRequest | None, username: str, password: str) -> User:
    """The user for these credentials, or an error (401, or 429 `Locked` / `Throttled`)."""
    username = (username or "").strip()
    address = client_address(request) if request is not None else None
    try:
        LOGIN.admit(key=login_key(username), address=address)
    except (Locked, Throttled):
        detail = {"username": username[:150], "reason": gettext("账户或地址已锁定，或需等待")}
        record(SecurityKind.LOGIN, request=request, result=SecurityResult.REFUSED, detail=detail)
        raise
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise Unauthorized(gettext("用户名或密码错误"))  # the recorded attempt stays a failure
    LOGIN.clear(key=login_key(username), address=address)
    return user


def password_confirmed(*, user: User, password: str, address: str | None) -> bool:
    """A password typed to confirm an act (a handover): checked under the sign-in rule, so it
    cannot be guessed at either. Raises `Locked` / `Throttled` like a sign-in."""
    LOGIN.admit(key=login_key(user.username), address=address)
    if not user.check_password(password):
        return False
    LOGIN.clear(key=login_key(user.username), address=address)
    return True
