"""The catalogue of major-accident-hazard determination standards (重大事故隐患判定标准) and
their clauses. Reference data: loaded from `standards/data/` (`catalogue.catalogue_load`, run by a
data migration and by `manage.py load_standards`); an administrator may add a standard or amend a
clause through `standards.services`. Clause ids are stable strings (`GM10-11-03` for 工贸
第十一条（三）) that hazards cite; a superseded clause stays citable and is shown as superseded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    SUPERSEDED = "superseded", _("已废止")


class Coverage(models.TextChoices):
    """How much of a standard the catalogue holds."""

    FULL = "full", _("全部条款")
    PARTIAL = "partial", _("部分条款")
    CHAPTERS = "chapters", _("仅章节")
    METADATA = "metadata", _("仅目录信息")


class Wording(models.TextChoices):
    """Where a clause's text comes from (docs/standards.md)."""

    OFFICIAL = "official", _("原文")  # a copy checked against the official text
    QUOTED = "quoted", _("原文（未经官方文本核对）")  # wording of a secondary copy
    PARAPHRASE = "paraphrase", _("摘要转述")  # our faithful paraphrase of the domain facts
    NONE = "none", _("条文暂缺")


class Feature(models.TextChoices):
    """Cross-sector risk features (专项类) a clause applies to, beside the enterprise's category."""

    DUST = "dust", _("粉尘涉爆")
    AMMONIA = "ammonia", _("液氨制冷")
    CONFINED_SPACE = "confined_space", _("有限空间")
    HAZARDOUS_PROCESS = "hazardous_process", _("危险化工工艺")
    MAJOR_HAZARD_SOURCE = "major_hazard_source", _("重大危险源")


class Standard(models.Model):
    id = models.CharField(_("标准编号"), max_length=32, primary_key=True)
    title = models.CharField(_("标准名称"), max_length=200)
    short_title = models.CharField(_("简称"), max_length=40, blank=True)
    issuer = models.CharField(_("发布机关"), max_length=120, blank=True)
    doc_no = models.CharField(_("文号"), max_length=80, blank=True)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    in_force_on = models.DateField(_("施行日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.IN_FORCE)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("替代标准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    superseded_from = models.DateField(_("替代日期"), null=True, blank=True)
    supersession_note = models.CharField(_("替代说明"), max_length=300, blank=True)
    category_codes = models.JSONField(_("适用监管行业"), default=list, blank=True)
    coverage = models.CharField(_("收录范围"), max_length=16, choices=Coverage.choices, default=Coverage.FULL)
    confidence = models.CharField(_("可信度"), max_length=4, blank=True)
    source = models.TextField(_("来源"), blank=True)
    source_url = models.CharField(_("来源网址"), max_length=300, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    data_version = models.CharField(_("数据版本"), max_length=20, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("判定标准")
        verbose_name_plural = _("判定标准")

    def __str__(self) -> str:
        return self.title


class Clause(models.Model):
    id = models.CharField(_("条款编号"), max_length=32, primary_key=True)
    standard = models.ForeignKey(Standard, verbose_name=_("判定标准"), on_delete=models.PROTECT, related_name="clauses")
    article = models.PositiveSmallIntegerField(_("条"), null=True, blank=True)
    item = models.PositiveSmallIntegerField(_("项"), null=True, blank=True)
    number = models.CharField(_("条款号"), max_length=40)  # as printed: 第十一条（三）, 第3项, 第5章
    section = models.CharField(_("所属章节"), max_length=80, blank=True)  # the article's topic: 粉尘爆炸
    text = models.TextField(_("条文"), blank=True)
    wording = models.CharField(_("条文性质"), max_length=16, choices=Wording.choices)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    category_codes = models.JSONField(_("适用监管行业"), default=list, blank=True)  # empty: the standard's
    feature = models.CharField(_("专项风险"), max_length=24, choices=Feature.choices, blank=True)
    confidence = models.CharField(_("可信度"), max_length=4, blank=True)
    source = models.TextField(_("来源"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.IN_FORCE)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("替代条款"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    sort = models.PositiveIntegerField(_("排序"), default=0)
    amended_at = models.DateTimeField(_("修订时间"), null=True, blank=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    amendment_note = models.CharField(_("修订说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["standard__sort", "sort", "id"]
        verbose_name = _("判定条款")
        verbose_name_plural = _("判定条款")

    def __str__(self) -> str:
        return f"{self.id} {self.number}"

    @property
    def superseded(self) -> bool:
        return self.status == Status.SUPERSEDED
