"""What a user's access rests on, and what ends when it changes: API tokens (issued, used,
revoked, purged) and the one hook every write of a user calls — services and the admin alike.

When the password, role, scope anchor (region, department, enterprise), the active flag or the
admin flags change, `access_changed` advances `User.access_epoch`, which is part of the session
hash (`User.get_session_auth_hash`), so every session signed in before ends at its next request,
and revokes every token. No signal does it (ADR 0005): each writer calls it, and the test of
each writer checks it did.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from safeloop.accounts.models import ApiToken, User

ACCESS_FIELDS = frozenset(
    {"password", "role", "region", "department", "enterprise", "is_active", "is_staff", "is_superuser"}
)


def access_changed(*, user: User, fields: Iterable[str], request: HttpRequest | None = None) -> bool:
    """Call after saving `fields` of `user`: if any is one access rests on, the user's sessions
    and tokens end. `request`: the acting request; when the user changed their own account,
    that one session stays signed in (as Django does for one's own password)."""
    if not ACCESS_FIELDS & {name.removesuffix("_id") for name in fields}:
        return False
    User.objects.filter(pk=user.pk).update(access_epoch=F("access_epoch") + 1)
    user.refresh_from_db(fields=["access_epoch"])
    tokens_revoke_all(user=user)
    if request is not None and getattr(request.user, "pk", None) == user.pk:
        update_session_auth_hash(request, user)
    return True


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, user: User) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(hours=settings.SAFELOOP_TOKEN_HOURS),
    )
    return raw, token


def token_user(raw: str) -> tuple[User, ApiToken] | None:
    """The token's user, if the token is live and the user active and not due to change an
    initial password. Its last use is written at most once per SAFELOOP_TOKEN_TOUCH_SECONDS."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active or token.user.must_change_password:
        return None
    _touch(token, now)
    return token.user, token


def _touch(token: ApiToken, now: Any) -> None:
    stale = now - timedelta(seconds=settings.SAFELOOP_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    due = Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)
    ApiToken.objects.filter(due, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_revoke_all(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_purge() -> int:
    """Delete the tokens that have expired: they can never authenticate again (the security log
    keeps their issue and revocation)."""
    deleted, _by_model = ApiToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@task()
def purge_expired_tokens() -> int:
    """Daily (core.schedule)."""
    return tokens_purge()


def bearer_user(request: Any) -> User | None:
    """The user of the request's `Authorization: Bearer` token, for core's Idempotency-Key
    (registered in apps.py: core cannot import accounts)."""
    scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    found = token_user(raw.strip())
    return found[0] if found else None


def service_token_issue(
    *, actor: User, user: User, name: str, read_only: bool = True, days: int = 90, per_minute: int | None = 600
) -> tuple[str, ApiToken]:
    """A machine client's token (issue 20): bound to `user`'s role and region like any token,
    read-only unless said otherwise, expiring after `days`, limited to `per_minute` calls (None:
    no limit of its own). Only a system administrator issues one; every call it makes is in the
    security log (`accounts.api.BearerAuth`)."""
    from safeloop.core.errors import Forbidden
    from safeloop.core.roles import Role

    if actor.role != Role.SYSADMIN:
        raise Forbidden(_("只有系统管理员可以签发服务账号令牌"))
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(days=days),
        name=name[:60] or f"service-{user.username}",
        read_only=read_only,
        per_minute=per_minute,
    )
    return raw, token
