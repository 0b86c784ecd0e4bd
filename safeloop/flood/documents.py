"""A warning's or response's document (its start, and its end once ended) as a Word file in
the official layout (core.docx), issued in the name of the region's 防汛抗旱指挥部."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.core.docx import OfficialDocument
from safeloop.flood.models import Alert


def alert_document(alert: Alert) -> bytes:
    issuer = _("{region}防汛抗旱指挥部").format(region=alert.region.name)
    doc = OfficialDocument(alert.title, alert.document_no)
    for line in alert.document.splitlines() or [""]:
        if line.strip():
            doc.paragraph(line.strip())
    started = timezone.localtime(alert.started_at)
    doc.paragraph(_("启动时间：{at}").format(at=started.strftime("%Y年%m月%d日 %H:%M")))
    if alert.ended_at:
        doc.heading(_("结束"))
        doc.paragraph(_("文号：{no}").format(no=alert.end_document_no))
        for line in alert.end_document.splitlines():
            if line.strip():
                doc.paragraph(line.strip())
        ended = timezone.localtime(alert.ended_at)
        doc.paragraph(_("结束时间：{at}").format(at=ended.strftime("%Y年%m月%d日 %H:%M")))
    doc.signature(issuer, started.date())
    return doc.to_bytes()
