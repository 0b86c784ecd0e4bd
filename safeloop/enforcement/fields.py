"""The inputs of 打非治违: forms, API bodies and the readers share these specs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safeloop.core.fields import FieldSpec, Kind, choices_of
from safeloop.enforcement.models import Measure, Source

CLUE = {
    "kind": FieldSpec("kind", _("违法类型"), Kind.CHOICE, required=True),
    "source": FieldSpec("source", _("线索来源"), Kind.CHOICE, required=True, choices=choices_of(Source)),
    "region": FieldSpec("region", _("乡镇街道"), Kind.REF, required=True),
    "name": FieldSpec("name", _("名称（经营者）"), max_length=100, help=_("未登记的场所或经营者，如“某某家庭作坊”")),
    "enterprise": FieldSpec("enterprise", _("已登记企业"), Kind.REF),
    "address": FieldSpec("address", _("地点"), required=True),
    "lat": FieldSpec("lat", _("纬度"), Kind.DECIMAL, minimum=-90, maximum=90, places=6, digits=3),
    "lng": FieldSpec("lng", _("经度"), Kind.DECIMAL, minimum=-180, maximum=180, places=6, digits=3),
    "operator": FieldSpec("operator", _("负责人"), max_length=40),
    "phone": FieldSpec("phone", _("联系电话"), Kind.PHONE),
    "credit_code": FieldSpec("credit_code", _("统一社会信用代码"), max_length=18),
    "description": FieldSpec("description", _("线索内容"), Kind.TEXTAREA, required=True, max_length=4000),
    "operation": FieldSpec("operation", _("联合执法行动"), Kind.REF),
}
CLUE_FIELDS = tuple(CLUE.values())

CHECK_NOTE = FieldSpec("check_note", _("核查情况"), Kind.TEXTAREA, required=True, max_length=4000)
REASON = FieldSpec("reason", _("办结理由"), required=True)
BODY = FieldSpec("body", _("执法主体"), Kind.REF, help=_("默认为线索的承办部门"))
FACTS = FieldSpec("facts", _("案情摘要"), Kind.TEXTAREA, max_length=4000)
TO_DEPARTMENT = FieldSpec("to_department", _("移交部门"), Kind.REF, required=True)
TRANSFER_REASON = FieldSpec("reason", _("移交理由"), required=True)

MEASURE = FieldSpec("measure", _("处理措施"), Kind.CHOICE, required=True, choices=choices_of(Measure))
FINE = FieldSpec("fine", _("罚款金额"), Kind.MONEY, unit=_("元"), minimum=0, digits=12)
NOTE = FieldSpec("note", _("处理决定"), Kind.TEXTAREA, required=True, max_length=4000)
OPINION = FieldSpec("opinion", _("结案意见"), Kind.TEXTAREA, required=True, max_length=4000)
RESUMED = FieldSpec(
    "resumed", _("是否回潮"), Kind.BOOLEAN, required=True, help=_("复查发现违法行为死灰复燃时选“是”，将重新立案")
)
RECHECK_NOTE = FieldSpec("note", _("复查情况"), Kind.TEXTAREA, required=True, max_length=4000)
ESCALATE_NOTE = FieldSpec("note", _("督办意见"), Kind.TEXTAREA, required=True, max_length=1000)

OPERATION = {
    "name": FieldSpec("name", _("行动名称"), required=True, max_length=100),
    "kind": FieldSpec(
        "kind", _("类型"), Kind.CHOICE, required=True, choices=(("joint", _("联合执法")), ("special", _("专项行动")))
    ),
    "region": FieldSpec("region", _("行动区域"), Kind.REF, required=True),
    "departments": FieldSpec("departments", _("参与部门"), Kind.IDS, required=True),
    "starts_on": FieldSpec("starts_on", _("开始日期"), Kind.DATE, required=True),
    "ends_on": FieldSpec("ends_on", _("结束日期"), Kind.DATE, required=True),
    "results": FieldSpec("results", _("行动成果"), Kind.TEXTAREA, max_length=4000),
}
OPERATION_FIELDS = tuple(OPERATION.values())
