"""The case's documents as Word files in the official layout (core.docx, GB/T 9704): 立案审批表,
责令停止违法行为通知书 and 结案审批表 (RULES.md §6.3 lists them among the case documents).
Each is numbered per enforcement body and year when its step is reached (services.document_number);
a document of a step not reached is refused, naming the document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.core.docx import OfficialDocument
from safeloop.core.errors import ValidationFailed
from safeloop.enforcement.models import Case, CaseStatus, Measure

TITLES = {
    "filing": gettext_lazy("立案审批表"),
    "order": gettext_lazy("责令停止违法行为通知书"),
    "closing": gettext_lazy("结案审批表"),
}
MEASURE_LABELS = dict(Measure.choices)


def _party(case: Case) -> tuple[str, str]:
    if case.enterprise is not None:
        return case.enterprise.name, case.enterprise.address or "—"
    if case.subject is not None:
        return case.subject.name, case.subject.address
    return "—", case.clue.address


def _head(doc: OfficialDocument, case: Case) -> None:
    name, address = _party(case)
    doc.field_line(_("当事人"), name)
    doc.field_line(_("地址"), address)
    doc.field_line(_("违法类型"), case.kind.name)
    doc.field_line(_("案件编号"), case.code)


def _officers(doc: OfficialDocument, case: Case) -> None:
    for name, number in case.officers:
        doc.field_line(_("承办人"), f"{name}　执法证号：{number}")


def filing_form(case: Case) -> bytes:
    doc = OfficialDocument(str(TITLES["filing"]), case.filing_no)
    _head(doc, case)
    doc.field_line(_("案件来源"), f"{case.clue.get_source_display()}（{case.clue.code}）")
    doc.field_line(_("立案日期"), case.filed_on.strftime("%Y年%m月%d日"))
    doc.heading(_("案情摘要"))
    doc.paragraph(case.facts)
    if case.reopened_from_id:
        doc.paragraph(
            _("本案为原案件 %(code)s 结案后复查发现违法行为回潮重新立案。") % {"code": case.reopened_from.code}
        )
    _officers(doc, case)
    doc.receipt_line(_("承办人意见：建议立案调查"))
    doc.receipt_line(_("审批人意见"))
    doc.signature(case.department.name, case.filed_on)
    return doc.to_bytes()


def stop_order(case: Case) -> bytes:
    doc = OfficialDocument(str(TITLES["order"]), case.order_no)
    name, address = _party(case)
    doc.paragraph(f"{name}：", indent=False)
    stops = [m for m in case.measures if m["measure"] in ("suspend", "ban", "shut")]
    first = stops[0]
    doc.paragraph(
        _(
            "经查，你（单位）在%(address)s存在%(kind)s的违法行为。依据有关法律法规，本机关责令你（单位）立即停止上述违法行为，并作如下处理："
        )
        % {"address": address, "kind": case.kind.name}
    )
    for n, m in enumerate(stops, 1):
        doc.paragraph(f"{n}. {MEASURE_LABELS.get(m['measure'], m['measure'])}：{m['note']}")
    doc.paragraph(_("如不服本决定，可以依法在六十日内申请行政复议，或者在六个月内依法提起行政诉讼。"))
    _officers(doc, case)
    doc.receipt_line(_("被检查单位负责人签收"))
    doc.signature(case.department.name, date.fromisoformat(first["on"]))
    return doc.to_bytes()


def closing_form(case: Case) -> bytes:
    doc = OfficialDocument(str(TITLES["closing"]), case.closing_no)
    _head(doc, case)
    doc.field_line(_("立案日期"), case.filed_on.strftime("%Y年%m月%d日"))
    doc.field_line(_("结案日期"), case.closed_on.strftime("%Y年%m月%d日") if case.closed_on else "—")
    rows = [
        [str(n), str(MEASURE_LABELS.get(m["measure"], m["measure"])), m.get("fine", "—"), m["note"]]
        for n, m in enumerate(case.measures, 1)
    ]
    doc.heading(_("处理情况"))
    doc.table(["序号", "处理措施", "罚款（元）", "处理决定"], rows, widths_mm=(14, 36, 28, 78))
    doc.field_line(_("罚款合计（元）"), f"{case.fine_total:.2f}")
    doc.field_line(_("移送公安"), _("是") if case.police_referred else _("否"))
    doc.heading(_("结案意见"))
    doc.paragraph(case.closing_opinion)
    _officers(doc, case)
    doc.receipt_line(_("审批人意见"))
    doc.signature(case.department.name, case.closed_on or case.filed_on)
    return doc.to_bytes()


def _reached(case: Case, document: str) -> bool:
    if document == "filing":
        return True
    if document == "order":
        return bool(case.order_no)
    return case.status == CaseStatus.CLOSED


BUILDERS: dict[str, Callable[[Case], bytes]] = {"filing": filing_form, "order": stop_order, "closing": closing_form}
NOT_REACHED = {
    "order": gettext_lazy("责令停止违法行为通知书：案件尚未作出责令停产停业、取缔或关闭的处理决定"),
    "closing": gettext_lazy("结案审批表：案件尚未结案"),
}


def case_document(case: Case, document: str) -> tuple[str, bytes]:
    """(file name, .docx bytes); refused (400, naming the document) for a step not reached."""
    if document not in BUILDERS:
        message = _("没有这种文书")
        raise ValidationFailed(message, fields={"document": message})
    if not _reached(case, document):
        message = str(NOT_REACHED[document])
        raise ValidationFailed(message, fields={"document": message}, code="step_not_reached")
    return f"{TITLES[document]}-{case.code}.docx", BUILDERS[document](case)
