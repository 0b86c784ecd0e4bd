"""The Word file of a briefing, in the GB/T 9704 layout of `core.docx`: the title and number,
each paragraph with its heading, its chart and table, and the definitions of its figures as
notes under it; the issuer and date at the end."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.briefings.models import Briefing
from safeloop.briefings.selectors import paragraphs_of
from safeloop.core.docx import OfficialDocument

CHART_WIDTH_MM = 140


def render(briefing: Briefing) -> OfficialDocument:
    doc = OfficialDocument(briefing.title, briefing.number)
    doc.paragraph(_("各有关单位："), indent=False)
    notes = 0
    for p in paragraphs_of(briefing):
        doc.heading(p.heading)
        for line in p.text.splitlines() or [""]:
            if line.strip():
                doc.paragraph(line.strip())
        if p.chart:
            doc.picture(bytes(p.chart), width_mm=CHART_WIDTH_MM, caption=p.chart_title)
        if p.table and p.table.get("rows"):
            doc.table(p.table["headers"], p.table["rows"])
        for definition in _definitions(p.figures):
            notes += 1
            doc.note(_("注%(n)s：%(text)s") % {"n": notes, "text": definition})
    issued = timezone.localdate(briefing.issued_at) if briefing.issued_at else timezone.localdate()
    doc.signature(briefing.issuer, issued, seal=False)
    return doc


def _definitions(figures: list[dict]) -> list[str]:
    """Each distinct definition once, in the order the figures cite them; with the reason of
    every figure that has no data."""
    seen: list[str] = []
    for f in figures:
        if f.get("definition") and f["definition"] not in seen:
            seen.append(f["definition"])
    missing = [
        _("%(label)s暂无数据：%(reason)s") % {"label": f["label"], "reason": f["missing"]}
        for f in figures
        if f.get("missing")
    ]
    return seen + missing
