"""The one-page 阶段性总结 of a campaign (Word, core.docx): the figures of the board over the
user's part of it, by county, laggards first, and the open problems."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.campaigns.models import Campaign
from safeloop.campaigns.selectors import Figures, Progress, figures_of, progress
from safeloop.core.docx import OfficialDocument, chinese_date
from safeloop.core.scope import ScopedUser


def summary(user: ScopedUser, campaign: Campaign) -> OfficialDocument:
    total, rows = progress(user, campaign)
    figures = figures_of(user, [campaign])[campaign.pk]
    doc = OfficialDocument(_("%(title)s阶段性总结") % {"title": campaign.title}, campaign.code)
    doc.paragraph(_opening(campaign, total))
    doc.heading(_("一、总体进展"))
    doc.paragraph(_progress_text(total, figures))
    doc.heading(_("二、各地进展（完成率低的在前）"))
    headers = [_("县区"), _("对象"), _("已完成"), _("完成率"), _("逾期"), _("隐患"), _("已销号")]
    table = [
        [r.name, str(r.targets), str(r.inspected), f"{r.done_share}%", str(r.overdue), str(r.hazards), str(r.closed)]
        for r in rows
    ]
    doc.table(headers, table or [[_("暂无"), "", "", "", "", "", ""]])
    doc.heading(_("三、下一步工作"))
    doc.paragraph(_("请逾期和完成率偏低的单位抓紧推进，已发现隐患按“五落实”要求限期整改、验收销号。"))
    doc.signature(
        campaign.lead_department.name if campaign.lead_department else _("安全生产委员会办公室"),
        timezone.localdate(),
        seal=False,
    )
    return doc


def _opening(campaign: Campaign, total: Progress) -> str:
    return _("%(start)s启动的“%(title)s”（%(kind)s）共明确对象企业 %(n)s 家，截至%(today)s进展如下。") % {
        "start": chinese_date(timezone.localdate(campaign.launched_at) if campaign.launched_at else campaign.starts_on),
        "title": campaign.title,
        "kind": campaign.get_kind_display(),
        "n": total.targets,
        "today": chinese_date(timezone.localdate()),
    }


def _progress_text(total: Progress, f: Figures) -> str:
    text = _(
        "已触达 %(reached)s 家，完成排查 %(done)s 家（%(share)s%%），逾期未完成 %(overdue)s 家；发现隐患 %(hazards)s 项，"
        "其中重大隐患 %(major)s 项，已整改 %(rectified)s 项，已销号 %(closed)s 项。"
    ) % {
        "reached": total.reached,
        "done": total.inspected,
        "share": total.done_share,
        "overdue": total.overdue,
        "hazards": total.hazards,
        "major": total.major,
        "rectified": total.rectified,
        "closed": total.closed,
    }
    if f.per_100 is not None:
        text += _("每百家已排查企业发现隐患 %(n)s 项。") % {"n": f.per_100}
    if f.same_hazard is not None:
        text += _("同类企业中存在与源头隐患相同问题的 %(n)s 家。") % {"n": f.same_hazard}
    return text
