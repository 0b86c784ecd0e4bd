"""The fields each action of the hazard table asks for, declared once as FieldSpecs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import FieldSpec, Kind, model_spec
from safeloop.hazards.models import (
    Hazard,
)

# ---------------------------------------------------------------- the actions' fields

STAGES = (("confirmation", _("确认")), ("acceptance", _("验收")))
STAGE = FieldSpec(name="stage", label=_("签字环节"), kind=Kind.CHOICE, required=True, choices=STAGES)
SIGN_OPINION = FieldSpec(name="opinion", label=_("签字意见"), kind=Kind.TEXTAREA, max_length=500)
LEVEL = model_spec(Hazard, "level", label=_("隐患等级"))
CLAUSE = model_spec(
    Hazard, "clause", Kind.TEXT, max_length=200, help=_("重大隐患必填，判定标准条款编号，如 GM10-11-03")
)
DOWNGRADE_REASON = FieldSpec(
    name="reason", label=_("降级理由"), kind=Kind.TEXTAREA, max_length=2000, help=_("重大隐患改为一般隐患时必填")
)
WITHDRAW_REASON = FieldSpec(name="reason", label=_("撤销理由"), kind=Kind.TEXTAREA, required=True, max_length=500)
RESPONSIBLE_UNIT = model_spec(Hazard, "responsible_unit", required=True)
RESPONSIBLE_PERSON = model_spec(Hazard, "responsible_person", required=True)
DEADLINE_DAYS = FieldSpec(
    name="deadline_days",
    label=_("整改期限（工作日数）"),
    kind=Kind.INTEGER,
    minimum=1,
    maximum=750,
    help=_("从今天起的工作日数，节假日不计；或填下面的日期"),
)
DEADLINE_ON = FieldSpec(name="deadline", label=_("整改期限日期"), kind=Kind.DATE)
PLAN_GOAL = FieldSpec(name="goal", label=_("治理目标和任务"), kind=Kind.TEXTAREA, max_length=2000)
MEASURES = model_spec(Hazard, "measures", required=True, max_length=2000)
FUNDS = FieldSpec(name="funds", label=_("整改资金"), kind=Kind.MONEY, unit="元", required=True, minimum=0)
PLAN_DEADLINE = FieldSpec(name="deadline", label=_("治理时限"), kind=Kind.DATE, required=True)
CONTINGENCY_PLAN = model_spec(Hazard, "contingency_plan", max_length=2000, help=_("重大隐患必填"))
EXTEND_TO = FieldSpec(name="deadline", label=_("申请延至"), kind=Kind.DATE, required=True)
EXTEND_REASON = FieldSpec(name="reason", label=_("延期理由"), kind=Kind.TEXTAREA, required=True, max_length=500)
APPROVE = FieldSpec(name="approve", label=_("是否同意"), kind=Kind.BOOLEAN, required=True)
DECISION_NOTE = FieldSpec(
    name="reason", label=_("审批意见"), kind=Kind.TEXTAREA, max_length=500, help=_("不同意时必填")
)
RECTIFICATION_NOTE = FieldSpec(name="note", label=_("整改情况说明"), kind=Kind.TEXTAREA, required=True, max_length=2000)
RECTIFIED_ON = FieldSpec(
    name="rectified_on", label=_("完成日期"), kind=Kind.DATE, not_future=True, help=_("不填为今天")
)
EVIDENCE = FieldSpec(
    name="attachments",
    label=_("整改证明"),
    kind=Kind.IDS,
    required=True,
    help=_("尚无可用的整改证明：请先在下方“整改照片及证明”处上传整改后的照片或文件，再回来勾选"),
)
ACCEPT_OPINION = FieldSpec(name="opinion", label=_("验收意见"), kind=Kind.TEXTAREA, required=True, max_length=1000)
REJECT_REASON = FieldSpec(name="reason", label=_("退回理由"), kind=Kind.TEXTAREA, required=True, max_length=1000)
LOOK_BACK_RESULTS = (("holds", _("整改成效保持")), ("recurred", _("隐患复发")))
LOOK_BACK_RESULT = FieldSpec(
    name="result", label=_("回头看结果"), kind=Kind.CHOICE, required=True, choices=LOOK_BACK_RESULTS
)
LOOK_BACK_NOTE = FieldSpec(name="note", label=_("回头看情况"), kind=Kind.TEXTAREA, required=True, max_length=2000)
REOPEN_REASON = FieldSpec(name="reason", label=_("重新打开理由"), kind=Kind.TEXTAREA, required=True, max_length=1000)
NEW_DEADLINE_DAYS = DEADLINE_DAYS.but(label=_("新期限（工作日数）"))
NEW_DEADLINE_ON = DEADLINE_ON.but(label=_("新期限日期"))
URGE_NOTE = FieldSpec(name="note", label=_("催办意见"), kind=Kind.TEXTAREA, required=True, max_length=1000)
LISTING_DEADLINE = FieldSpec(
    name="deadline", label=_("督办整改期限"), kind=Kind.DATE, help=_("不填为隐患的整改期限；尚未交办的必填")
)
LISTING_REQUIREMENT = FieldSpec(
    name="requirement",
    label=_("督办要求"),
    kind=Kind.TEXTAREA,
    max_length=2000,
    help=_("写入挂牌督办通知书，不对外公开"),
)
DELIST_REASON = FieldSpec(
    name="reason", label=_("摘牌理由"), kind=Kind.TEXTAREA, required=True, max_length=500, help=_("不对外公开")
)
