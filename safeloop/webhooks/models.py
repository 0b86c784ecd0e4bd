"""Webhooks (issue 20 item 3): the change feed pushed to a subscriber's address (`delivery`)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AllowedTarget(models.Model):
    """An address prefix a system administrator allowed as a target (scheme, host, port, path)."""

    prefix = models.CharField(_("允许的地址前缀"), max_length=300, unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送地址白名单")
        verbose_name_plural = _("推送地址白名单")
        ordering = ["prefix"]

    def __str__(self) -> str:
        return self.prefix


class Subscription(models.Model):
    """A subscriber: what the feed shows `owner` (its scope, removals), from `cursor` on, posted
    to `url` signed with `secret`."""

    name = models.CharField(_("名称"), max_length=60)
    url = models.CharField(_("推送地址"), max_length=500)
    types = models.JSONField(_("对象类型"), default=list, blank=True)  # empty: every type
    secret = models.CharField(max_length=100)  # the HMAC key; shown once, at creation
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("数据范围账号")
    )
    active = models.BooleanField(_("启用"), default=True)
    cursor = models.PositiveBigIntegerField(_("已取到的变更序号"), default=0)
    sending_until = models.DateTimeField(null=True, blank=True)  # a pump's claim on sending (see delivery)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送订阅")
        verbose_name_plural = _("推送订阅")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def type_labels(self) -> list[str]:
        """The types as the pages name them (隐患、企业)."""
        from safeloop.core.changes import feed_label

        return [feed_label(name) for name in self.types]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    DELIVERED = "delivered", _("已投递")
    FAILED = "failed", _("投递失败")


class Delivery(models.Model):
    """One POST: the changes of positions `first`–`last` the owner sees, as the exact body sent
    (a retry or a replay sends the same bytes, with a new timestamp and signature)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    first = models.PositiveBigIntegerField(_("起始序号"))
    last = models.PositiveBigIntegerField(_("截止序号"))
    count = models.PositiveIntegerField(_("变更条数"))
    body = models.TextField()
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_code = models.PositiveIntegerField(_("响应码"), null=True, blank=True)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    attempted_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        indexes = [
            models.Index(fields=["subscription", "status", "first"], name="delivery_queue"),
            models.Index(fields=["subscription", "-first"], name="delivery_log"),
        ]

    def __str__(self) -> str:
        return f"#{self.first}–{self.last}"
