"""Word documents in the official layout: 隐患整改通知书, 责令限期整改指令书, 整改复查意见书."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from safeloop.core.docx import OfficialDocument
from safeloop.hazards.models import Hazard

RIGHTS = (
    "如不服本指令，可以依法在六十日内向本级人民政府或者上一级应急管理部门申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼，但本指令不停止执行。"
)


def _issuer(hazard: Hazard) -> str:
    county = hazard.enterprise.region.parent
    return f"{county.name if county else ''}应急管理局"


def _hazard_table(doc: OfficialDocument, hazard: Hazard) -> None:
    doc.table(
        ["序号", "隐患编号", "隐患描述", "等级", "判定依据", "整改期限"],
        [
            [
                "1",
                hazard.code,
                hazard.description,
                hazard.get_level_display(),
                hazard.clause or "—",
                hazard.deadline.strftime("%Y年%m月%d日") if hazard.deadline else "—",
            ]
        ],
    )


def _assigned_on(hazard: Hazard):
    """The day the order was issued: the local date of the assign event."""
    event = hazard.events.filter(action="assign").order_by("-seq").first()
    return timezone.localdate(event.at) if event else timezone.localdate()


def notice(hazard: Hazard) -> OfficialDocument:
    doc = OfficialDocument("隐患整改通知书", hazard.code)
    doc.field_line("单位名称", hazard.enterprise.name)
    doc.field_line("统一社会信用代码", hazard.enterprise.credit_code)
    doc.paragraph(
        f"经{hazard.get_source_display()}（{hazard.found_on:%Y年%m月%d日}），发现你单位存在下列事故隐患，"
        "请按照“责任、措施、资金、时限、预案”五落实的要求限期整改，整改完成后提交整改情况和证明材料。"
    )
    _hazard_table(doc, hazard)
    doc.field_line("责任单位", hazard.responsible_unit or "—")
    doc.field_line("责任人", hazard.responsible_person or "—")
    doc.signature(_issuer(hazard) if hazard.order_no else hazard.enterprise.name, timezone.localdate())
    doc.receipt_line("被通知单位签收人：")
    return doc


def order(hazard: Hazard) -> OfficialDocument:
    doc = OfficialDocument("责令限期整改指令书", hazard.order_no)
    doc.paragraph(f"{hazard.enterprise.name}：", indent=False)
    doc.paragraph(
        f"经查，你单位存在下列问题（{hazard.found_on:%Y年%m月%d日}检查发现）。依据《中华人民共和国安全生产法》"
        "第六十五条的规定，现责令你单位于下列期限前整改完毕，达到有关法律法规规章和标准规定的要求。"
        "整改期间，你单位应当采取措施，确保安全生产。"
    )
    _hazard_table(doc, hazard)
    doc.paragraph(RIGHTS)
    doc.field_line("执法人员", "（签名）                 证号：")
    doc.signature(_issuer(hazard), _assigned_on(hazard))
    doc.receipt_line("被检查单位负责人（签名）：                 年   月   日")
    return doc


def review(hazard: Hazard) -> OfficialDocument:
    doc = OfficialDocument("整改复查意见书", hazard.review_no)
    doc.paragraph(f"{hazard.enterprise.name}：", indent=False)
    doc.paragraph(
        f"本机关于{hazard.accepted_on:%Y年%m月%d日}对你单位执行《责令限期整改指令书》（{hazard.order_no}）"
        "的情况进行了复查，复查意见如下："
    )
    doc.table(["序号", "隐患编号", "隐患描述", "复查意见"], [["1", hazard.code, hazard.description, "已整改"]])
    doc.field_line("验收人", hazard.accepted_by_name)
    doc.signature(_issuer(hazard), hazard.accepted_on)
    doc.receipt_line("被复查单位负责人（签名）：                 年   月   日")
    return doc


DOCUMENTS: dict[str, tuple[str, Callable[[Hazard], OfficialDocument], Callable[[Hazard], bool]]] = {
    "notice": ("隐患整改通知书", notice, lambda h: h.deadline is not None),
    "order": ("责令限期整改指令书", order, lambda h: bool(h.order_no)),
    "review": ("整改复查意见书", review, lambda h: bool(h.review_no and h.accepted_on)),
}


def available_documents(hazard: Hazard) -> list[tuple[str, str]]:
    return [(kind, title) for kind, (title, _, ready) in DOCUMENTS.items() if ready(hazard)]
