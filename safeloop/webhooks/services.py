"""The system administrator's writes: allowed targets, subscriptions, replays. Each is
recorded in the security log (系统管理变更) and the audit log (操作日志), like an admin edit."""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.accounts.models import User
from safeloop.core.audit import audit_record
from safeloop.core.changes import feed_label, feed_top, feed_type_named, feed_types
from safeloop.core.errors import NotFound
from safeloop.core.fields import FieldSpec, model_spec
from safeloop.core.inputs import Inputs
from safeloop.core.roles import Role
from safeloop.core.security_log import SecurityKind, SecurityResult, record
from safeloop.webhooks.delivery import wake_pump
from safeloop.webhooks.models import AllowedTarget, Delivery, DeliveryStatus, Subscription
from safeloop.webhooks.targets import parse_address, url_allowed

TARGET_FIELDS = [
    model_spec(
        AllowedTarget,
        "prefix",
        required=True,
        help=gettext_lazy("对方系统接收推送的网址开头部分，只有其下的地址可作推送地址"),
    ),
    model_spec(AllowedTarget, "note"),
]
SUBSCRIPTION_FIELDS = [
    model_spec(Subscription, "name", required=True),
    model_spec(Subscription, "url", required=True, help=gettext_lazy("须在推送地址白名单之内")),
    FieldSpec(
        "types",
        gettext_lazy("对象类型"),
        max_length=400,
        help=gettext_lazy("用顿号或逗号分隔，如：隐患、企业；不填为全部类型"),
    ),
    FieldSpec(
        "owner",
        gettext_lazy("数据范围账号"),
        required=True,
        max_length=150,
        help=gettext_lazy("账号的用户名：推送内容与该账号调用变更接口所见相同（管辖范围、移出范围）"),
    ),
]


def may_manage_webhooks(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.SYSADMIN)


def _admin(actor: Any) -> None:
    if not may_manage_webhooks(actor):
        raise NotFound


def _recorded(actor: Any, action: str, change: str, target: Model, changes: dict[str, Any]) -> None:
    audit_record(actor=actor, action=f"webhooks.{action}", target=target, changes=changes)
    detail = {"change": change, "object": str(target._meta.verbose_name), "id": str(target.pk), "title": str(target)}
    record(SecurityKind.ADMIN_CHANGE, user=actor, result=SecurityResult.SUCCESS, detail=detail)


# ---------------------------------------------------------------- allowed targets


def target_allow(*, actor: Any, data: dict[str, Any]) -> AllowedTarget:
    _admin(actor)
    inp = Inputs(data)
    prefix, note = inp.text("prefix", _("允许的地址前缀"), required=True, max_length=300), inp.text("note", _("说明"))
    if prefix and parse_address(prefix) is None:
        inp.error("prefix", _("允许的地址前缀须为 http:// 或 https:// 开头的地址，且不含用户名、密码"))
    elif prefix and AllowedTarget.objects.filter(prefix=prefix).exists():
        inp.error("prefix", _("允许的地址前缀“%(prefix)s”已在白名单中") % {"prefix": prefix})
    inp.check()
    with transaction.atomic():
        target = AllowedTarget.objects.create(prefix=prefix, note=note[:200], created_by=actor)
        _recorded(actor, "target_allow", _("新增"), target, {"prefix": [None, prefix], "note": [None, note]})
    return target


def target_remove(*, actor: Any, target_id: Any) -> None:
    """Remove a prefix: a subscription whose address it allowed is no longer sent to."""
    _admin(actor)
    target = AllowedTarget.objects.filter(pk=_id(target_id)).first()
    if target is None:
        raise NotFound
    with transaction.atomic():
        _recorded(actor, "target_remove", _("删除"), target, {"prefix": [target.prefix, None]})
        target.delete()


# ---------------------------------------------------------------- subscriptions


def subscription_create(*, actor: Any, data: dict[str, Any]) -> tuple[Subscription, str]:
    """A subscriber from now on (its cursor at the feed's top: a first load is the bulk export).
    Returns the secret, shown once."""
    _admin(actor)
    inp = Inputs(data)
    name = inp.text("name", _("名称"), required=True, max_length=60)
    url = inp.text("url", _("推送地址"), required=True, max_length=500)
    if url and not url_allowed(url):
        inp.error("url", _("推送地址不在系统管理员允许的地址白名单之内"))
    types = _types(inp)
    owner = _owner(inp)
    inp.check()
    assert owner is not None  # check() refused a missing one
    secret = secrets.token_hex(32)
    with transaction.atomic():
        sub = Subscription.objects.create(
            name=name, url=url, types=types, secret=secret, owner=owner, cursor=feed_top(), created_by=actor
        )
        changes = {"name": [None, name], "url": [None, url], "types": [None, types], "owner": [None, owner.pk]}
        _recorded(actor, "subscription_create", _("新增"), sub, changes)
    return sub, secret


def _types(inp: Inputs) -> list[str]:
    """Types named by what the pages call them (隐患) or their API names (hazard), 、 or , between."""
    raw = inp.text("types", _("对象类型"), max_length=400)
    parts = {part.strip() for part in re.split(r"[,，、;；\s]+", raw) if part.strip()}
    named = {part: feed_type_named(part) for part in parts}
    unknown = sorted(part for part, name in named.items() if name is None)
    if unknown:
        known = "、".join(feed_label(name) for name in feed_types())
        inp.error("types", _("对象类型“%(type)s”不存在，可选：%(known)s") % {"type": unknown[0], "known": known})
    return sorted({name for name in named.values() if name is not None})


def _owner(inp: Inputs) -> User | None:
    username = inp.text("owner", _("数据范围账号"), required=True, max_length=150)
    if not username:
        return None
    owner = User.objects.filter(username=username, is_active=True).first()
    if owner is None:
        inp.error("owner", _("数据范围账号“%(name)s”不存在或已停用") % {"name": username})
    return owner


def subscription_set_active(*, actor: Any, subscription_id: Any, active: bool) -> Subscription:
    """Pause or resume; a resumed subscription collects what it missed (its cursor stayed)."""
    _admin(actor)
    sub = _subscription(subscription_id)
    if sub.active != active:
        with transaction.atomic():
            Subscription.objects.filter(pk=sub.pk).update(active=active)
            _recorded(actor, "subscription_active", _("修改"), sub, {"active": [sub.active, active]})
        sub.active = active
        if active:
            transaction.on_commit(wake_pump)
    return sub


def _subscription(pk: Any) -> Subscription:
    sub = Subscription.objects.filter(pk=_id(pk)).first()
    if sub is None:
        raise NotFound
    return sub


# ---------------------------------------------------------------- replay


def delivery_replay(*, actor: Any, delivery_id: Any) -> Delivery:
    """Send a delivery again (failed, or delivered and lost by the receiver): the same body and
    delivery id, a new timestamp and signature, a fresh count of attempts."""
    _admin(actor)
    delivery = Delivery.objects.filter(pk=_uuid(delivery_id)).select_related("subscription").first()
    if delivery is None:
        raise NotFound
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        _recorded(actor, "delivery_replay", _("重新投递"), delivery, {"status": [delivery.status, "pending"]})
        transaction.on_commit(wake_pump)
    delivery.refresh_from_db()
    return delivery


def _id(raw: Any) -> int:
    """The key asked for; 0 (no row has it) for what is not a number."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


def _uuid(raw: Any) -> uuid.UUID:
    """The delivery asked for; the nil UUID (no row has it) for what is not one."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return uuid.UUID(int=0)
