"""Targets of a plan period for a region: a reduction from a baseline year, a cap or a floor."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.accidents.models import REGION_ONLY


class TargetKind(models.TextChoices):
    REDUCE = "reduce", _("较基准年下降")
    CAP = "cap", _("不高于")
    FLOOR = "floor", _("不低于")


class Target(models.Model):
    scope = REGION_ONLY

    region = models.ForeignKey("registry.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("指标"), max_length=40)
    kind = models.CharField(_("目标类型"), max_length=10, choices=TargetKind.choices)
    value = models.DecimalField(_("下降百分比或限值"), max_digits=14, decimal_places=4)
    binding = models.BooleanField(_("约束性"), default=False)
    baseline_year = models.PositiveSmallIntegerField(_("基准年"))
    start_year = models.PositiveSmallIntegerField(_("规划起始年"))
    end_year = models.PositiveSmallIntegerField(_("规划终止年"))

    class Meta:
        ordering = ["region_id", "indicator"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "start_year"], name="target_region_indicator_plan")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.indicator} {self.start_year}–{self.end_year}"
