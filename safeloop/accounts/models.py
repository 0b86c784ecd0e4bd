from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from safeloop.core.roles import REGULATOR_ROLES, Role

__all__ = [
    "REGULATOR_ROLES",
    "ApiToken",
    "Notification",
    "Position",
    "Role",
    "SigningDelegation",
    "User",
]


class Position(models.TextChoices):
    """An enterprise account's position (岗位). The 主要负责人 organises the 治理方案 of a major
    hazard and signs the quarterly and yearly hazard statistics (16号令 第十四、十五条, RULES.md
    §2.2/§2.3); safety managers run the regular hazard investigation (RULES.md §2.3). The city's
    double signature (专家+企业双签字) is the principal's, or a delegate's named on record."""

    PRINCIPAL = "principal", _("主要负责人")
    SAFETY_MANAGER = "safety_manager", _("安全管理员")
    EMPLOYEE = "employee", _("员工")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("所辖区划"), null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name=_("所属部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    position = models.CharField(_("岗位"), max_length=20, choices=Position.choices, blank=True)
    must_change_password = models.BooleanField(
        _("须修改初始密码"), default=False, help_text=_("由他人设定的初始密码，首次登录时必须修改")
    )
    # Advanced whenever the password, role, scope or active flag changes (accounts.access): it
    # is part of the session hash, so every session signed in before ends (its tokens are revoked).
    access_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # An enterprise account has a position; no other account has one.
            models.CheckConstraint(
                condition=(models.Q(role=Role.ENTERPRISE) & ~models.Q(position=""))
                | (~models.Q(role=Role.ENTERPRISE) & models.Q(position="")),
                name="user_position_iff_enterprise",
                violation_error_message=_("企业账号须选择岗位；其他角色的账号不设岗位"),
            ),
            # One principal per enterprise: naming another is a handover, never a second one.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(position=Position.PRINCIPAL),
                name="user_one_principal_per_enterprise",
                violation_error_message=_("该企业已有主要负责人；请先由现任主要负责人移交，或先改变其岗位"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_regulator(self) -> bool:
        return self.role in REGULATOR_ROLES

    # Django keeps this hash in the session and compares it on every request; besides the
    # password (Django's own rule) it covers `access_epoch`.
    def get_session_auth_hash(self) -> str:
        return self._access_hash(None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._access_hash(secret)

    def _access_hash(self, secret: str | None) -> str:
        salt = "safeloop.accounts.User.get_session_auth_hash"
        return salted_hmac(salt, f"{self.password}|{self.access_epoch}", secret=secret, algorithm="sha256").hexdigest()


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak does not leak tokens."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # A service account's token (issue 20): named, issued by an administrator to an account whose
    # role and region bound what it sees; read-only or read-write, its own expiry and rate limit.
    name = models.CharField(_("服务账号令牌名称"), max_length=60, blank=True)
    read_only = models.BooleanField(_("只读"), default=False)
    per_minute = models.PositiveIntegerField(_("每分钟请求上限"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} 的令牌（至 {self.expires_at:%Y-%m-%d %H:%M}）"


class Notification(models.Model):
    """An in-app message (assigned, due, overdue, escalated…); other channels are pluggable
    (accounts.notifications). `key` makes a message once-only per user (the daily digest)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=32)
    title = models.CharField(_("标题"), max_length=200)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    key = models.CharField(_("去重键"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_user_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_user_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SigningDelegation(models.Model):
    """The principal's naming, on record, of the account that may give the enterprise's
    signature (专家+企业双签字) in its own name: who named whom, when, until when, or its revocation."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    principal = models.ForeignKey(User, verbose_name=_("授权人"), on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(
        User, verbose_name=_("被授权人"), on_delete=models.PROTECT, related_name="signing_delegations"
    )
    named_at = models.DateTimeField(_("授权时间"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("不填：至撤销为止"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-named_at", "-id"]
        verbose_name = _("签字授权")
        verbose_name_plural = _("签字授权")
        indexes = [models.Index(fields=["delegate", "revoked_at"], name="delegation_delegate_open")]

    def __str__(self) -> str:
        return f"{self.principal} → {self.delegate}"
