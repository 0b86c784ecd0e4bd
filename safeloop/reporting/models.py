"""Internal hazard reports (事故隐患内部报告) and public reports (群众举报), their triage, rewards,
and each enterprise's reward mechanism (事故隐患内部报告奖励机制, 安委〔2024〕7号, RULES.md §5).

Confidentiality: who reported is never a field of `Report`; it lives in `ReporterIdentity`, which
only `selectors.identity_for` reads, for the handlers of that report. Lists, exports, the API's
report schema, the event chain and the public tracking page never touch it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent, StoredFile
from safeloop.core.scope import ScopePaths

VIA_ENTERPRISE = ScopePaths(
    enterprise="enterprise",
    region="enterprise__region",
    category="enterprise__category",
    department_override="enterprise__supervising_department_override",
)

# A report belongs to a township (the enterprise's, or the one a city-wide report names) and
# carries its category, so city-wide reports without an enterprise are scoped too. A department
# sees the reports of its categories not handed to another department, and those handed to it.
REPORT_SCOPE = ScopePaths(
    enterprise="enterprise",
    region="region",
    category="category",
    department_override="department",
)

TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 12  # ~59 bits: not guessable, and the public GET is throttled as well


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


# ---------------------------------------------------------------- the mechanism


class RewardMechanism(models.Model):
    """An enterprise's internal report reward mechanism: established or not, when, its reward
    standard, its contact and the designated handler of internal reports."""

    scope = VIA_ENTERPRISE
    enterprise = models.OneToOneField(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="reward_mechanism"
    )
    established = models.BooleanField(_("已建立"), default=False)
    established_on = models.DateField(_("建立日期"), null=True, blank=True)
    document_title = models.CharField(_("制度文件名称"), max_length=200, blank=True)
    reward_standard = models.TextField(_("奖励标准"), blank=True)
    reward_min = models.DecimalField(_("最低奖励（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    reward_max = models.DecimalField(_("最高奖励（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    contact_name = models.CharField(_("报告受理人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("受理电话"), max_length=20, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("内部报告指定处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("内部报告奖励机制")
        verbose_name_plural = _("内部报告奖励机制")
        indexes = [models.Index(fields=["established", "established_on"], name="mechanism_established")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}"


class MechanismDocument(StoredFile):
    """A file of the mechanism (the 制度 itself, a notice, a 台账 page)."""

    scope = ScopePaths(
        enterprise="mechanism__enterprise",
        region="mechanism__enterprise__region",
        category="mechanism__enterprise__category",
        department_override="mechanism__enterprise__supervising_department_override",
    )
    mechanism = models.ForeignKey(RewardMechanism, on_delete=models.CASCADE, related_name="documents")

    class Meta:
        verbose_name = _("奖励机制文件")
        verbose_name_plural = _("奖励机制文件")


class ReportingPolicy(models.Model):
    """What RULES.md §5 does not fix and the city decides: the city's reward standard for public
    reports and for enterprises without one, and the handlers' response deadline. One row per
    region (the city's; a county may set its own); `source` names the document that sets it."""

    region = models.OneToOneField("registry.Region", verbose_name=_("适用地区"), on_delete=models.PROTECT)
    internal_response_days = models.PositiveSmallIntegerField(_("内部报告企业首次响应期限（工作日）"))
    public_response_days = models.PositiveSmallIntegerField(_("群众举报首次响应期限（工作日）"))
    reward_general = models.DecimalField(_("一般隐患奖励标准（元）"), max_digits=10, decimal_places=2)
    reward_major = models.DecimalField(_("重大隐患奖励标准（元）"), max_digits=10, decimal_places=2)
    source = models.CharField(_("依据文件"), max_length=300)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("报告处理与奖励标准")
        verbose_name_plural = _("报告处理与奖励标准")

    def __str__(self) -> str:
        return self.region_id


# ---------------------------------------------------------------- reports


class Channel(models.TextChoices):
    INTERNAL = "internal", _("内部报告")
    PUBLIC = "public", _("群众举报")


class ContentKind(models.TextChoices):
    """What is reported (安委〔2024〕7号, RULES.md §5)."""

    BEHAVIOUR = "behaviour", _("人的不安全行为")
    EQUIPMENT = "equipment", _("设施设备的不安全状态")
    ENVIRONMENT = "environment", _("环境的不安全因素")
    MANAGEMENT = "management", _("安全管理漏洞和缺陷")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    CHECKING = "checking", _("核查中")
    VERIFIED = "verified", _("属实")
    REJECTED = "rejected", _("不属实或不予受理")


class HandlerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    TOWNSHIP = "township", _("乡镇街道")
    DEPARTMENT = "department", _("行业部门")


class RewardStatus(models.TextChoices):
    NONE = "", _("未决定")
    DECIDED = "decided", _("已决定")
    NOT_AWARDED = "not_awarded", _("不予奖励")
    PAID = "paid", _("已发放")


class Report(models.Model):
    scope = REPORT_SCOPE
    code = models.CharField(_("查询码"), max_length=16, unique=True, default=new_tracking_code, editable=False)
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("被报告企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey("registry.Region", verbose_name=_("所在乡镇街道"), on_delete=models.PROTECT)
    category = models.ForeignKey(
        "registry.Category", verbose_name=_("行业"), null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.CharField(_("报告内容类别"), max_length=16, choices=ContentKind.choices)
    description = models.TextField(_("隐患描述"), max_length=2000)
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED)
    handler_kind = models.CharField(_("处理单位类型"), max_length=12, choices=HandlerKind.choices)
    department = models.ForeignKey(
        "registry.Department", verbose_name=_("处理部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    respond_by = models.DateField(_("首次响应期限"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    public_reply = models.TextField(_("答复举报人"), max_length=2000, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard", verbose_name=_("关联隐患"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("重复于"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    suspected_spam = models.BooleanField(_("疑似无效信息"), default=False)
    reward_status = models.CharField(
        _("奖励状态"), max_length=12, choices=RewardStatus.choices, default=RewardStatus.NONE, blank=True
    )
    reward_amount = models.DecimalField(_("奖励金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    reward_basis = models.CharField(_("奖励依据"), max_length=300, blank=True)
    reward_paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("隐患报告")
        verbose_name_plural = _("隐患报告")
        indexes = [
            models.Index(fields=["enterprise", "created_at"], name="report_enterprise_created"),
            models.Index(fields=["region", "status"], name="report_region_status"),
            models.Index(fields=["status", "respond_by"], name="report_status_respond_by"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number staff see and cite. The tracking code is the reporter's alone (it claims the
        reward), so no page, export, API answer or message for staff shows it."""
        return f"R{self.pk:07d}" if self.pk else ""


def reference_pk(text: str) -> int | None:
    """The id a reference ("R0000012", "r12", "12") names, or None."""
    digits = (text or "").strip().upper().removeprefix("R")
    return int(digits) if digits.isdigit() and len(digits) <= 12 else None


class ReporterIdentity(models.Model):
    """Who reported, when they chose to say: read only by `selectors.identity_for`."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    name = models.CharField(_("报告人姓名"), max_length=40, blank=True)
    phone = models.CharField(_("报告人电话"), max_length=20, blank=True)
    named_to_enterprise = models.BooleanField(_("同意向企业公开身份"), default=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("报告人身份")
        verbose_name_plural = _("报告人身份")

    def __str__(self) -> str:
        return f"{self.report_id}"


class ReportPhoto(StoredFile):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("报告照片")
        verbose_name_plural = _("报告照片")


class ReportEvent(ChainedEvent):
    """The report's history (append-only, hash-chained). Its payload never names the reporter."""

    chain_owner = "report"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["report_id", "seq"]
        verbose_name = _("报告事件")
        verbose_name_plural = _("报告事件")
        constraints = [models.UniqueConstraint(fields=["report", "seq"], name="report_event_seq_unique")]
