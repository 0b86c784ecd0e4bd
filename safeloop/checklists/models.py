"""Self-inspection checklists (企业自查清单): an enterprise walks the clauses of the determination
standards that apply to it (its category, plus the cross-sector sections its risk features call
for) and answers each 符合 / 不符合 / 不适用 with a note and photos, saved item by item. On
submission every 不符合 becomes a major-hazard report citing that clause (source `self_check`).

`Checklist` holds the state; `ChecklistEvent` is its append-only, hash-chained history (start,
each answer, submit). Status only changes through `checklists.workflow`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safeloop.core.models import ChainedEvent, StoredFile
from safeloop.core.scope import ScopePaths


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", _("填写中")
    SUBMITTED = "submitted", _("已提交")


class Result(models.TextChoices):
    OK = "ok", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")


class Checklist(models.Model):
    scope = ScopePaths(
        enterprise="enterprise",
        region="enterprise__region",
        category="enterprise__category",
        department_override="enterprise__supervising_department_override",
    )

    code = models.CharField(_("清单编号"), max_length=40, unique=True)
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT)
    # As it was when the checklist was drawn up: what its clauses were chosen by.
    category = models.ForeignKey(
        "registry.Category", verbose_name=_("监管行业"), on_delete=models.PROTECT, related_name="+"
    )
    features = models.JSONField(_("风险特征"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("开始时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    chain_head = models.CharField(_("事件链末端哈希"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("自查清单")
        verbose_name_plural = _("自查清单")
        indexes = [
            models.Index(fields=["enterprise", "status"], name="checklist_enterprise_status"),
            models.Index(fields=["status", "submitted_at"], name="checklist_status_submitted"),
        ]
        constraints = [
            # One checklist being filled in per enterprise: two would split the answers.
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(status="in_progress"), name="checklist_one_open"
            )
        ]

    def __str__(self) -> str:
        return self.code


VIA_CHECKLIST = ScopePaths(
    enterprise="checklist__enterprise",
    region="checklist__enterprise__region",
    category="checklist__enterprise__category",
    department_override="checklist__enterprise__supervising_department_override",
)


class Item(models.Model):
    """One clause of a checklist and its answer ('' until answered). Versioned on its own, so
    answering one item never conflicts with answering another; two edits of the same item do."""

    scope = VIA_CHECKLIST

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="items")
    clause = models.ForeignKey(
        "standards.Clause", verbose_name=_("判定条款"), on_delete=models.PROTECT, related_name="checklist_items"
    )
    sort = models.PositiveIntegerField(_("顺序"))
    result = models.CharField(_("结论"), max_length=8, choices=Result.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("填写时间"), null=True, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("生成的隐患"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["checklist_id", "sort"]
        verbose_name = _("自查条目")
        verbose_name_plural = _("自查条目")
        constraints = [models.UniqueConstraint(fields=["checklist", "clause"], name="checklist_item_unique_clause")]

    def __str__(self) -> str:
        return f"{self.checklist_id} {self.clause_id}"


class Photo(StoredFile):
    """A photo (or PDF) of one item, stored content-addressed by `core.evidence`."""

    scope = ScopePaths(
        enterprise="item__checklist__enterprise",
        region="item__checklist__enterprise__region",
        category="item__checklist__enterprise__category",
        department_override="item__checklist__enterprise__supervising_department_override",
    )

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="photos")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("自查照片")
        verbose_name_plural = _("自查照片")

    def __str__(self) -> str:
        return self.original_name


class ChecklistEvent(ChainedEvent):
    """One act on a checklist (start, answer, submit). Append-only."""

    chain_owner = "checklist"

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["checklist_id", "seq"]
        verbose_name = _("自查清单事件")
        verbose_name_plural = _("自查清单事件")
        constraints = [models.UniqueConstraint(fields=["checklist", "seq"], name="checklist_event_seq_unique")]
