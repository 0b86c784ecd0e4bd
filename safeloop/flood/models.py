"""防汛抗旱: risk points with their responsible persons, duty (roster, log, zero reports), patrols
and the 险情 they open, warnings and emergency responses (with evacuations and relief), material
depots and rescue teams, drought reports. Every record belongs to a region (no enterprise, no
supervision category): the area roles see their area's, departments and enterprises none."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent, StoredFile
from safeloop.core.scope import ScopePaths

IN_REGION = ScopePaths(enterprise=None, region="region", category=None, department_override=None)


class PointKind(models.TextChoices):
    DIKE = "dike", _("堤防险工险段")
    RESERVOIR = "reservoir", _("病险水库/山塘")
    GEOLOGICAL = "geological", _("地质灾害隐患点")
    LOW_LYING = "low_lying", _("低洼易涝区")
    OLD_HOUSE = "old_house", _("危旧房")
    SITE = "site", _("在建工地")
    UNDERPASS = "underpass", _("下穿通道")


class PointLevel(models.TextChoices):
    # The levels of a risk point, highest first (the demo's grading: an assumption, docs/flood.md).
    MAJOR = "major", _("重大")
    LARGER = "larger", _("较大")
    GENERAL = "general", _("一般")


class RiskPoint(models.Model):
    scope = IN_REGION

    name = models.CharField(_("风险点名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=PointKind.choices)
    level = models.CharField(_("风险等级"), max_length=10, choices=PointLevel.choices, default=PointLevel.GENERAL)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("所在乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("位置"), max_length=200, help_text=_("如：资水南岸桩号 K12+300 至 K12+800"))
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    people_threatened = models.PositiveIntegerField(_("威胁人数"), default=0)
    property_threatened = models.DecimalField(
        _("威胁财产（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    admin_person = models.CharField(_("行政责任人"), max_length=40)
    admin_phone = models.CharField(_("行政责任人电话"), max_length=20)
    tech_person = models.CharField(_("技术责任人"), max_length=40)
    tech_phone = models.CharField(_("技术责任人电话"), max_length=20)
    patrol_person = models.CharField(_("巡查责任人"), max_length=40)
    patrol_phone = models.CharField(_("巡查责任人电话"), max_length=20)
    evacuation_route = models.CharField(_("转移路线"), max_length=300, blank=True)
    shelter = models.CharField(_("安置点"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="flood_point_region_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def responsible(self) -> list[dict[str, str]]:
        return [
            {"duty": "admin", "label": str(_("行政责任人")), "name": self.admin_person, "phone": self.admin_phone},
            {"duty": "tech", "label": str(_("技术责任人")), "name": self.tech_person, "phone": self.tech_phone},
            {"duty": "patrol", "label": str(_("巡查责任人")), "name": self.patrol_person, "phone": self.patrol_phone},
        ]


class DutyShift(models.Model):
    """One day of a unit's 24-hour duty roster: the leader and the staff on duty."""

    scope = IN_REGION

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("值班单位"), on_delete=models.PROTECT, related_name="+"
    )
    on_date = models.DateField(_("值班日期"))
    leader = models.CharField(_("带班领导"), max_length=40)
    leader_phone = models.CharField(_("带班领导电话"), max_length=20)
    staff = models.CharField(_("值班人员"), max_length=100)
    staff_phone = models.CharField(_("值班电话"), max_length=20)

    class Meta:
        ordering = ["-on_date", "region_id"]
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        constraints = [models.UniqueConstraint(fields=["region", "on_date"], name="flood_shift_region_day")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.on_date}"


class DutyLog(models.Model):
    """The daily duty log of a unit, with the hand-over note to the next shift."""

    scope = IN_REGION

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("值班单位"), on_delete=models.PROTECT, related_name="+"
    )
    on_date = models.DateField(_("值班日期"))
    content = models.TextField(_("值班记录"))
    handover = models.TextField(_("交接班事项"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(_("记录时间"))

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name = _("值班日志")
        verbose_name_plural = _("值班日志")

    def __str__(self) -> str:
        return f"{self.region_id} {self.on_date}"


class ZeroReport(models.Model):
    """零报告: a township's daily report, nil included (nothing happened is reported too)."""

    scope = IN_REGION

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("报告乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    on_date = models.DateField(_("报告日期"))
    nil = models.BooleanField(_("无险情（零报告）"), default=True)
    content = models.TextField(_("报告内容"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(_("报告时间"))

    class Meta:
        ordering = ["-on_date", "region_id"]
        verbose_name = _("零报告")
        verbose_name_plural = _("零报告")
        constraints = [models.UniqueConstraint(fields=["region", "on_date"], name="flood_zero_region_day")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.on_date}"


class Finding(models.TextChoices):
    NONE = "none", _("未发现异常")
    PIPING = "piping", _("管涌")
    SEEPAGE = "seepage", _("渗水")
    CRACK = "crack", _("裂缝")
    SLIDE = "slide", _("滑坡")
    OVERFLOW = "overflow", _("漫溢")
    COLLAPSE = "collapse", _("塌陷")
    WATERLOGGING = "waterlogging", _("积水内涝")
    OTHER = "other", _("其他")


class Patrol(models.Model):
    """巡堤查险: one patrol at a risk point, recorded on a phone (who, when, where, what)."""

    scope = IN_REGION

    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.PROTECT, related_name="patrols"
    )
    region = models.ForeignKey("registry.Region", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+")
    patroller = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    patroller_names = models.CharField(_("巡查人员"), max_length=100)
    patrolled_at = models.DateTimeField(_("巡查时间"))
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("距乡镇中心（米）"), null=True, blank=True)
    finding = models.CharField(_("巡查发现"), max_length=16, choices=Finding.choices, default=Finding.NONE)
    description = models.TextField(_("情况描述"), blank=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-patrolled_at", "-pk"]
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        indexes = [models.Index(fields=["risk_point", "patrolled_at"], name="flood_patrol_point_at")]

    def __str__(self) -> str:
        return f"{self.risk_point_id} {self.patrolled_at:%Y-%m-%d %H:%M}"


class PatrolPhoto(StoredFile):
    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        verbose_name = _("巡查照片")
        verbose_name_plural = _("巡查照片")


class DangerStatus(models.TextChoices):
    REPORTED = "reported", _("已报告")
    HANDLING = "handling", _("处置中")
    CLEARED = "cleared", _("已解除")


class Danger(models.Model):
    """险情: opened by a patrol finding; 报告 → 处置 → 解除, each step due within hours."""

    scope = IN_REGION

    code = models.CharField(_("险情编号"), max_length=24, unique=True)
    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.PROTECT, related_name="dangers"
    )
    region = models.ForeignKey("registry.Region", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+")
    patrol = models.OneToOneField(Patrol, verbose_name=_("巡查记录"), on_delete=models.PROTECT, related_name="danger")
    finding = models.CharField(_("险情类型"), max_length=16, choices=Finding.choices)
    description = models.TextField(_("险情描述"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=DangerStatus.choices, default=DangerStatus.REPORTED)
    found_at = models.DateTimeField(_("发现时间"))
    reported_at = models.DateTimeField(_("报告时间"))
    handle_due = models.DateTimeField(_("处置期限"))
    handling_at = models.DateTimeField(_("开始处置时间"), null=True, blank=True)
    measures = models.TextField(_("处置措施"), blank=True)
    clear_due = models.DateTimeField(_("解除期限"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    result = models.TextField(_("解除情况"), blank=True)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("险情")
        verbose_name_plural = _("险情")

    def __str__(self) -> str:
        return self.code


class DangerEvent(ChainedEvent):
    chain_owner = "danger"

    danger = models.ForeignKey(Danger, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["danger_id", "seq"]
        verbose_name = _("险情事件")
        verbose_name_plural = _("险情事件")
        constraints = [models.UniqueConstraint(fields=["danger", "seq"], name="flood_danger_event_seq")]


class AlertKind(models.TextChoices):
    WARNING = "warning", _("预警")
    RESPONSE = "response", _("应急响应")


class AlertStatus(models.TextChoices):
    ACTIVE = "active", _("生效中")
    ENDED = "ended", _("已结束")


class Alert(models.Model):
    """A warning (蓝/黄/橙/红) or an emergency response (IV–I) of a region, started and ended
    with its document. A response is recorded through the accidents service as well
    (`response`): its clock is what the targets' response-time indicators count."""

    scope = IN_REGION

    code = models.CharField(_("编号"), max_length=24, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=AlertKind.choices)
    level = models.CharField(_("级别"), max_length=8)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("发布区域"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    document_no = models.CharField(_("文号"), max_length=60)
    document = models.TextField(_("发布文件内容"))
    reported_at = models.DateTimeField(
        _("接报时间"), null=True, blank=True, help_text=_("应急响应：接到险情或灾情报告的时间")
    )
    started_at = models.DateTimeField(_("启动时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_document_no = models.CharField(_("结束文号"), max_length=60, blank=True)
    end_document = models.TextField(_("结束文件内容"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.ACTIVE)
    response = models.ForeignKey(
        "accidents.EmergencyResponse",
        verbose_name=_("应急响应记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("预警与应急响应")
        verbose_name_plural = _("预警与应急响应")

    def __str__(self) -> str:
        return self.title


class AlertEvent(ChainedEvent):
    chain_owner = "alert"

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["alert_id", "seq"]
        verbose_name = _("预警事件")
        verbose_name_plural = _("预警事件")
        constraints = [models.UniqueConstraint(fields=["alert", "seq"], name="flood_alert_event_seq")]


class Evacuation(models.Model):
    """转移安置: people moved out of a township during a response."""

    scope = IN_REGION

    alert = models.ForeignKey(Alert, verbose_name=_("应急响应"), on_delete=models.PROTECT, related_name="evacuations")
    region = models.ForeignKey("registry.Region", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+")
    people = models.PositiveIntegerField(_("转移人数"))
    shelter = models.CharField(_("安置点"), max_length=200)
    moved_at = models.DateTimeField(_("转移完成时间"))
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["moved_at", "pk"]
        verbose_name = _("转移安置")
        verbose_name_plural = _("转移安置")

    def __str__(self) -> str:
        return f"{self.region_id} {self.people}"


class Relief(models.Model):
    """A relief delivery: arrived at the scene, then handed out to the households."""

    scope = IN_REGION

    alert = models.ForeignKey(Alert, verbose_name=_("应急响应"), on_delete=models.PROTECT, related_name="reliefs")
    region = models.ForeignKey("registry.Region", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+")
    items = models.CharField(_("救助物资"), max_length=200)
    arrived_at = models.DateTimeField(_("送达现场时间"))
    distributed_at = models.DateTimeField(_("发放到户时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["arrived_at", "pk"]
        verbose_name = _("救灾物资发放")
        verbose_name_plural = _("救灾物资发放")

    def __str__(self) -> str:
        return self.items


class Item(models.TextChoices):
    SANDBAGS = "sandbags", _("编织袋（条）")
    PUMPS = "pumps", _("抽水泵（台）")
    LIFE_JACKETS = "life_jackets", _("救生衣（件）")
    BOATS = "boats", _("冲锋舟（艘）")
    TENTS = "tents", _("帐篷（顶）")


class Depot(models.Model):
    scope = IN_REGION

    name = models.CharField(_("仓库名称"), max_length=100)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("所在乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    keeper = models.CharField(_("保管人"), max_length=40)
    keeper_phone = models.CharField(_("保管人电话"), max_length=20)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("物资仓库")
        verbose_name_plural = _("物资仓库")

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    scope = ScopePaths(enterprise=None, region="depot__region", category=None, department_override=None)

    depot = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="stock")
    item = models.CharField(_("物资"), max_length=16, choices=Item.choices)
    quantity = models.PositiveIntegerField(_("数量"))

    class Meta:
        ordering = ["depot_id", "item"]
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        constraints = [models.UniqueConstraint(fields=["depot", "item"], name="flood_stock_depot_item")]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}"


class RescueTeam(models.Model):
    scope = IN_REGION

    name = models.CharField(_("队伍名称"), max_length=100)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("所在乡镇"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.CharField(_("队长"), max_length=40)
    leader_phone = models.CharField(_("队长电话"), max_length=20)
    members = models.PositiveIntegerField(_("队员人数"))
    equipment = models.TextField(_("装备"), blank=True)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("抢险队伍")
        verbose_name_plural = _("抢险队伍")

    def __str__(self) -> str:
        return self.name


class DroughtReport(models.Model):
    """抗旱: a township's drought figures on a date, with its measures."""

    scope = IN_REGION

    region = models.ForeignKey("registry.Region", verbose_name=_("乡镇"), on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField(_("日期"))
    affected_area = models.DecimalField(_("受旱面积（亩）"), max_digits=12, decimal_places=1)
    people_short_of_water = models.PositiveIntegerField(_("饮水困难人数"))
    measures = models.TextField(_("抗旱措施"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-on_date", "region_id"]
        verbose_name = _("旱情")
        verbose_name_plural = _("旱情")
        constraints = [models.UniqueConstraint(fields=["region", "on_date"], name="flood_drought_region_day")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.on_date}"
