"""Campaigns (专项整治, 百日攻坚, 举一反三): an organised push over a target population of
enterprises. The population is a saved filter over the registry; launching freezes it into
`Target` rows and creates one `Task` per target, routed to whoever must act. Every 不符合 or
finding of a task is a hazard in the loop (source `campaign`, or `dragnet` for 举一反三), linked
back through `Finding`.

`Campaign` and `Task` have states changed only through `campaigns.workflow`; their histories are
append-only, hash-chained event tables (`CampaignEvent`, `TaskEvent`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent, StoredFile
from safeloop.core.scope import ScopePaths


class Kind(models.TextChoices):
    SPECIAL = "special", _("专项整治")
    HUNDRED_DAYS = "hundred_days", _("百日攻坚")
    DRAGNET = "dragnet", _("举一反三")


class Status(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    LAUNCHED = "launched", _("进行中")
    CLOSED = "closed", _("已结束")


class Route(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业自查")
    TOWNSHIP = "township", _("属地乡镇排查")
    DEPARTMENT = "department", _("监管部门检查")


class Campaign(models.Model):
    """The campaign row is the launching unit's: its region is that unit's region (a city
    campaign is city-level). Who sees it is `campaigns.selectors.campaigns_visible`, not
    `core.scope` alone: a county sees a city campaign whose targets reach into the county."""

    scope = ScopePaths(enterprise=None, region="region", category=None, department_override=None)

    code = models.CharField(_("行动编号"), max_length=40, unique=True)
    title = models.CharField(_("行动名称"), max_length=200)
    kind = models.CharField(_("行动类型"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("发起区划"), on_delete=models.PROTECT, related_name="+"
    )
    lead_department = models.ForeignKey(
        "registry.Department",
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空：由安委办牵头"),
    )
    co_departments = models.ManyToManyField(
        "registry.Department", verbose_name=_("配合部门"), blank=True, related_name="+"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    target_filter = models.JSONField(_("对象范围"), default=dict)
    route = models.CharField(_("任务承办"), max_length=16, choices=Route.choices, default=Route.ENTERPRISE)
    task_days = models.PositiveSmallIntegerField(_("任务期限（工作日）"), default=20)
    clauses = models.ManyToManyField("standards.Clause", verbose_name=_("重点条款"), blank=True, related_name="+")
    seed_hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name=_("源头隐患"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seed_accident = models.ForeignKey(
        "accidents.Accident",
        verbose_name=_("源头事故"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # 打非治违 joint operations carried out under this campaign (issue 17): the campaign lists
    # them; the enforcement app knows nothing of campaigns.
    operations = models.ManyToManyField(
        "enforcement.Operation", verbose_name=_("联合执法行动"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    launched_at = models.DateTimeField(_("启动时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        indexes = [models.Index(fields=["region", "status"], name="campaign_region_status")]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    scope = ScopePaths(enterprise=None, region="campaign__region", category=None, department_override=None)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("完成时限"))

    class Meta:
        ordering = ["campaign_id", "due_on", "id"]
        verbose_name = _("行动节点")
        verbose_name_plural = _("行动节点")

    def __str__(self) -> str:
        return self.title


class Document(StoredFile):
    """The document that launched the campaign (行动方案), content-addressed by `core.evidence`."""

    scope = ScopePaths(enterprise=None, region="campaign__region", category=None, department_override=None)

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="documents")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("行动文件")
        verbose_name_plural = _("行动文件")

    def __str__(self) -> str:
        return self.original_name


VIA_ENTERPRISE = ScopePaths(
    enterprise="enterprise",
    region="enterprise__region",
    category="enterprise__category",
    department_override="enterprise__supervising_department_override",
)


class Target(models.Model):
    """One enterprise of the population: proposed while the campaign is a draft, frozen at launch.
    After launch a target is never deleted: removing one sets `removed_at` and the reason, and
    both the addition and the removal are events of the campaign's chain."""

    scope = VIA_ENTERPRISE

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="targets")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT)
    score = models.FloatField(_("相似度"), default=0)
    reasons = models.JSONField(_("入选理由"), default=list)
    added_after_launch = models.BooleanField(_("启动后追加"), default=False)
    change_reason = models.CharField(_("调整理由"), max_length=300, blank=True)
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)

    class Meta:
        ordering = ["campaign_id", "-score", "id"]
        verbose_name = _("行动对象")
        verbose_name_plural = _("行动对象")
        constraints = [models.UniqueConstraint(fields=["campaign", "enterprise"], name="campaign_target_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.enterprise_id}"


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("待开展")
    IN_PROGRESS = "in_progress", _("排查中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


class Task(models.Model):
    """One target's task. An enterprise task ends when its checklist is submitted; a township or
    department task ends when the assignee records its findings. Overdue is derived."""

    scope = VIA_ENTERPRISE

    code = models.CharField(_("任务编号"), max_length=48, unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="tasks")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT)
    route = models.CharField(_("承办"), max_length=16, choices=Route.choices)
    department = models.ForeignKey(
        "registry.Department", verbose_name=_("承办部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    checklist = models.ForeignKey(
        "checklists.Checklist",
        verbose_name=_("自查清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.TextField(_("排查情况"), blank=True)
    # The level the overdue ladder reached (hazards.Escalation values; `campaigns.supervision`).
    escalation = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["campaign_id", "deadline", "id"]
        verbose_name = _("行动任务")
        verbose_name_plural = _("行动任务")
        indexes = [
            models.Index(fields=["campaign", "status"], name="campaign_task_status"),
            models.Index(fields=["enterprise", "status"], name="campaign_task_enterprise"),
            models.Index(fields=["checklist"], name="campaign_task_checklist"),
        ]

    def __str__(self) -> str:
        return self.code


class Finding(models.Model):
    """A hazard a task found: the link from the hazard loop back to the campaign."""

    scope = ScopePaths(
        enterprise="task__enterprise",
        region="task__enterprise__region",
        category="task__enterprise__category",
        department_override="task__enterprise__supervising_department_override",
    )

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="findings")
    hazard = models.OneToOneField("hazards.Hazard", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task_id", "id"]
        verbose_name = _("行动发现隐患")
        verbose_name_plural = _("行动发现隐患")

    def __str__(self) -> str:
        return f"{self.task_id} → {self.hazard_id}"


class CampaignEvent(ChainedEvent):
    """One act on a campaign (create, target changes, launch with the frozen list, close)."""

    chain_owner = "campaign"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["campaign_id", "seq"]
        verbose_name = _("专项行动事件")
        verbose_name_plural = _("专项行动事件")
        constraints = [models.UniqueConstraint(fields=["campaign", "seq"], name="campaign_event_seq_unique")]


class TaskEvent(ChainedEvent):
    chain_owner = "task"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["task_id", "seq"]
        verbose_name = _("行动任务事件")
        verbose_name_plural = _("行动任务事件")
        constraints = [models.UniqueConstraint(fields=["task", "seq"], name="campaign_task_event_seq_unique")]
