"""Briefings (通报): a periodic or special work briefing whose paragraphs are generated from the
data (`briefings.figures`), edited paragraph by paragraph by the official, then issued.

An issued briefing is frozen: its paragraphs no longer change (the services refuse), its Word
file is a sealed record (`core.seals`: stored, numbered, hashed, in the one chain) and the
content it published is kept with its SHA-256 (`issued_content`, `issued_sha256`). A later
generation for the same period is a new draft; it never touches the issued one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent
from safeloop.core.scope import ScopePaths


class Kind(models.TextChoices):
    MONTHLY = "monthly", _("月度工作通报")
    QUARTERLY = "quarterly", _("季度工作通报")
    ANNUAL = "annual", _("年度工作通报")
    SPECIAL = "special", _("专项行动通报")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class Briefing(models.Model):
    """One briefing of one region (the author's area) for one period, or on one campaign."""

    scope = ScopePaths(enterprise=None, region="region", category=None, department_override=None)

    code = models.CharField(_("通报编号"), max_length=40, unique=True)
    kind = models.CharField(_("通报类型"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey("registry.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.PositiveSmallIntegerField(_("月份或季度"), null=True, blank=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("专项行动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("统计起始日"))
    ends_on = models.DateField(_("统计截止日"))
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("印发单位"), max_length=120)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_content = models.JSONField(_("印发内容"), null=True, blank=True)
    issued_sha256 = models.CharField(_("印发内容摘要"), max_length=64, blank=True)
    # No database constraint: sealed records are never deleted in use, and core names their owners
    # by (app_label.model, pk) the other way round; a constraint would stop the test flush that
    # clears the append-only tables one by one (tests/conftest.py).
    seal = models.ForeignKey(
        "core.SealedRecord",
        verbose_name=_("存证"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(_("生成时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("工作通报")
        verbose_name_plural = _("工作通报")
        indexes = [models.Index(fields=["region", "year"], name="briefing_region_year")]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""), name="briefing_number_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Paragraph(models.Model):
    """One section of a briefing: the generated text and its figures, and the text as edited."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="paragraphs")
    order = models.PositiveSmallIntegerField(_("顺序"))
    key = models.CharField(_("段落"), max_length=24)
    heading = models.CharField(_("小标题"), max_length=100)
    generated = models.TextField(_("生成文字"))
    text = models.TextField(_("文字"))
    figures = models.JSONField(_("数据"), default=list)  # [{key, label, value, definition, url, missing}]
    table = models.JSONField(_("表格"), null=True, blank=True)  # {"headers": [...], "rows": [[...]]}
    chart = models.BinaryField(_("图表"), null=True, blank=True)  # PNG
    chart_title = models.CharField(_("图表标题"), max_length=100, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(_("修改时间"), null=True, blank=True)

    class Meta:
        ordering = ["briefing_id", "order"]
        verbose_name = _("通报段落")
        verbose_name_plural = _("通报段落")
        constraints = [models.UniqueConstraint(fields=["briefing", "order"], name="briefing_paragraph_order")]

    def __str__(self) -> str:
        return self.heading

    @property
    def edited(self) -> bool:
        return self.text != self.generated


class BriefingEvent(ChainedEvent):
    """One act on a briefing (generated, a paragraph edited, issued)."""

    chain_owner = "briefing"

    briefing = models.ForeignKey(Briefing, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["briefing_id", "seq"]
        verbose_name = _("通报事件")
        verbose_name_plural = _("通报事件")
        constraints = [models.UniqueConstraint(fields=["briefing", "seq"], name="briefing_event_seq_unique")]
