"""现场检查记录 (on-site inspection record, RULES.md §6.3 fields) as a Word document in the
official layout (core.docx). Numbered per enforcement body and year, by the inspection's place
among that body's inspections of the year (ids only grow, rows are never deleted):
"（执法主体）现检〔年〕N号" — the abbreviation 现检 is this platform's, no rule fixes it.

The 责令限期整改指令书 for a finding is the hazards app's: a finding is a regulator hazard, and
its assign action issues the order (hazards/documents.py)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.docx import OfficialDocument, chinese_date
from safeloop.inspections.models import Inspection, ParticipantRole

FINDING_HEADERS = ["序号", "隐患编号", "隐患描述", "等级"]
FINDING_WIDTHS = (14, 36, 86, 20)


def record_number(inspection: Inspection) -> str:
    year = inspection.planned_on.year
    n = Inspection.objects.filter(
        enforcement_body_id=inspection.enforcement_body_id, planned_on__year=year, pk__lte=inspection.pk
    ).count()
    return f"（{inspection.enforcement_body.name}）现检〔{year}〕{n}号"


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M") if value else "—"


def site_record(inspection: Inspection) -> bytes:
    enterprise = inspection.enterprise
    doc = OfficialDocument(_("现场检查记录"), record_number(inspection))
    doc.field_line(_("被检查单位"), enterprise.name)
    doc.field_line(_("地址"), enterprise.address or "—")
    doc.field_line(_("法定代表人（负责人）"), enterprise.principal_name or "—")
    doc.field_line(_("联系电话"), enterprise.principal_phone or "—")
    doc.field_line(_("检查场所"), enterprise.address or enterprise.name)
    check_in = inspection.check_ins.order_by("at").first()
    doc.field_line(_("检查开始时间"), _moment(check_in.at if check_in else None))
    doc.field_line(_("检查结束时间"), _moment(inspection.closed_at))
    doc.field_line(_("执法主体"), inspection.enforcement_body.name)
    for p in inspection.participants.all():
        if p.role == ParticipantRole.OFFICER:
            doc.field_line(_("执法人员"), f"{p.name}　执法证号：{p.certificate_no}")
    assistants = [p for p in inspection.participants.all() if p.role == ParticipantRole.ASSISTANT]
    if assistants:
        doc.field_line(
            _("辅助人员（不作为执法主体）"),
            "、".join(f"{p.name}（{p.get_assistant_kind_display()}）" for p in assistants),
        )
    doc.heading(_("检查情况"))
    doc.paragraph(inspection.summary or inspection.items or "—")
    findings = list(inspection.findings.select_related("hazard"))
    if findings:
        rows = [
            [str(n), f.hazard.code, f.hazard.description, str(f.hazard.get_level_display())]
            for n, f in enumerate(findings, 1)
        ]
        doc.table(FINDING_HEADERS, rows, widths_mm=FINDING_WIDTHS)
    doc.paragraph("")
    doc.receipt_line(_("被检查单位现场负责人签字"))
    doc.signature(inspection.enforcement_body.name, timezone.localdate(inspection.closed_at or timezone.now()))
    return doc.to_bytes()


__all__ = ["chinese_date", "record_number", "site_record"]
