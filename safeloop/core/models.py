import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what in the registry and accounts (hazards have their own hash chain)."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL)
    action = models.CharField(_("操作"), max_length=60)
    target_type = models.CharField(_("对象类型"), max_length=60)
    target_id = models.CharField(_("对象编号"), max_length=40)
    changes = models.JSONField(_("变更"), default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"


class CalendarDay(models.Model):
    """An administrator's word on one date, entered when the State Council announces a year's
    holidays (usually November/December) and chinese-calendar does not know that year yet.

    A year with at least one row counts as announced: its other weekdays are then workdays
    and its other weekend days rest days, no longer provisional.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("例如：2027年春节调休"))
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("例如：国务院办公厅通知文号"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'工作日' if self.is_workday else '休息日'}"


class ChainedEvent(models.Model):
    """One act in an append-only, hash-chained history (see `core.chain`).

    A concrete history adds the foreign key to its owner and names it in `chain_owner`; the
    owner has `status`, `chain_head` (the last event's hash) and the field named by
    `chain_key` that identifies it inside the hashed content (a number, never reused).
    `position` is the event's place in the one ledger-wide sequence (`LedgerCounter`), and
    `key_id` names the key its hash (an HMAC) was made with; '' marks an event hashed before
    the chains were keyed (plain SHA-256, docs/adr/0012).
    """

    chain_owner: ClassVar[str]  # the foreign key to the owner, and its key in the hashed content
    chain_key: ClassVar[str] = "code"

    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("动作"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=60)
    actor_role = models.CharField(_("角色"), max_length=20)
    at = models.DateTimeField(_("时间"))
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    payload = models.JSONField(default=dict)
    attachments = models.JSONField(_("附件哈希"), default=list)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    position = models.PositiveBigIntegerField(_("全局序号"), unique=True)
    key_id = models.CharField(_("密钥编号"), max_length=20, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, f'{self.chain_owner}_id', '?')}#{self.seq} {self.action}"


class LedgerCounter(models.Model):
    """A named counter advanced in the transaction that uses its numbers (`core.chain.ledger_advance`).

    `ledger` numbers every chained event of every history, one global append-only sequence: a
    rolled-back transaction rolls its numbers back with it (unlike a database sequence), so a
    hole in the sequence always means a removed event. Taken under a row lock, the numbers
    are also handed out in commit order, which makes it the cursor of a change feed.
    """

    name = models.CharField(max_length=40, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("账本序号")
        verbose_name_plural = _("账本序号")

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"


class StoredFile(models.Model):
    """A file stored content-addressed by `core.evidence` (a hazard's evidence, a checklist
    item's photo): where it lies, its thumbnail, what it was called, its hash and who sent it."""

    file = models.CharField(_("存储名"), max_length=255)
    thumbnail = models.CharField(_("缩略图"), max_length=255, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class FileCheck(models.Model):
    """The last time a stored file was re-hashed (`core.ledger`): its hash, size and modification
    time then. A file whose size and time are unchanged is not read again (`verify_ledger`
    stays fast); `verify_ledger --full` re-reads every file."""

    name = models.CharField(max_length=255, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    mtime = models.FloatField()
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("文件校验记录")
        verbose_name_plural = _("文件校验记录")

    def __str__(self) -> str:
        return self.name


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未完成")


class Job(models.Model):
    """Long work a user started (a large export or import): its progress and its result file,
    which expires. Only its owner sees it (core.jobs)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("任务"), max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.CASCADE)
    params = models.JSONField(_("参数"), default=dict)
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    result_file = models.CharField(_("结果文件"), max_length=255, blank=True)
    result_name = models.CharField(_("文件名"), max_length=200, blank=True)
    result_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    report = models.JSONField(_("结果说明"), null=True, blank=True)
    result_url = models.CharField(_("结果页面"), max_length=300, blank=True)
    result_label = models.CharField(_("结果页面名称"), max_length=120, blank=True)
    error = models.CharField(_("未完成原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("下载截止"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_created")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == JobState.DONE else None
        return min(100, self.done * 100 // self.total)


class SealedRecord(models.Model):
    """An issued document as it was issued: its bytes (in storage), their SHA-256, what the
    document publishes about itself, and a place in one hash chain over every sealed record.

    Written once by `core.seals.record_seal`; the database refuses UPDATE and DELETE (triggers,
    migration 0004). The owner is named by plain fields, so core imports no app.
    """

    seq = models.PositiveIntegerField(_("序号"), unique=True)
    kind = models.CharField(_("种类"), max_length=40)  # e.g. hazards.order
    title = models.CharField(_("文书名称"), max_length=60)
    number = models.CharField(_("文书编号"), max_length=60, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=120)
    issued_on = models.DateField(_("日期"))
    file = models.CharField(_("存储名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("字节数"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    target_type = models.CharField(_("所属对象类型"), max_length=60)  # app_label.model
    target_id = models.CharField(_("所属对象编号"), max_length=40)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("存证人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_by_name = models.CharField(_("存证人姓名"), max_length=60)
    sealed_at = models.DateTimeField(_("存证时间"))
    token = models.CharField(_("核验码"), max_length=64, unique=True)
    prev_hash = models.CharField(_("前序哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)
    key_id = models.CharField(_("密钥编号"), max_length=20, blank=True)  # '' : sealed before keying (SHA-256)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("存证文书")
        verbose_name_plural = _("存证文书")
        indexes = [models.Index(fields=["target_type", "target_id", "kind"], name="sealed_target_kind")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()


class SecurityKind(models.TextChoices):
    """What a security event is (等保2.0 8.1.4.3 安全审计): each is recorded by `core.security_log.record`."""

    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")
    TOKEN_ISSUE = "token_issue", _("签发接口令牌")
    TOKEN_REVOKE = "token_revoke", _("吊销接口令牌")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    ROLE_CHANGE = "role_change", _("账号权限变更")
    EXPORT = "export", _("导出数据")
    DOWNLOAD = "download", _("下载文件")
    ADMIN_CHANGE = "admin_change", _("系统管理变更")
    ACCESS_REFUSED = "access_refused", _("拒绝访问")
    LOG_PURGE = "log_purge", _("清理过期日志")
    SERVICE_CALL = "service_call", _("服务账号调用")  # every call of a service token (issue 20)


class SecurityResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    REFUSED = "refused", _("拒绝")


class SecurityEvent(ChainedEvent):
    """One security event: who, when, from which address, what, with which result.

    One keyed hash chain over every event (`seq` is unique, so concurrent writers cannot fork it):
    `action` is the kind, `to_status` the result, `payload` the detail. Written only by
    `core.security_log.record`; the database refuses UPDATE, and DELETE of anything younger
    than the legal minimum of 180 days (triggers from `core.db`, both databases). Old events leave
    only through the daily retention job, which records what it removed as an event itself.
    """

    chain_owner = "log"  # one chain for the whole log: no owner row
    # Not in the ledger's global sequence and daily roots (core.ledger): retention removes old
    # events, which there would read as tampering. The chain is keyed like the ledger's (HMAC).
    in_ledger: ClassVar[bool] = False
    position = None  # type: ignore[assignment]
    # A deleted account's events stay, with its id and name as recorded (and hashed).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=45, blank=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("安全日志")
        verbose_name_plural = _("安全日志")
        constraints = [models.UniqueConstraint(fields=["seq"], name="security_event_seq")]
        indexes = [
            models.Index(fields=["at"], name="security_event_at"),
            models.Index(fields=["action", "at"], name="security_event_kind_at"),
            models.Index(fields=["actor", "at"], name="security_event_actor_at"),
            models.Index(fields=["address"], name="security_event_address"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.actor_name} {self.to_status}"

    @property
    def result(self) -> str:
        return self.to_status

    def get_kind_display(self) -> str:
        return str(SecurityKind(self.action).label) if self.action in SecurityKind.values else self.action

    def get_result_display(self) -> str:
        return str(SecurityResult(self.to_status).label) if self.to_status in SecurityResult.values else self.to_status


class ThrottleLock(models.Model):
    """One row per throttle (`core.throttle`): its decisions are taken holding this row's lock,
    so parallel requests are counted one after another, never all against the same old count."""

    name = models.CharField(max_length=40, primary_key=True)

    def __str__(self) -> str:
        return self.name


class ThrottleHit(models.Model):
    """One knock on a throttled door (a sign-in attempt, a public report): by key (an account)
    and address. Kept, not deleted, when the knock succeeds: `cleared_at` marks it no longer
    counted (a sign-in that proved the password); a daily job drops hits past their keeping time."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("访问限制记录")
        verbose_name_plural = _("访问限制记录")
        indexes = [
            models.Index(fields=["scope", "key", "at"], name="throttle_scope_key_at"),
            models.Index(fields=["scope", "address", "at"], name="throttle_scope_address_at"),
            models.Index(fields=["scope", "at"], name="throttle_scope_at"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} @ {self.address} {self.at:%Y-%m-%d %H:%M:%S}"


class IdempotencyRecord(models.Model):
    """One POST that carried an `Idempotency-Key` (core/idempotency.py): the caller it belongs to,
    what was sent (a hash of the parsed fields and file hashes) and the answer given, so a repeat
    gets the first answer and creates nothing. Purged daily after SAFELOOP_IDEMPOTENCY_HOURS."""

    principal = models.CharField(_("调用方"), max_length=60)
    key = models.CharField(_("幂等键"), max_length=100)
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    method = models.CharField(_("方法"), max_length=10)
    path = models.CharField(_("路径"), max_length=500)
    created_at = models.DateTimeField(_("首次收到"), auto_now_add=True, db_index=True)
    status = models.PositiveSmallIntegerField(_("状态码"), null=True)
    content_type = models.CharField(_("内容类型"), max_length=120, blank=True)
    location = models.CharField(_("跳转地址"), max_length=500, blank=True)
    refusal = models.CharField(_("拒绝原因"), max_length=200, blank=True)
    body = models.BinaryField(_("响应内容"), default=b"")

    class Meta:
        verbose_name = _("幂等请求记录")
        verbose_name_plural = _("幂等请求记录")
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_once")]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"


class Change(models.Model):
    """One created, updated or deleted object in the change feed (`core.changes`), written in the
    transaction that made the change and numbered from the `changes` counter (`LedgerCounter`,
    taken after the `ledger` row, so both are always locked in the same order): numbers are
    handed out in commit order, which makes `position` the feed's cursor.

    The scope keys the object had after the change (and, `before_*`, after its previous change)
    let the feed show each client only what its role sees, and a removal to a client whose view
    the object left."""

    position = models.PositiveBigIntegerField(_("序号"), unique=True)
    type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.BigIntegerField(_("对象编号"))
    op = models.CharField(_("变更"), max_length=8)  # created / updated / deleted
    at = models.DateTimeField(_("时间"))
    data = models.JSONField(null=True)
    region = models.CharField(max_length=12, blank=True)
    enterprise = models.BigIntegerField(null=True)
    category = models.CharField(max_length=20, blank=True)
    department = models.BigIntegerField(null=True)
    before_region = models.CharField(max_length=12, blank=True)
    before_enterprise = models.BigIntegerField(null=True)
    before_category = models.CharField(max_length=20, blank=True)
    before_department = models.BigIntegerField(null=True)
    before_known = models.BooleanField(default=False)  # the object had an earlier change

    class Meta:
        verbose_name = _("数据变更")
        verbose_name_plural = _("数据变更")
        indexes = [models.Index(fields=["type", "object_id", "position"], name="change_object")]

    def __str__(self) -> str:
        return f"#{self.position} {self.op} {self.type}:{self.object_id}"
