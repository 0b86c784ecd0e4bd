"""Login protection and API tokens (one lockout rule for pages and API alike); reading notifications."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safeloop.accounts.models import ApiToken, ExpertAssignment, LoginFailure, Notification, User
from safeloop.core.errors import Locked, NotFound, Unauthorized


def _window_start():
    return timezone.now() - timedelta(minutes=settings.SAFELOOP_LOGIN_LOCK_MINUTES)


def login_is_locked(username: str) -> bool:
    recent = LoginFailure.objects.filter(username=username.lower(), at__gte=_window_start())
    return recent.count() >= settings.SAFELOOP_LOGIN_MAX_FAILURES


def login_locked_until(username: str) -> datetime | None:
    """When a locked account may try again: the moment the oldest of the failures that lock it
    leaves the window (no failure is recorded while locked). None when not locked."""
    limit = settings.SAFELOOP_LOGIN_MAX_FAILURES
    recent = LoginFailure.objects.filter(username=username.strip().lower(), at__gte=_window_start())
    times = list(recent.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + timedelta(minutes=settings.SAFELOOP_LOGIN_LOCK_MINUTES)


def login_authenticate(*, request: HttpRequest | None, username: str, password: str) -> User:
    """The user for these credentials, or an error; failures count towards a lockout."""
    username = (username or "").strip()
    if login_is_locked(username):
        raise Locked(f"登录失败次数过多，账户已锁定{settings.SAFELOOP_LOGIN_LOCK_MINUTES}分钟，请稍后再试")
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username.lower(), ip=_client_ip(request))
        raise Unauthorized("用户名或密码错误")
    LoginFailure.objects.filter(username=username.lower()).delete()
    return user


def _client_ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


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
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user, token


def token_revoke(*, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def tokens_revoke_all(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_create(*, username: str, password: str, role: str, display_name: str = "", **scope) -> User:
    """Create a user with a role and its scope anchor (region, department, enterprise)."""
    user = User(username=username, role=role, display_name=display_name, **scope)
    user.is_staff = user.is_superuser = role == "sysadmin"
    user.set_password(password)
    user.save()
    return user


def expert_assign(*, expert: User, enterprise_ids: list[int]) -> int:
    rows = [ExpertAssignment(expert=expert, enterprise_id=pk) for pk in enterprise_ids]
    return len(ExpertAssignment.objects.bulk_create(rows, ignore_conflicts=True))


def notification_open(*, user: User, pk: int) -> Notification:
    """Mark one of the user's own notifications read (opening it does); another user's is missing."""
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
