"""The expert pool (专家库): profiles, specialties, certificates, conflicts of interest (回避),
stationings (专家驻企, with their event chain), visits and the planner's manual matching changes.

Experts assist; they are never recorded as the inspecting subject (RULES.md §6.4, 国办发〔2024〕54号).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent
from safeloop.core.scope import ScopePaths

VIA_ENTERPRISE = ScopePaths(
    enterprise="enterprise",
    region="enterprise__region",
    category="enterprise__category",
    department_override="enterprise__supervising_department_override",
)


class SpecialtyLevel(models.TextChoices):
    SENIOR = "senior", _("高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")


class Expert(models.Model):
    """A member of the pool; `user` is the expert's account, if they have one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    name = models.CharField(_("姓名"), max_length=40)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    title = models.CharField(_("职称"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    county = models.ForeignKey(
        "registry.Region",
        verbose_name=_("所在县市区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_lat = models.DecimalField(_("常驻地纬度"), max_digits=9, decimal_places=6)
    home_lng = models.DecimalField(_("常驻地经度"), max_digits=9, decimal_places=6)
    capacity = models.PositiveSmallIntegerField(_("每期可服务企业数"), default=5)
    active = models.BooleanField(_("在库"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("专家")
        verbose_name_plural = _("专家")

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    """A supervision category the expert covers (with its sub-categories), at a level."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="specialties")
    category = models.ForeignKey("registry.Category", verbose_name=_("专业（监管行业）"), on_delete=models.PROTECT)
    level = models.CharField(
        _("等级"), max_length=16, choices=SpecialtyLevel.choices, default=SpecialtyLevel.INTERMEDIATE
    )

    class Meta:
        verbose_name = _("专家专业")
        verbose_name_plural = _("专家专业")
        constraints = [models.UniqueConstraint(fields=["expert", "category"], name="expert_specialty_unique")]

    def __str__(self) -> str:
        return f"{self.expert_id}:{self.category_id}"


class Certificate(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(_("证书名称"), max_length=100)
    number = models.CharField(_("证书编号"), max_length=60, blank=True)
    expires_on = models.DateField(_("有效期至"))

    class Meta:
        verbose_name = _("专家证书")
        verbose_name_plural = _("专家证书")

    def __str__(self) -> str:
        return self.name


class ConflictKind(models.TextChoices):
    EMPLOYER = "employer", _("现工作单位")
    FORMER_EMPLOYER = "former_employer", _("曾工作单位")
    RELATIVE = "relative", _("亲属所在企业")
    OTHER = "other", _("其他利害关系")


class Conflict(models.Model):
    """A recorded conflict of interest (回避): the expert is never matched to, and never signs
    for, this enterprise."""

    scope = VIA_ENTERPRISE
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("回避情形"), max_length=20, choices=ConflictKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")
        constraints = [models.UniqueConstraint(fields=["expert", "enterprise"], name="expert_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.expert_id} ≠ {self.enterprise_id}"


class StationingStatus(models.TextChoices):
    ACTIVE = "active", _("驻企中")
    ENDED = "ended", _("已撤离")


class Stationing(models.Model):
    """专家驻企: an expert stationed at an enterprise, linked to its open major hazards; it does
    not end while those are not accepted (整改不到位、专家不撤离) unless a city admin overrides."""

    scope = VIA_ENTERPRISE
    code = models.CharField(_("驻企编号"), max_length=24, unique=True)
    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="stationings")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    hazards = models.ManyToManyField("hazards.Hazard", verbose_name=_("关联重大隐患"), blank=True, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    planned_end_on = models.DateField(_("计划结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=StationingStatus.choices, default=StationingStatus.ACTIVE
    )
    ended_on = models.DateField(_("撤离日期"), null=True, blank=True)
    override_reason = models.CharField(_("提前撤离理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("专家驻企")
        verbose_name_plural = _("专家驻企")
        indexes = [models.Index(fields=["expert", "status"], name="stationing_expert_status")]

    def __str__(self) -> str:
        return self.code


class StationingEvent(ChainedEvent):
    chain_owner = "stationing"

    stationing = models.ForeignKey(Stationing, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["stationing_id", "seq"]
        verbose_name = _("驻企事件")
        verbose_name_plural = _("驻企事件")
        constraints = [models.UniqueConstraint(fields=["stationing", "seq"], name="stationing_event_seq_unique")]


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    DONE = "done", _("已完成")


class Visit(models.Model):
    """An expert's on-site help at an enterprise (planned by the matching, or ad hoc)."""

    scope = VIA_ENTERPRISE
    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="visits")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("服务日期"))
    purpose = models.CharField(_("服务内容"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    findings = models.TextField(_("服务小结"), blank=True)
    # The hazards the expert found on this visit: reported through the hazard loop (source 专家检查).
    hazards = models.ManyToManyField("hazards.Hazard", verbose_name=_("发现的隐患"), blank=True, related_name="+")
    rating = models.PositiveSmallIntegerField(_("企业评价"), null=True, blank=True)  # 1-5, by the enterprise
    rating_note = models.CharField(_("评价意见"), max_length=300, blank=True)
    from_matching = models.BooleanField(_("来自匹配"), default=False)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("安排时间"), auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("专家服务")
        verbose_name_plural = _("专家服务")
        indexes = [models.Index(fields=["expert", "on"], name="visit_expert_on")]

    def __str__(self) -> str:
        return f"{self.expert_id} @ {self.enterprise_id} {self.on}"


class MatchingRun(models.Model):
    """One run of the matching: the filter, who ran it and when, its rows. Kept so the planner can
    look at it on the map, export it, adjust it by hand and turn it into planned visits."""

    filters = models.JSONField(_("筛选条件"), default=dict)
    summary = models.CharField(_("筛选说明"), max_length=300, blank=True)
    area = models.CharField(_("发起人辖区"), max_length=12, blank=True)  # the runner's region code
    matched = models.PositiveIntegerField(_("已匹配"), default=0)
    unmatched = models.PositiveIntegerField(_("未匹配"), default=0)
    cost_m = models.BigIntegerField(_("总距离（米）"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("匹配时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("下达时间"), null=True, blank=True)
    visit_on = models.DateField(_("计划服务日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("专家匹配")
        verbose_name_plural = _("专家匹配")

    def __str__(self) -> str:
        return f"{self.pk}"


class MatchingRow(models.Model):
    """An enterprise of a run: its expert (None: unmatched, with the reason) and why."""

    scope = VIA_ENTERPRISE
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="rows")
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    metres = models.PositiveIntegerField(_("距离（米）"), null=True, blank=True)
    specialty = models.CharField(_("匹配专业"), max_length=60, blank=True)
    explanation = models.CharField(_("匹配说明"), max_length=200, blank=True)
    reason = models.CharField(_("未匹配原因"), max_length=200, blank=True)
    manual = models.BooleanField(_("人工调整"), default=False)

    class Meta:
        ordering = ["run_id", "pk"]
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="matching_row_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.enterprise_id}"


class MatchingChange(models.Model):
    """A planner's manual change of a matching's assignment: who, why, from whom to whom."""

    scope = VIA_ENTERPRISE
    run = models.ForeignKey(MatchingRun, null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE, related_name="+")
    from_expert = models.ForeignKey(Expert, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("调整理由"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("匹配调整")
        verbose_name_plural = _("匹配调整")

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.to_expert_id}"
