from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import HttpBearer

from safeloop.accounts.models import ApiToken
from safeloop.accounts.services import login_authenticate, token_issue, token_revoke, token_user
from safeloop.core.errors import Forbidden, Locked, Throttled
from safeloop.core.security_log import SecurityKind, SecurityResult, record
from safeloop.core.throttle import Limits, Throttle

router = Router(tags=["认证"])


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the token's user acts, under the same scope as on the pages."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_user(token)
        if found is None:
            return None
        request.user, request.api_token = found
        if found[1].name:  # a service account's token
            service_call(request, found[1])
        return request.user


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SERVICE_CALLS = Throttle(
    "service-token",
    lambda: Limits(window=timedelta(minutes=1)),
    messages={"key_locked": gettext_noop("请求过于频繁，超过该令牌的每分钟上限，请{wait}后再试")},
)


def service_call(request: HttpRequest, token: ApiToken) -> None:
    """Every call of a service token in the security log (who, what, when, from where), its
    rate limit (429 with Retry-After, through `core.throttle`), and read-only means read-only (403)."""
    allowed = request.method in SAFE_METHODS or not token.read_only
    result = SecurityResult.SUCCESS if allowed else SecurityResult.REFUSED
    record(SecurityKind.SERVICE_CALL, request=request, user=token.user, result=result,
                        detail={"token": token.name, "method": request.method})  # fmt: skip
    if token.per_minute:
        limits = Limits(window=timedelta(minutes=1), per_key=token.per_minute)
        throttle = Throttle(SERVICE_CALLS.scope, lambda: limits, SERVICE_CALLS.messages)
        try:
            throttle.admit(key=f"token:{token.pk}", address=None)
        except Locked as exc:  # the token's minute is full: wait, nothing is locked
            raise Throttled(str(exc), retry_after=exc.retry_after) from None
    if not allowed:
        raise Forbidden(_("该服务账号令牌为只读，不能修改数据"))


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str


class Revoked(Schema):
    revoked: bool


@router.post("/token", auth=None, response=TokenOut, summary="用户名密码换取令牌")
def token_create(request: HttpRequest, payload: TokenIn):
    user = login_authenticate(request=request, username=payload.username, password=payload.password)
    if user.must_change_password:
        raise Forbidden(gettext("请先在网页上登录并设置新密码（初始密码须修改后才能使用），再申请接口令牌"))
    raw, token = token_issue(user=user)
    detail = {"username": user.username, "token": token.pk}
    record(SecurityKind.TOKEN_ISSUE, request=request, user=user, result=SecurityResult.SUCCESS, detail=detail)
    return {"token": raw, "expires_at": timezone.localtime(token.expires_at).isoformat()}


@router.delete("/token", response=Revoked, summary="吊销当前令牌")
def token_delete(request: HttpRequest):
    token_revoke(token=request.api_token)
    detail = {"username": request.user.username, "token": request.api_token.pk}
    record(SecurityKind.TOKEN_REVOKE, request=request, result=SecurityResult.SUCCESS, detail=detail)
    return {"revoked": True}
