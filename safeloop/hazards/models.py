"""The hazard closed loop: 排查 → 交办 → 整改 → 验收 → 销号 → 回头看.

`Hazard` holds the current state; `HazardEvent` is the append-only, hash-chained history of
every act. Status only changes through `hazards.workflow.hazard_act`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent, StoredFile
from safeloop.core.scope import ScopePaths


class Level(models.TextChoices):
    GENERAL = "general", _("一般")
    MAJOR = "major", _("重大")


class Source(models.TextChoices):
    SELF_CHECK = "self_check", _("企业自查")
    REGULATOR = "regulator", _("监管检查")
    EXPERT = "expert", _("专家检查")
    INTERNAL_REPORT = "internal_report", _("内部报告")
    PUBLIC_REPORT = "public_report", _("群众举报")
    TOWNSHIP_PATROL = "township_patrol", _("乡镇巡查")
    DRAGNET = "dragnet", _("举一反三")
    CAMPAIGN = "campaign", _("专项整治")


class Status(models.TextChoices):
    REPORTED = "reported", _("已上报")
    CONFIRMED = "confirmed", _("已确认")
    ASSIGNED = "assigned", _("已交办")
    RECTIFYING = "rectifying", _("整改中")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("待验收")
    ACCEPTED = "accepted", _("已验收")
    CLOSED = "closed", _("已销号")
    VERIFIED = "verified", _("回头看通过")
    RECURRED = "recurred", _("回头看复发")
    WITHDRAWN = "withdrawn", _("已撤销")


OPEN_STATUSES = (Status.CONFIRMED, Status.ASSIGNED, Status.RECTIFYING, Status.AWAITING_ACCEPTANCE)
DEADLINE_STATUSES = (Status.ASSIGNED, Status.RECTIFYING)


class Nature(models.TextChoices):
    """16号令 第三条: 物的危险状态、人的不安全行为、管理上的缺陷 (plus environment)."""

    THING = "thing", _("物的不安全状态")
    PERSON = "person", _("人的不安全行为")
    MANAGEMENT = "management", _("管理缺陷")
    ENVIRONMENT = "environment", _("环境因素")


class Acceptor(models.TextChoices):
    """Who accepts a rectification, decided when it is submitted and recorded with the
    hazard (the acceptance authority at the time): a self-found general hazard by another
    account of the enterprise, or, for an enterprise with no other account, by the township
    (属地) or the supervising department (SAFELOOP_SELF_ACCEPT_FALLBACK); else by regulators."""

    ENTERPRISE = "enterprise", _("企业内部（整改人以外的账号）")
    TOWNSHIP = "township", _("属地乡镇街道")
    DEPARTMENT = "department", _("行业主管部门")
    REGULATOR = "regulator", _("监管部门")


class EvidenceKind(models.TextChoices):
    """What a photo or file shows: the hazard as found (when reporting or inspecting), or the
    rectification. Only the second may prove a rectification."""

    HAZARD = "hazard", _("隐患照片")
    RECTIFICATION = "rectification", _("整改照片及证明")


class ListingLevel(models.TextChoices):
    """挂牌督办 by the government level that lists (RULES.md §2.4, 分级挂牌督办); the levels in use
    and their bodies are in `data/listing_levels.csv`."""

    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")


class Escalation(models.IntegerChoices):
    NONE = 0, _("无")
    SUPERVISED = 1, _("督办")
    LISTED = 2, _("挂牌督办")
    INTERVIEW = 3, _("约谈")


class Hazard(models.Model):
    scope = ScopePaths(
        enterprise="enterprise",
        region="enterprise__region",
        category="enterprise__category",
        department_override="enterprise__supervising_department_override",
    )

    code = models.CharField(_("隐患编号"), max_length=40, unique=True)
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT)
    location = models.CharField(_("部位"), max_length=200, blank=True)
    description = models.TextField(_("隐患描述"))
    nature = models.CharField(_("类别"), max_length=20, choices=Nature.choices, blank=True)
    level = models.CharField(_("等级"), max_length=10, choices=Level.choices, default=Level.GENERAL)
    # The determination-standard clause (standards.Clause id, e.g. GM10-11-03; required for a major
    # hazard). A reference written before the catalogue that names no clause unambiguously is kept,
    # as written, in `legacy_clause` (migration hazards/0010).
    clause = models.ForeignKey(
        "standards.Clause",
        verbose_name=_("判定依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        db_column="clause",
    )
    legacy_clause = models.CharField(_("原判定依据（未对应到条款）"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发现人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finder_name = models.CharField(_("发现人"), max_length=60, blank=True)
    found_on = models.DateField(_("发现日期"))
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.REPORTED)
    # 交办 and 五落实
    assigned_by_role = models.CharField(_("交办方"), max_length=20, blank=True)
    responsible_unit = models.CharField(_("责任单位"), max_length=120, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=60, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    original_deadline = models.DateField(_("原定期限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("期限待节假日数据确认"), default=False)
    order_no = models.CharField(_("指令书编号"), max_length=60, blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    funds = models.DecimalField(_("整改资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    plan_goal = models.TextField(_("治理目标和任务"), blank=True)
    contingency_plan = models.TextField(_("安全措施和应急预案"), blank=True)
    plan_submitted_at = models.DateTimeField(_("方案提交时间"), null=True, blank=True)
    extension_request = models.JSONField(_("待审延期申请"), null=True, blank=True)
    # 整改 / 验收 / 销号 / 回头看
    rectified_on = models.DateField(_("完成日期"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acceptor = models.CharField(_("验收方"), max_length=20, choices=Acceptor.choices, blank=True)
    acceptor_name = models.CharField(_("验收单位"), max_length=120, blank=True)
    acceptor_department = models.ForeignKey(
        "registry.Department",
        verbose_name=_("验收部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_by_name = models.CharField(_("验收人"), max_length=60, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    review_no = models.CharField(_("复查意见书编号"), max_length=60, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    look_back_due = models.DateField(_("回头看日期"), null=True, blank=True)
    escalation = models.PositiveSmallIntegerField(_("督办级别"), choices=Escalation.choices, default=0)
    urged_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)
    # 即查即改: found and fixed on the spot, recorded in one act (services.hazard_fix_on_spot); a
    # reopen clears it, since from then on the hazard is rectified and accepted like any other.
    on_spot = models.BooleanField(_("即查即改"), default=False)
    fixer_name = models.CharField(_("整改人"), max_length=60, blank=True)
    recurrence_of = models.ForeignKey(
        "self", verbose_name=_("复发自"), null=True, blank=True, on_delete=models.PROTECT, related_name="recurrences"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        indexes = [
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline"),
            # covers the per-enterprise counts by status of the ledger (scope is enterprise IN …)
            models.Index(fields=["enterprise", "level", "status"], name="hazard_enterprise_level_status"),
            models.Index(fields=["level", "status"], name="hazard_level_status"),
            # the ledger's page in its default order, covering the scope's and the lists' checks
            # (enterprise, status): read in order without the table (docs/performance.md)
            models.Index(fields=["-found_on", "-id", "enterprise", "status"], name="hazard_found_cover"),
        ]

    def __str__(self) -> str:
        return self.code


class NumberSequence(models.Model):
    """Next number per key and year (hazard numbers per county, order numbers per issuer).
    Numbers are never reused, even for withdrawn hazards."""

    key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.key}-{self.year}: {self.last}"


class HazardEvent(ChainedEvent):
    """One act on a hazard. Append-only: each event carries the previous event's hash and its own."""

    chain_owner = "hazard"

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["hazard_id", "seq"]
        verbose_name = _("隐患事件")
        verbose_name_plural = _("隐患事件")
        constraints = [models.UniqueConstraint(fields=["hazard", "seq"], name="hazard_event_seq_unique")]


# What belongs to a hazard is in scope through the hazard's enterprise.
VIA_HAZARD = ScopePaths(
    enterprise="hazard__enterprise",
    region="hazard__enterprise__region",
    category="hazard__enterprise__category",
    department_override="hazard__enterprise__supervising_department_override",
)


class CapturedBy(models.TextChoices):
    EXIF = "exif", _("照片EXIF")
    PHONE = "phone", _("手机时间")
    SERVER = "server", _("上传时间")


class Attachment(StoredFile):
    scope = VIA_HAZARD

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="attachments")
    used_in_event = models.PositiveIntegerField(_("用于事件序号"), null=True, blank=True)
    kind = models.CharField(_("证据类别"), max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.HAZARD)
    # offline (docs/offline.md): when the photo was taken — its EXIF, else the phone's clock at
    # recording, else the arrival; rectification proof is judged by this time, not the upload's.
    captured_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    captured_by = models.CharField(_("拍摄时间来源"), max_length=10, choices=CapturedBy.choices, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class Listing(models.Model):
    """One 挂牌督办 of a major hazard by a government level, until its 摘牌 (on 销号, or by a
    decision). Written by the workflow's `list`, `delist`, `close` and `withdraw` rows, each an
    event of the hazard's chain; the public list publishes what a listing notice publishes."""

    scope = VIA_HAZARD

    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="listings")
    level = models.CharField(_("督办级别"), max_length=10, choices=ListingLevel.choices)
    body = models.CharField(_("挂牌督办单位"), max_length=120)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("督办单位辖区"), on_delete=models.PROTECT, related_name="+"
    )
    listed_on = models.DateField(_("挂牌日期"))
    deadline = models.DateField(_("督办整改期限"))
    requirement = models.TextField(_("督办要求"), blank=True)  # internal: not published
    publish_by = models.DateField(_("挂牌公开期限"))
    listed_seq = models.PositiveIntegerField(_("挂牌事件序号"))
    delisted_on = models.DateField(_("摘牌日期"), null=True, blank=True)
    delist_reason = models.CharField(_("摘牌原因"), max_length=500, blank=True)  # internal: not published
    delist_publish_by = models.DateField(_("摘牌公开期限"), null=True, blank=True)
    delisted_seq = models.PositiveIntegerField(_("摘牌事件序号"), null=True, blank=True)

    class Meta:
        ordering = ["-listed_on", "-id"]
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")
        indexes = [
            models.Index(fields=["-listed_on", "-id"], name="listing_newest"),
            models.Index(fields=["level", "-listed_on", "-id"], name="listing_level_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=models.Q(delisted_on__isnull=True), name="listing_one_open_per_hazard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.body}"
