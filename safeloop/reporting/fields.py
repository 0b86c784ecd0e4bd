"""The fields of a report (public form, API), of the reward mechanism and of the triage actions,
each named once."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import FieldSpec, Kind, by_name, choices_of, model_spec
from safeloop.reporting.models import ContentKind, Report, ReporterIdentity, ReportingPolicy, RewardMechanism


class Who:
    EMPLOYEE = "employee"
    CITIZEN = "citizen"


REPORTER_KINDS = ((Who.EMPLOYEE, str(_("本企业员工（内部报告）"))), (Who.CITIZEN, str(_("群众（举报）"))))

SUBMIT_FIELDS = (
    FieldSpec(
        name="reporter",
        label=_("您的身份"),
        kind=Kind.CHOICE,
        choices=REPORTER_KINDS,
        required=True,
        help=_("企业员工报告本企业隐患为内部报告，由企业指定的受理人先行处理"),
    ),
    FieldSpec(name="enterprise_code", label=_("企业码"), kind=Kind.TEXT, max_length=16),
    FieldSpec(
        name="township",
        label=_("所在乡镇街道"),
        kind=Kind.REF,
        help=_("没有企业码时必填：隐患所在的乡镇（街道）"),
    ),
    FieldSpec(name="enterprise_name", label=_("单位或场所名称"), kind=Kind.TEXT, max_length=200),
    model_spec(Report, "kind", Kind.CHOICE, choices=choices_of(ContentKind), required=True),
    model_spec(Report, "description", Kind.TEXTAREA, required=True, max_length=2000),
    model_spec(Report, "location"),
    model_spec(Report, "lat", minimum=-90, maximum=90),
    model_spec(Report, "lng", minimum=-180, maximum=180),
    model_spec(ReporterIdentity, "name", help=_("可不填：匿名报告同样受理")),
    model_spec(ReporterIdentity, "phone", Kind.PHONE, help=_("可不填：留下电话便于核实和发放奖励")),
    FieldSpec(
        name="named_to_enterprise",
        label=_("同意向企业公开身份"),
        kind=Kind.BOOLEAN,
        help=_("仅对企业员工的内部报告有效；不选“是”，企业看不到您的姓名和电话"),
    ),
    FieldSpec(name="photos", label=_("现场照片"), kind=Kind.FILE, accept="image/*", help=_("可直接拍照，可选多张")),
)
SUBMIT = by_name(SUBMIT_FIELDS)
MAX_PHOTOS = 6

MECHANISM_FIELDS = (
    model_spec(RewardMechanism, "established", Kind.BOOLEAN),
    model_spec(RewardMechanism, "established_on", not_future=True),
    model_spec(RewardMechanism, "document_title"),
    model_spec(RewardMechanism, "reward_standard", Kind.TEXTAREA, max_length=2000),
    model_spec(RewardMechanism, "reward_min", Kind.MONEY, unit="元", minimum=0),
    model_spec(RewardMechanism, "reward_max", Kind.MONEY, unit="元", minimum=0),
    model_spec(RewardMechanism, "contact_name"),
    model_spec(RewardMechanism, "contact_phone", Kind.PHONE),
    FieldSpec(name="handler", label=_("内部报告指定处理人"), kind=Kind.REF, help=_("本企业的一个账号")),
)
MECHANISM = by_name(MECHANISM_FIELDS)

POLICY_FIELDS = (
    model_spec(ReportingPolicy, "internal_response_days", required=True, minimum=1, maximum=60),
    model_spec(ReportingPolicy, "public_response_days", required=True, minimum=1, maximum=60),
    model_spec(ReportingPolicy, "reward_general", Kind.MONEY, unit="元", minimum=0, required=True),
    model_spec(ReportingPolicy, "reward_major", Kind.MONEY, unit="元", minimum=0, required=True),
    model_spec(ReportingPolicy, "source", required=True, help=_("设定这些标准的文件，如 益安委〔2025〕X号")),
)

# Triage actions.
REPLY = FieldSpec(
    name="reply", label=_("答复举报人"), kind=Kind.TEXTAREA, max_length=2000, help=_("举报人凭查询码可以看到")
)
REASON = REPLY.but(name="reason", label=_("不予认定的理由"), required=True, help=_("举报人凭查询码可以看到"))
DUPLICATE_OF = FieldSpec(
    name="duplicate_of",
    label=_("重复于（报告编号）"),
    kind=Kind.TEXT,
    max_length=16,
    help=_("与已受理的报告重复时填写，如 R0000012"),
)
TRACKING = FieldSpec(
    name="tracking_code",
    label=_("报告人出示的查询码"),
    kind=Kind.TEXT,
    max_length=20,
    required=True,
    help=_("奖励只发给能出示本报告查询码的报告人"),
)
DEPARTMENT = FieldSpec(name="department", label=_("转交部门"), kind=Kind.REF, help=_("不填则转交隐患所在乡镇（街道）"))
TRANSFER_NOTE = FieldSpec(name="note", label=_("转交说明"), kind=Kind.TEXTAREA, max_length=500)
ENTERPRISE = FieldSpec(name="enterprise", label=_("隐患所在企业"), kind=Kind.REF, help=_("举报未指明企业时必填"))
AMOUNT = model_spec(Report, "reward_amount", Kind.MONEY, unit="元", minimum=0, required=True)
BASIS = model_spec(Report, "reward_basis", help=_("不填则按适用的奖励标准记录"))
PAID_ON = model_spec(Report, "reward_paid_on", required=True, not_future=True)
