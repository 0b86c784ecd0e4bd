from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what in the registry and accounts (hazards have their own hash chain)."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL)
    action = models.CharField(_("操作"), max_length=60)
    target_type = models.CharField(_("对象类型"), max_length=60)
    target_id = models.CharField(_("对象编号"), max_length=40)
    changes = models.JSONField(_("变更"), default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"


class CalendarDay(models.Model):
    """An administrator's word on one date, entered when the State Council announces a year's
    holidays (usually November/December) and chinese-calendar does not know that year yet.

    A year with at least one row counts as announced: its other weekdays are then workdays
    and its other weekend days rest days, no longer provisional.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("例如：2027年春节调休"))
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("例如：国务院办公厅通知文号"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'工作日' if self.is_workday else '休息日'}"


class SealedRecord(models.Model):
    """An issued document as it was issued: its bytes (in storage), their SHA-256, what the
    document publishes about itself, and a place in one hash chain over every sealed record.

    Written once by `core.seals.record_seal`; the database refuses UPDATE and DELETE (triggers,
    migration 0003). The owner is named by plain fields, so core imports no app.
    """

    seq = models.PositiveIntegerField(_("序号"), unique=True)
    kind = models.CharField(_("种类"), max_length=40)  # e.g. hazards.order
    title = models.CharField(_("文书名称"), max_length=60)
    number = models.CharField(_("文书编号"), max_length=60, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=120)
    issued_on = models.DateField(_("日期"))
    file = models.CharField(_("存储名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("字节数"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    target_type = models.CharField(_("所属对象类型"), max_length=60)  # app_label.model
    target_id = models.CharField(_("所属对象编号"), max_length=40)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("存证人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_by_name = models.CharField(_("存证人姓名"), max_length=60)
    sealed_at = models.DateTimeField(_("存证时间"))
    token = models.CharField(_("核验码"), max_length=64, unique=True)
    prev_hash = models.CharField(_("前序哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("存证文书")
        verbose_name_plural = _("存证文书")
        indexes = [models.Index(fields=["target_type", "target_id", "kind"], name="sealed_target_kind")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()
