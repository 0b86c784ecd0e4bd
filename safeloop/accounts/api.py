from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router, Schema
from ninja.security import HttpBearer

from safeloop.accounts.services import login_authenticate, token_issue, token_revoke, token_user
from safeloop.core.errors import Forbidden
from safeloop.core.security_log import SecurityKind, SecurityResult, record

router = Router(tags=["认证"])


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the token's user acts, under the same scope as on the pages."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_user(token)
        if found is None:
            return None
        request.user, request.api_token = found
        return request.user


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
