"""Reference data and the enterprise registry.

Regions follow GB/T 2260 (statutory) and NBS statistical codes (townships, management zones);
the hierarchy is also encoded in the code itself, which the scope mechanism uses for fast
subtree filters (see `Region.subtree_prefix`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.regions import subtree_prefix
from safeloop.core.scope import ScopePaths


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县区")
    TOWNSHIP = "township", _("乡镇街道")


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    statutory = models.BooleanField(
        _("法定区划"),
        default=True,
        help_text=_("否：管理区、园区等仅有统计用代码的功能区"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def subtree_prefix(self) -> str:
        """Every descendant's code starts with this prefix (GB/T 2260 / NBS code structure)."""
        return subtree_prefix(self.code)

    def contains(self, code: str) -> bool:
        return code.startswith(self.subtree_prefix)


class Category(models.Model):
    """监管行业 (supervision category), e.g. 危险化学品, 商贸; the unit of 三管三必须."""

    indent: bool  # set on a page's options by registry.selectors (a sub-category under its parent)
    code = models.CharField(_("代码"), max_length=32, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    key_sector = models.BooleanField(
        _("重点行业"),
        default=False,
        help_text=_("安委〔2024〕7号 所列14个重点行业领域"),
    )
    lead_department_kind = models.CharField(_("牵头监管部门类型"), max_length=32, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("监管行业")
        verbose_name_plural = _("监管行业")

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """GB/T 4754-2017 国民经济行业分类: sections (门类, a letter) and divisions (大类, 2 digits)."""

    code = models.CharField(_("代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=80)
    section = models.CharField(_("门类"), max_length=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Department(models.Model):
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("部门类型"), max_length=32)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT)
    categories = models.ManyToManyField(Category, verbose_name=_("监管行业"), blank=True, related_name="departments")

    class Meta:
        ordering = ["region_id", "kind"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="department_unique_kind_per_region")]

    def __str__(self) -> str:
        return self.name


class Scale(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class RiskLevel(models.TextChoices):
    RED = "red", _("红（重大风险）")
    ORANGE = "orange", _("橙（较大风险）")
    YELLOW = "yellow", _("黄（一般风险）")
    BLUE = "blue", _("蓝（低风险）")


# 一企一码: the enterprise's printable code. Random, so a printed code says nothing about the
# database (no id, no order, nothing to count up from); 12 characters of an alphabet without
# look-alikes (0/o, 1/l/i) are about 59 bits, far beyond guessing. Stored, so it never changes
# when a key rotates: a poster on a wall keeps working.
PUBLIC_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PUBLIC_CODE_LENGTH = 12


def new_public_code() -> str:
    """Digits of one 80-bit random number in base 31 (one system call, also for a million rows;
    the bias of taking 12 digits of 80 bits is below one in a million)."""
    number, digits = int.from_bytes(secrets.token_bytes(10)), []
    for _place in range(PUBLIC_CODE_LENGTH):
        number, digit = divmod(number, len(PUBLIC_CODE_ALPHABET))
        digits.append(PUBLIC_CODE_ALPHABET[digit])
    return "".join(digits)


# The enterprise's risk features, in the order pages, columns and checklists show them.
RISK_FEATURES = (
    "dust_explosion",
    "ammonia_refrigeration",
    "confined_space",
    "hazardous_process",
    "major_hazard_source",
)


class Enterprise(models.Model):
    supervising_department: Department | None  # derived for a page (registry.selectors), not stored
    scope = ScopePaths(
        enterprise="pk",
        region="region",
        category="category",
        department_override="supervising_department_override",
    )

    name = models.CharField(_("企业名称"), max_length=200)
    name_initials = models.CharField(_("拼音首字母"), max_length=200, db_index=True, editable=False)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("所在乡镇"), on_delete=models.PROTECT)
    category = models.ForeignKey(Category, verbose_name=_("监管行业"), on_delete=models.PROTECT)
    industry_code = models.CharField(_("国民经济行业代码"), max_length=4, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    scale = models.CharField(_("企业规模"), max_length=10, choices=Scale.choices, blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices, blank=True)
    key_sector = models.BooleanField(_("重点监管"), default=False)
    # Risk features (风险特征): each calls for a cross-sector section of the determination
    # standards in the enterprise's self-inspection checklist (see RISK_FEATURES).
    dust_explosion = models.BooleanField(_("粉尘涉爆"), default=False)
    ammonia_refrigeration = models.BooleanField(_("液氨制冷"), default=False)
    confined_space = models.BooleanField(_("有限空间作业"), default=False)
    hazardous_process = models.BooleanField(_("危险化工工艺"), default=False)
    major_hazard_source = models.BooleanField(_("重大危险源"), default=False)
    supervising_department_override = models.ForeignKey(
        Department,
        verbose_name=_("指定监管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="overridden_enterprises",
    )
    principal_name = models.CharField(_("主要负责人"), max_length=40, blank=True)
    principal_phone = models.CharField(_("负责人电话"), max_length=20, blank=True)
    safety_contact_name = models.CharField(_("安全管理联系人"), max_length=40, blank=True)
    safety_contact_phone = models.CharField(_("联系人电话"), max_length=20, blank=True)
    public_code = models.CharField(_("企业码"), max_length=16, unique=True, default=new_public_code, editable=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        indexes = [
            models.Index(fields=["region", "name"], name="ent_region_name"),
            models.Index(fields=["category", "region"], name="ent_category_region"),
            models.Index(fields=["risk_level", "region"], name="ent_risk_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def risk_features(self) -> list[str]:
        """The names of the risk features it has, in `RISK_FEATURES` order."""
        return [name for name in RISK_FEATURES if getattr(self, name)]

    def risk_feature_labels(self) -> list[str]:
        return [str(self._meta.get_field(name).verbose_name) for name in self.risk_features()]


class OfficerCertificate(models.Model):
    """An officer's administrative enforcement certificate (行政执法证): only a user of a
    department holding one may be an inspection's officer (国办发〔2024〕54号)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执法人员"),
        on_delete=models.CASCADE,
        related_name="officer_certificate",
    )
    certificate_no = models.CharField(_("执法证号"), max_length=40)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")

    def __str__(self) -> str:
        return self.certificate_no
