"""Accidents (with their casualty reports), natural disasters, emergency responses, and the
socio-economic denominators the official rates divide by."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.accidents.grading import grade_name, grade_of
from safeloop.accidents.reference import sector_choices
from safeloop.core.scope import ScopePaths

# Region-level records: no enterprise, no supervision category (departments and enterprises see none).
REGION_ONLY = ScopePaths(enterprise=None, region="region", category=None, department_override=None)


class Accident(models.Model):
    scope = ScopePaths(
        enterprise="enterprise",
        region="region",
        category="category",
        department_override="enterprise__supervising_department_override",
    )

    title = models.CharField(_("事故名称"), max_length=200)
    occurred_at = models.DateTimeField(_("发生时间"))
    region = models.ForeignKey("registry.Region", verbose_name=_("发生地"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("事故单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accidents",
    )
    category = models.ForeignKey(
        "registry.Category",
        verbose_name=_("监管行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sector = models.CharField(_("统计行业"), max_length=24, choices=sector_choices())
    production_safety = models.BooleanField(_("计入生产安全事故"), default=True)
    description = models.TextField(_("简要经过"), blank=True)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    missing = models.PositiveIntegerField(_("失踪人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数"), default=0, help_text=_("含急性工业中毒"))
    injuries = models.PositiveIntegerField(_("轻伤人数"), default=0)
    direct_loss = models.DecimalField(_("直接经济损失（万元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    # 道路交通事故复盘: the four factors of the case review.
    factor_person = models.TextField(_("人的因素"), blank=True)
    factor_vehicle = models.TextField(_("车的因素"), blank=True)
    factor_road = models.TextField(_("路的因素"), blank=True)
    factor_enterprise = models.TextField(_("企业因素"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("生产安全事故")
        verbose_name_plural = _("生产安全事故")
        indexes = [
            models.Index(fields=["occurred_at"], name="acc_occurred"),
            models.Index(fields=["region", "occurred_at"], name="acc_region_occurred"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def grade(self) -> str:
        return grade_of(
            deaths=self.deaths,
            missing=self.missing,
            serious_injuries=self.serious_injuries,
            direct_loss=self.direct_loss,
        )

    @property
    def grade_label(self) -> str:
        return grade_name(self.grade)


class ReportKind(models.TextChoices):
    INITIAL = "initial", _("快报")
    UPDATE = "update", _("续报")
    LATE = "late", _("补报")


class AccidentReport(models.Model):
    """One report of the figures (快报 → 续报 → 补报); append-only. The accident carries the latest."""

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("类型"), max_length=10, choices=ReportKind.choices)
    reported_at = models.DateTimeField(_("报告时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    deaths = models.PositiveIntegerField(_("死亡"))
    missing = models.PositiveIntegerField(_("失踪"))
    serious_injuries = models.PositiveIntegerField(_("重伤"))
    injuries = models.PositiveIntegerField(_("轻伤"))
    direct_loss = models.DecimalField(_("直接经济损失（万元）"), max_digits=14, decimal_places=2)
    grade = models.CharField(_("报告时等级"), max_length=20)  # as it was at the time of the report
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["reported_at", "pk"]
        verbose_name = _("事故报告")
        verbose_name_plural = _("事故报告")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reported_at:%Y-%m-%d %H:%M}"


class Denominator(models.Model):
    """Socio-economic figures of a region and year. A blank figure means "no data", never zero."""

    scope = REGION_ONLY

    region = models.ForeignKey("registry.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    gdp = models.DecimalField(_("地区生产总值（亿元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    population = models.PositiveIntegerField(_("常住人口（人）"), null=True, blank=True)
    industrial_employees = models.PositiveIntegerField(_("工矿商贸就业人员（人）"), null=True, blank=True)
    motor_vehicles = models.PositiveIntegerField(_("机动车保有量（辆）"), null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["region_id", "year"]
        verbose_name = _("统计分母")
        verbose_name_plural = _("统计分母")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="denominator_region_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"


class DisasterKind(models.TextChoices):
    FLOOD = "flood", _("洪涝")
    DROUGHT = "drought", _("干旱")
    GEOLOGICAL = "geological", _("地质灾害")
    WIND_HAIL = "wind_hail", _("风雹")
    FREEZE = "freeze", _("低温冷冻和雪灾")
    EARTHQUAKE = "earthquake", _("地震")
    FOREST_FIRE = "forest_fire", _("森林火灾")
    OTHER = "other", _("其他")


class Disaster(models.Model):
    scope = REGION_ONLY

    title = models.CharField(_("灾害名称"), max_length=200)
    kind = models.CharField(_("灾种"), max_length=16, choices=DisasterKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    region = models.ForeignKey("registry.Region", verbose_name=_("受灾地"), on_delete=models.PROTECT, related_name="+")
    affected = models.PositiveIntegerField(_("受灾人次"), default=0)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    missing = models.PositiveIntegerField(_("失踪人数"), default=0)
    direct_loss = models.DecimalField(_("直接经济损失（万元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("自然灾害")
        verbose_name_plural = _("自然灾害")
        indexes = [models.Index(fields=["occurred_on"], name="dis_occurred")]

    def __str__(self) -> str:
        return self.title


class EmergencyResponse(models.Model):
    """The clock of one response: report → response started → relief at the scene → handed out."""

    scope = REGION_ONLY

    title = models.CharField(_("事件"), max_length=200)
    region = models.ForeignKey("registry.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    disaster = models.ForeignKey(
        Disaster, verbose_name=_("关联灾害"), null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    reported_at = models.DateTimeField(_("接报时间"))
    response_started_at = models.DateTimeField(_("启动响应时间"), null=True, blank=True)
    relief_needed = models.BooleanField(_("需要救助物资"), default=True)
    relief_arrived_at = models.DateTimeField(_("物资送达现场时间"), null=True, blank=True)
    relief_distributed_at = models.DateTimeField(_("物资发放到户时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("应急响应")
        verbose_name_plural = _("应急响应")
        indexes = [models.Index(fields=["reported_at"], name="resp_reported")]

    def __str__(self) -> str:
        return self.title
