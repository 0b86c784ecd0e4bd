"""Responsibility (issue 16): who owes what, the year's tasks, and the computed assessment.

- `Unit`: a unit that owes duties and is assessed — the city's and a county's party committee and
  government, a township, a department (registry.Department), an enterprise's template (no unit:
  the 全员安全生产责任制 list every enterprise's positions follow).
- `DutyList` (per unit and year, versioned) → `DutyItem` (text, legal basis, owner `Position`,
  and the `measure` code of `duties.measures` that shows whether it is done, '' for none).
- `Position` and `PositionHolder`: a change of holder closes the old row, so the history stays.
- `Task` (年度任务清单, a key project when it has a budget) → `Milestone`, `ProgressReport`,
  `Evidence`; its history is `TaskEvent` (hash-chained, append-only).
- `Scheme` (the year's 考核方案) → `SchemeItem` (weight and scoring rule as data); `ManualScore`
  for the items an assessor scores; a closed scheme keeps its result as a `core` sealed record.
- `Accountability` (约谈, 通报批评, 责令检查, 移送) and `Drill` (应急演练) with `DrillPhoto`.

Visibility is `duties.selectors.unit_q`: the region scope of `core.scope` on the unit's region,
plus a department's own unit and an enterprise's own records.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent, StoredFile
from safeloop.core.scope import ScopePaths

REGION_OF_UNIT = ScopePaths(enterprise=None, region="region", category=None, department_override=None)


class UnitKind(models.TextChoices):
    CITY = "city", _("市委市政府")
    COUNTY = "county", _("县市区")
    TOWNSHIP = "township", _("乡镇街道")
    DEPARTMENT = "department", _("部门")


class Unit(models.Model):
    scope = REGION_OF_UNIT

    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    name = models.CharField(_("单位"), max_length=80)
    region = models.ForeignKey("registry.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    department = models.OneToOneField(
        "registry.Department", verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "region_id", "id"]
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region"], condition=models.Q(department=None), name="duty_unit_one_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PositionKind(models.TextChoices):
    SECRETARY = "secretary", _("党委书记")
    HEAD = "head", _("政府主要负责人")
    SAFETY_VICE = "safety_vice", _("分管安全生产负责人")
    PORTFOLIO_VICE = "portfolio_vice", _("其他分管负责人")
    DEPARTMENT_HEAD = "department_head", _("部门主要负责人")
    TOWNSHIP_HEAD = "township_head", _("乡镇主要负责人")
    PRINCIPAL = "principal", _("主要负责人")
    SAFETY_MANAGER = "safety_manager", _("安全管理人员")
    TEAM_LEADER = "team_leader", _("班组长")
    EMPLOYEE = "employee", _("岗位员工")


ENTERPRISE_POSITIONS = (
    PositionKind.PRINCIPAL,
    PositionKind.SAFETY_MANAGER,
    PositionKind.TEAM_LEADER,
    PositionKind.EMPLOYEE,
)


class Position(models.Model):
    """A post of a unit (or, with no unit, of every enterprise) and its portfolio (分管)."""

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="positions")
    kind = models.CharField(_("岗位类型"), max_length=20, choices=PositionKind.choices)
    title = models.CharField(_("岗位"), max_length=80)
    portfolio = models.CharField(_("分管领域"), max_length=300, blank=True)
    portfolio_units = models.ManyToManyField(Unit, verbose_name=_("分管单位"), blank=True, related_name="overseers")
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["unit_id", "sort", "id"]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")

    def __str__(self) -> str:
        return self.title


class PositionHolder(models.Model):
    """Who held a post and when: a change ends the current row and starts a new one."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="holders")
    person_name = models.CharField(_("姓名"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        ordering = ["position_id", "-started_on", "-id"]
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        constraints = [
            models.UniqueConstraint(
                fields=["position"], condition=models.Q(ended_on=None), name="duty_position_one_current_holder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position} {self.person_name}"


class ListKind(models.TextChoices):
    LEADERS = "leaders", _("党政领导干部安全生产职责清单")
    DEPARTMENT = "department", _("部门安全生产监管职责清单")
    TOWNSHIP = "township", _("乡镇（街道）安全生产履职事项清单")
    ENTERPRISE = "enterprise", _("企业全员安全生产责任清单")


class DutyList(models.Model):
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="duty_lists")
    kind = models.CharField(_("清单类型"), max_length=16, choices=ListKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    title = models.CharField(_("清单名称"), max_length=120)
    statement = models.TextField(_("职责表述"), blank=True)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    published_on = models.DateField(_("印发日期"))

    class Meta:
        ordering = ["-year", "unit_id", "kind", "-version"]
        verbose_name = _("职责清单")
        verbose_name_plural = _("职责清单")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year", "version"], name="duty_list_version_unique")
        ]

    def __str__(self) -> str:
        return self.title


class DutyItem(models.Model):
    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="items")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    text = models.CharField(_("职责事项"), max_length=300)
    basis = models.CharField(_("法定依据"), max_length=200)
    measure = models.CharField(_("履职衡量"), max_length=40, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["duty_list_id", "sort", "id"]
        verbose_name = _("职责事项")
        verbose_name_plural = _("职责事项")

    def __str__(self) -> str:
        return self.text


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")


class Task(models.Model):
    """A task of the year's work plan; with a budget, a key project (重点工程) with physical progress."""

    # The change feed's keys (core.changes): the lead unit's region and department. The pages read
    # through `selectors.tasks_visible` (lead or co-operating unit); the feed follows the lead unit.
    scope = ScopePaths(
        enterprise=None, region="lead_unit__region", category=None, department_override="lead_unit__department"
    )
    code = models.CharField(_("任务编号"), max_length=24, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("工作要求"), blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    lead_unit = models.ForeignKey(Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_tasks")
    co_units = models.ManyToManyField(Unit, verbose_name=_("配合单位"), blank=True, related_name="co_tasks")
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), default=0)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    key_project = models.BooleanField(_("重点工程"), default=False)
    budget = models.DecimalField(_("投资（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["year", "code"]
        verbose_name = _("年度任务")
        verbose_name_plural = _("年度任务")
        indexes = [models.Index(fields=["year", "lead_unit"], name="duty_task_year_unit")]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    due_on = models.DateField(_("节点时限"))
    planned_pct = models.PositiveSmallIntegerField(_("计划进度（%）"), default=0)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    # The level the late-milestone ladder reached (hazards.Escalation values; `duties.supervision`).
    escalation = models.PositiveSmallIntegerField(_("督办级别"), default=0)

    class Meta:
        ordering = ["task_id", "due_on", "id"]
        verbose_name = _("任务节点")
        verbose_name_plural = _("任务节点")

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A month's physical progress of a key project (cumulative)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_reports")
    month = models.DateField(_("月份"))
    progress_pct = models.PositiveSmallIntegerField(_("累计形象进度（%）"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["task_id", "month"]
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        constraints = [models.UniqueConstraint(fields=["task", "month"], name="duty_progress_month_unique")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.month:%Y-%m} {self.progress_pct}%"


class Evidence(StoredFile):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="evidence")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["task_id", "uploaded_at", "id"]
        verbose_name = _("任务佐证")
        verbose_name_plural = _("任务佐证")

    def __str__(self) -> str:
        return self.original_name


class TaskEvent(ChainedEvent):
    chain_owner = "task"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["task_id", "seq"]
        verbose_name = _("年度任务事件")
        verbose_name_plural = _("年度任务事件")
        constraints = [models.UniqueConstraint(fields=["task", "seq"], name="duty_task_event_seq_unique")]


class SchemeStatus(models.TextChoices):
    OPEN = "open", _("考核中")
    CLOSED = "closed", _("已终结")


class Scheme(models.Model):
    """The year's assessment scheme of a region (the city's assesses its counties and departments)."""

    scope = REGION_OF_UNIT

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("考核主体区划"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("考核方案"), max_length=120)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.OPEN)
    closed_at = models.DateTimeField(_("终结时间"), null=True, blank=True)
    # The sealed record (core.seals) of the frozen result; its bytes are the canonical JSON.
    sealed = models.ForeignKey("core.SealedRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-year", "region_id"]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="duty_scheme_region_year")]

    def __str__(self) -> str:
        return self.title


class Applies(models.TextChoices):
    COUNTY = "county", _("县市区")
    DEPARTMENT = "department", _("部门")
    BOTH = "both", _("县市区和部门")


class Rule(models.TextChoices):
    RATE = "rate", _("按比率得分")
    INVERSE = "inverse", _("按比率扣分")
    DEDUCT = "deduct", _("按次扣分")
    VETO = "veto", _("一票否决")
    MANUAL = "manual", _("考核人评分")


class SchemeItem(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("编号"), max_length=40)
    title = models.CharField(_("考核内容"), max_length=120)
    applies = models.CharField(_("考核对象"), max_length=12, choices=Applies.choices, default=Applies.BOTH)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    rule = models.CharField(_("评分规则"), max_length=10, choices=Rule.choices)
    measure = models.CharField(_("数据来源"), max_length=40, blank=True)
    # rate: full marks at `target` (a share, 0–1); inverse: zero at `limit`; deduct: `per` points a row.
    params = models.JSONField(_("评分参数"), default=dict, blank=True)
    rule_text = models.CharField(_("评分标准"), max_length=300)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["scheme_id", "sort", "id"]
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="duty_scheme_item_code")]

    def __str__(self) -> str:
        return self.title


class ManualScore(models.Model):
    item = models.ForeignKey(SchemeItem, on_delete=models.CASCADE, related_name="manual_scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("评分理由"), max_length=300)
    evidence = models.CharField(_("佐证材料"), max_length=300)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="duty_manual_score_unique")]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.unit_id} {self.score}"


class AccountabilityKind(models.TextChoices):
    TALK = "talk", _("约谈")
    CRITICISM = "criticism", _("通报批评")
    SELF_REVIEW = "self_review", _("责令检查")
    REFERRAL = "referral", _("移送追责")


class Trigger(models.TextChoices):
    HAZARD = "hazard", _("隐患逾期升级")
    TASK = "task", _("任务滞后")
    ACCIDENT = "accident", _("生产安全事故")
    OTHER = "other", _("其他")


class Accountability(models.Model):
    scope = ScopePaths(enterprise=None, region="unit__region", category=None, department_override=None)

    unit = models.ForeignKey(Unit, verbose_name=_("被追责单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("方式"), max_length=12, choices=AccountabilityKind.choices)
    decided_on = models.DateField(_("日期"))
    reason = models.CharField(_("事由"), max_length=300)
    trigger = models.CharField(_("起因"), max_length=10, choices=Trigger.choices)
    hazard = models.ForeignKey("hazards.Hazard", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accident = models.ForeignKey(
        "accidents.Accident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.CharField(_("决定机关"), max_length=80)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("追责记录")
        verbose_name_plural = _("追责记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reason}"


class Drill(models.Model):
    scope = ScopePaths(enterprise=None, region="unit__region", category=None, department_override=None)

    unit = models.ForeignKey(Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="drills")
    held_on = models.DateField(_("演练日期"))
    plan = models.CharField(_("演练预案"), max_length=200)
    participants = models.PositiveIntegerField(_("参演人数"))
    note = models.CharField(_("演练情况"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        indexes = [models.Index(fields=["unit", "held_on"], name="duty_drill_unit_day")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.plan}"


class DrillPhoto(StoredFile):
    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="photos")

    class Meta:
        verbose_name = _("演练照片")
        verbose_name_plural = _("演练照片")


def stored_files() -> Iterator[tuple[str, str, str]]:
    """Task evidence and drill photos for `core.filecheck` (verify_ledger)."""
    for row in Evidence.objects.order_by("pk").values_list("pk", "file", "sha256").iterator(chunk_size=2000):
        yield f"任务佐证 #{row[0]}", row[1], row[2]
    for row in DrillPhoto.objects.order_by("pk").values_list("pk", "file", "sha256").iterator(chunk_size=2000):
        yield f"演练照片 #{row[0]}", row[1], row[2]
