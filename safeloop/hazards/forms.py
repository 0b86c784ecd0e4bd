"""The fields each action's form shows, and the report form. The workflow and the services
validate; these only render inputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from safeloop.accounts.models import User
from safeloop.core.forms import FormState
from safeloop.hazards.models import Level, Source
from safeloop.hazards.services import allowed_sources, report_fields


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select, yesno, attachments
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()


def _choices(enum) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in enum.choices)


ACTION_FIELDS: dict[str, tuple[Field, ...]] = {
    "sign": (Field("opinion", "签字意见", "textarea"),),
    "confirm": (
        Field("level", "隐患等级", "select", choices=_choices(Level)),
        Field("clause", "判定依据（重大隐患必填）"),
        Field("reason", "降级理由（重大改为一般时必填）", "textarea"),
    ),
    "withdraw": (Field("reason", "撤销理由", "textarea", True),),
    "assign": (
        Field("responsible_unit", "责任单位", required=True),
        Field("responsible_person", "责任人", required=True),
        Field("deadline_days", "整改期限（工作日数）", "number"),
        Field("deadline", "或指定期限日期", "date"),
    ),
    "submit_plan": (
        Field("goal", "治理目标和任务", "textarea"),
        Field("measures", "整改措施", "textarea", True),
        Field("funds", "整改资金（元）", "number", True),
        Field("responsible_person", "责任人", required=True),
        Field("deadline", "治理时限", "date", True),
        Field("contingency_plan", "安全措施和应急预案", "textarea"),
    ),
    "start": (),
    "request_extension": (Field("deadline", "申请延至", "date", True), Field("reason", "延期理由", "textarea", True)),
    "decide_extension": (Field("approve", "是否同意", "yesno", True), Field("reason", "审批意见", "textarea")),
    "submit_rectification": (
        Field("note", "整改情况说明", "textarea", True),
        Field("rectified_on", "完成日期", "date"),
        Field("attachments", "整改证明（先在下方上传照片或文件，再勾选）", "attachments", True),
    ),
    "accept": (Field("opinion", "验收意见", "textarea", True),),
    "reject": (Field("reason", "退回理由", "textarea", True),),
    "close": (),
    "look_back": (
        Field("result", "回头看结果", "select", True, (("holds", "整改成效保持"), ("recurred", "隐患复发"))),
        Field("note", "回头看情况", "textarea", True),
    ),
    "reopen": (
        Field("reason", "重新打开理由", "textarea", True),
        Field("deadline_days", "新期限（工作日数）", "number"),
        Field("deadline", "或指定日期", "date"),
    ),
}


def report_form(user: User, post: Any, params: QueryDict) -> FormState:
    """The report page's form: what the user posted, else a new report (the link may name the
    enterprise: ?enterprise=ID); the sources offered are the ones the user's role may report."""
    sources = [(value, label) for value, label in Source.choices if value in allowed_sources(user)]
    new = {"source": sources[0][0] if sources else "", "level": Level.GENERAL, **params.dict()}
    return FormState.of_page(report_fields(user), post, new, options={"source": sources})
