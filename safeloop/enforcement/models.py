"""打非治违 (crack down on illegal production, correct violations): unlicensed subjects, clues,
cases and joint operations (issue 17).

A clue or case belongs to a township (its `region`) and to the department it is routed to
(`department`: the supervising department of its type, or the one it was transferred to). The
scope mechanism reads them as it reads enterprises: area accounts by region, a department by
`department` (ScopePaths' department_override) within its own region.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent, StoredFile
from safeloop.core.scope import ScopePaths

ROUTED = ScopePaths(enterprise=None, region="region", category="category", department_override="department")
BY_REGION = ScopePaths(enterprise=None, region="region", category=None, department_override=None)


class ClueKind(models.Model):
    """A type of illegal activity (data: data/clue_kinds.csv) and the department kind that
    supervises it (the clue is routed to that department of the clue's county)."""

    code = models.CharField(_("代码"), max_length=32, primary_key=True)
    name = models.CharField(_("违法类型"), max_length=40)
    department_kind = models.CharField(_("监管部门类型"), max_length=32)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("违法类型")
        verbose_name_plural = _("违法类型")

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """A place or operator not (or not yet) in the enterprise registry (无证无照), recorded by
    name, address, township and coordinates; `enterprise` once matched to a registered one."""

    scope = BY_REGION
    name = models.CharField(_("名称（经营者）"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("乡镇街道"), on_delete=models.PROTECT, related_name="+"
    )
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    operator = models.CharField(_("负责人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("已登记企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unlicensed_records",
    )
    matched_at = models.DateTimeField(_("关联时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("无证无照经营主体")
        verbose_name_plural = _("无证无照经营主体")

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    PATROL = "patrol", _("乡镇巡查")
    GRID = "grid", _("网格员")
    INSPECTION = "inspection", _("行政检查")
    PUBLIC_REPORT = "public_report", _("群众举报")
    POLICE = "police", _("公安移交")
    MARKET = "market", _("市场监管移交")
    HOTLINE = "hotline", _("12350热线")
    OTHER = "other", _("其他")


class ClueStatus(models.TextChoices):
    RECEIVED = "received", _("待核查")
    CHECKED = "checked", _("已核查")
    TRANSFERRED = "transferred", _("移交待接收")
    CASE_OPENED = "case_opened", _("已立案")
    CLOSED = "closed", _("已办结")


class Operation(models.Model):
    """A joint or special operation (联合执法 / 专项行动): participating departments, period,
    area, the clues and cases it handled, and its results."""

    scope = BY_REGION

    class Kind(models.TextChoices):
        JOINT = "joint", _("联合执法")
        SPECIAL = "special", _("专项行动")

    name = models.CharField(_("行动名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.JOINT)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("行动区域"), on_delete=models.PROTECT, related_name="+"
    )
    departments = models.ManyToManyField("registry.Department", verbose_name=_("参与部门"), related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    results = models.TextField(_("行动成果"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("联合执法行动")
        verbose_name_plural = _("联合执法行动")

    def __str__(self) -> str:
        return self.name


class Clue(models.Model):
    scope = ROUTED
    code = models.CharField(_("线索编号"), max_length=24, unique=True)
    kind = models.ForeignKey(ClueKind, verbose_name=_("违法类型"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("线索来源"), max_length=16, choices=Source.choices)
    subject = models.ForeignKey(
        Subject, verbose_name=_("经营主体"), null=True, blank=True, on_delete=models.PROTECT, related_name="clues"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("乡镇街道"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "registry.Category",
        verbose_name=_("监管行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "registry.Department",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("地点"), max_length=200)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("线索内容"))
    origin = models.CharField(_("来源记录"), max_length=60, blank=True)  # e.g. "inspection:JC2026000012"
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("联合执法行动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clues",
    )
    status = models.CharField(_("状态"), max_length=16, choices=ClueStatus.choices, default=ClueStatus.RECEIVED)
    check_note = models.TextField(_("核查情况"), blank=True)
    close_reason = models.CharField(_("办结理由"), max_length=200, blank=True)
    transferred_from = models.ForeignKey(
        "registry.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accept_by = models.DateField(_("接收期限"), null=True, blank=True)
    actioned_at = models.DateTimeField(_("处置时间"), null=True, blank=True)  # case opened, transferred or closed
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("打非治违线索")
        verbose_name_plural = _("打非治违线索")
        indexes = [models.Index(fields=["region", "created_at"], name="clue_region_created")]

    def __str__(self) -> str:
        return self.code

    @property
    def party_name(self) -> str:
        """The subject's name, or the enterprise's once registered/matched."""
        if self.subject_id is not None:
            return self.subject.name
        return self.enterprise.name if self.enterprise_id is not None else self.code


class CluePhoto(StoredFile):
    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        ordering = ["clue_id", "pk"]
        verbose_name = _("线索照片")
        verbose_name_plural = _("线索照片")

    def __str__(self) -> str:
        return self.original_name


class ClueEvent(ChainedEvent):
    chain_owner = "clue"

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["clue_id", "seq"]
        verbose_name = _("线索事件")
        verbose_name_plural = _("线索事件")
        constraints = [models.UniqueConstraint(fields=["clue", "seq"], name="clue_event_seq_unique")]


class CaseStatus(models.TextChoices):
    FILED = "filed", _("已立案")
    HANDLING = "handling", _("处理中")
    CLOSED = "closed", _("已结案")


class Measure(models.TextChoices):
    SUSPEND = "suspend", _("责令停产停业")
    BAN = "ban", _("取缔")
    SHUT = "shut", _("关闭")
    FINE = "fine", _("罚款")
    CONFISCATE = "confiscate", _("没收")
    POLICE = "police", _("移送公安")


class Case(models.Model):
    """A case (案件) opened on a clue by a legal enforcement body: 立案 → 处理 → 结案."""

    scope = ROUTED
    code = models.CharField(_("案件编号"), max_length=24, unique=True)
    clue = models.ForeignKey(Clue, verbose_name=_("线索"), on_delete=models.PROTECT, related_name="cases")
    subject = models.ForeignKey(
        Subject, verbose_name=_("经营主体"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("乡镇街道"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "registry.Category",
        verbose_name=_("监管行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(ClueKind, verbose_name=_("违法类型"), on_delete=models.PROTECT, related_name="+")
    operation = models.ForeignKey(
        Operation,
        verbose_name=_("联合执法行动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    reopened_from = models.ForeignKey(
        "self", verbose_name=_("回潮前案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="reopened"
    )
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILED)
    facts = models.TextField(_("案情摘要"))
    officers = models.JSONField(_("承办人"), default=list)  # [[name, certificate no], ...] as at filing
    filed_on = models.DateField(_("立案日期"))
    deadline = models.DateField(_("办理期限"))
    filing_no = models.CharField(_("立案审批表编号"), max_length=60)
    measures = models.JSONField(_("处理措施"), default=list)  # [{"measure", "note", "fine", "on"}]
    fine_total = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, default=0)
    police_referred = models.BooleanField(_("已移送公安"), default=False)
    first_action_at = models.DateTimeField(_("首次处理时间"), null=True, blank=True)
    order_no = models.CharField(_("责令停止违法行为通知书编号"), max_length=60, blank=True)
    closing_no = models.CharField(_("结案审批表编号"), max_length=60, blank=True)
    closing_opinion = models.TextField(_("结案意见"), blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    escalated_on = models.DateField(_("督办日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = _("打非治违案件")
        verbose_name_plural = _("打非治违案件")
        indexes = [models.Index(fields=["status", "deadline"], name="case_status_deadline")]

    def __str__(self) -> str:
        return self.code

    @property
    def party_name(self) -> str:
        """The subject's name, or the enterprise's once registered/matched."""
        if self.subject_id is not None:
            return self.subject.name
        return self.enterprise.name if self.enterprise_id is not None else self.code


class CaseEvent(ChainedEvent):
    chain_owner = "case"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["case_id", "seq"]
        verbose_name = _("案件事件")
        verbose_name_plural = _("案件事件")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]
