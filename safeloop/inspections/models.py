"""Inspections (涉企行政检查): yearly plans, double-random draws (双随机), inspections with the
officers who carry them out, the check-in at the gate (扫码入企), findings that become hazards,
and the enterprise's rating of the visit. Conventions: ../shared/domain/RULES.md §6
(国办发〔2024〕54号, 应急〔2025〕11号).

Inspectors are regulators (accounts.User with a department); an officer's enforcement
certificate (执法证) is recorded in the registry (`registry.OfficerCertificate`, shared with
打非治违 through `registry.bodies`); the inspectors' conflicts of interest (`InspectorConflict`,
回避) are recorded here.
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


class ConflictKind(models.TextChoices):
    RELATIVE = "relative", _("近亲属在该企业任职")
    FORMER_EMPLOYER = "former_employer", _("曾在该企业任职")
    INTEREST = "interest", _("其他利害关系")


class InspectorConflict(models.Model):
    """A conflict of interest (回避): the inspector is never drawn for, nor named on, an
    inspection of this enterprise."""

    scope = VIA_ENTERPRISE
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), on_delete=models.CASCADE, related_name="+"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("回避情形"), max_length=20, choices=ConflictKind.choices, default=ConflictKind.INTEREST)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("执法回避关系")
        verbose_name_plural = _("执法回避关系")
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="inspector_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} ≠ {self.enterprise_id}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    APPROVED = "approved", _("已批准")


class Plan(models.Model):
    """A department's yearly inspection plan (执法检查计划, 应急〔2021〕23号): a total target,
    targets by category and risk level, the share to be drawn at random and the key enterprises
    (重点检查企业, each inspected at least once a year, 应急〔2025〕11号)."""

    department = models.ForeignKey(
        "registry.Department", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("计划名称"), max_length=100)
    target_total = models.PositiveIntegerField(_("计划检查户次"))
    random_share = models.PositiveSmallIntegerField(_("随机抽查比例（%）"), default=50)
    # {"category:<code>": n, "risk:<level>": n}: targets by category and by risk level.
    targets = models.JSONField(_("分类分级目标"), default=dict, blank=True)
    key_enterprises = models.ManyToManyField(
        "registry.Enterprise", verbose_name=_("重点检查企业"), blank=True, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "department_id"]
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="inspection_plan_one_per_year")]

    def __str__(self) -> str:
        return self.name


class Draw(models.Model):
    """A double-random draw (双随机): enterprises drawn from a pool and paired with two inspectors
    each from a roster. Everything the draw used is stored — the seed, the algorithm, the pool and
    the roster in their order, the weights — so anyone can run it again (`draws.verify`)."""

    department = models.ForeignKey(
        "registry.Department", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("检查计划"), null=True, blank=True, on_delete=models.PROTECT, related_name="draws"
    )
    title = models.CharField(_("抽查事项"), max_length=100)
    algorithm = models.CharField(_("算法"), max_length=32)
    seed = models.CharField(_("随机种子"), max_length=40)
    pool_filter = models.JSONField(_("抽取范围条件"), default=dict)
    pool = models.JSONField(_("企业名录快照"), default=list)  # ordered enterprise ids
    roster = models.JSONField(_("执法人员名录快照"), default=list)  # ordered user ids
    weights = models.JSONField(_("风险等级权重"), default=dict)
    conflicts = models.JSONField(_("回避关系快照"), default=list)  # [[user, enterprise], ...]
    count = models.PositiveIntegerField(_("抽取企业数"))
    result = models.JSONField(_("抽取结果"), default=list)  # [{"enterprise": id, "inspectors": [id, id]}]
    result_hash = models.CharField(_("结果摘要"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("双随机抽查")
        verbose_name_plural = _("双随机抽查")

    def __str__(self) -> str:
        return self.title


class Kind(models.TextChoices):
    RANDOM = "random", _("双随机抽查")
    KEY = "key", _("重点检查")
    SPECIAL = "special", _("专项检查")
    COMPLAINT = "complaint", _("举报投诉核查")
    FOLLOW_UP = "follow_up", _("复查")


class Status(models.TextChoices):
    PLANNED = "planned", _("待检查")
    IN_PROGRESS = "in_progress", _("检查中")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class OverCapReason(models.TextChoices):
    HIGH_RISK = "high_risk", _("高风险")
    COMPLAINT = "complaint", _("举报投诉")
    FOLLOW_UP = "follow_up", _("复查")


class Inspection(models.Model):
    """One inspection of one enterprise by a legal enforcement body (a department, never the
    安委办), with ≥2 certified officers and any assistants (experts, grid workers)."""

    scope = VIA_ENTERPRISE
    code = models.CharField(_("检查编号"), max_length=24, unique=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("被检查企业"), on_delete=models.PROTECT, related_name="+"
    )
    enforcement_body = models.ForeignKey(
        "registry.Department", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("检查类型"), max_length=16, choices=Kind.choices, default=Kind.KEY)
    plan = models.ForeignKey(
        Plan, verbose_name=_("检查计划"), null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    draw = models.ForeignKey(
        Draw, verbose_name=_("双随机抽查"), null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    planned_on = models.DateField(_("计划检查日期"))
    items = models.TextField(_("检查事项"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    checked_in_at = models.DateTimeField(_("扫码入企时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    over_cap_reason = models.CharField(_("超频次检查理由"), max_length=16, choices=OverCapReason.choices, blank=True)
    over_cap_note = models.CharField(_("超频次说明"), max_length=200, blank=True)
    # 综合查一次: inspections of several bodies done as one visit share the code of the first.
    joint_code = models.CharField(_("联合检查编号"), max_length=24, blank=True, db_index=True)
    rating = models.PositiveSmallIntegerField(_("企业评价"), null=True, blank=True)  # 1-5
    rating_note = models.CharField(_("评价意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("行政检查")
        verbose_name_plural = _("行政检查")
        indexes = [
            models.Index(fields=["enterprise", "planned_on"], name="inspection_enterprise_on"),
            models.Index(fields=["enforcement_body", "planned_on"], name="inspection_body_on"),
        ]

    def __str__(self) -> str:
        return self.code


class ParticipantRole(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    ASSISTANT = "assistant", _("辅助人员")


class AssistantKind(models.TextChoices):
    EXPERT = "expert", _("专家")
    GRID = "grid", _("网格员")
    OTHER = "other", _("其他辅助人员")


class Participant(models.Model):
    """Who took part: officers (a user of the body with a certificate, its number copied at the
    time) and assistants (experts, grid workers: they assist, never inspect)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("身份"), max_length=16, choices=ParticipantRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=40)
    certificate_no = models.CharField(_("执法证号"), max_length=40, blank=True)
    assistant_kind = models.CharField(_("辅助人员类别"), max_length=16, choices=AssistantKind.choices, blank=True)

    class Meta:
        ordering = ["inspection_id", "role", "pk"]
        verbose_name = _("检查人员")
        verbose_name_plural = _("检查人员")

    def __str__(self) -> str:
        return self.name


class InspectionEvent(ChainedEvent):
    chain_owner = "inspection"

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["inspection_id", "seq"]
        verbose_name = _("检查事件")
        verbose_name_plural = _("检查事件")
        constraints = [models.UniqueConstraint(fields=["inspection", "seq"], name="inspection_event_seq_unique")]


class CheckIn(models.Model):
    """扫码入企: an officer opened the enterprise's code at the gate — who, when, where."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="check_ins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("扫码人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("扫码时间"))
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)

    class Meta:
        ordering = ["inspection_id", "at"]
        verbose_name = _("扫码入企记录")
        verbose_name_plural = _("扫码入企记录")

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.at}"


class Finding(models.Model):
    """A finding of an inspection: the hazard it became in the loop (source regulator or
    township_patrol)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    hazard = models.OneToOneField("hazards.Hazard", verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection_id", "pk"]
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.hazard_id}"
