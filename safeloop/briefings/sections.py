"""The paragraphs of a briefing: each takes the figures of `briefings.figures` (or computes its
own the same way) and writes the sentence, the table and the chart. A paragraph whose data is
missing says 暂无数据 with the reason instead of leaving the figure out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from safeloop.briefings import charts, sources
from safeloop.briefings.figures import (
    NO_DATA,
    Context,
    Figure,
    accident_link,
    accidents,
    as_decimal,
    fire_hazards,
    inspections,
    link,
    major_hazards,
    no_data,
    pct,
    road_share,
    sector_rows,
)
from safeloop.campaigns.models import Campaign
from safeloop.campaigns.models import Status as CampaignStatus
from safeloop.campaigns.selectors import campaigns_visible, progress
from safeloop.core.docx import chinese_date
from safeloop.core.regions import subtree_prefix
from safeloop.core.scope import region_q
from safeloop.reporting.models import Channel
from safeloop.reporting.selectors import report_list
from safeloop.reporting.stats import compliance
from safeloop.targets.selectors import Board


@dataclass
class Section:
    key: str
    heading: str
    text: str
    figures: list[Figure]
    table: dict[str, Any] | None = None
    chart: bytes | None = None
    chart_title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _v(figures: list[Figure], key: str) -> str:
    return next(f.value for f in figures if f.key == key)


def _missing_text(figure: Figure) -> str:
    return _("%(label)s：暂无数据（%(reason)s）。") % {"label": figure.label, "reason": figure.missing}


# ---------------------------------------------------------------- 一、事故


def accident_section(ctx: Context) -> Section:
    f = accidents(ctx)
    text = _(
        "%(span)s，%(place)s共发生生产安全事故%(n)s、死亡%(dead)s，上年同期为%(n0)s、%(dead0)s；"
        "事故起数%(cn)s，死亡人数%(cd)s，%(both)s事故起数和死亡人数“双下降”。"
    ) % {
        "span": ctx.span.words(),
        "place": ctx.place,
        "n": _v(f, "accidents"),
        "dead": _v(f, "deaths"),
        "n0": _v(f, "accidents_before"),
        "dead0": _v(f, "deaths_before"),
        "cn": _v(f, "accidents_change"),
        "cd": _v(f, "deaths_change"),
        "both": _v(f, "double_decline"),
    }
    png = charts.comparison(
        [_("事故起数"), _("死亡人数")],
        [f[2].number or 0, f[3].number or 0],
        [f[0].number or 0, f[1].number or 0],
        (_("上年同期"), _("本期")),
    )
    return Section(
        "accidents", _("一、生产安全事故情况"), text, f, chart=png, chart_title=_("图1 事故起数和死亡人数同比")
    )


def sector_section(ctx: Context) -> Section:
    rows = sector_rows(ctx)
    share = road_share(ctx, rows)
    total = sum(r["n"] for r in rows)
    figures = [share]
    if share.missing:
        return Section("sectors", _("二、事故行业构成"), _missing_text(share), figures)
    parts = "、".join(
        _("%(name)s%(n)s起（%(p)s%%）") % {"name": r["name"], "n": r["n"], "p": pct(r["n"], total)} for r in rows
    )
    text = _("从行业看，%(parts)s；道路运输事故占比%(share)s。") % {"parts": parts, "share": share.value}
    table = {
        "headers": [_("统计行业"), _("事故起数"), _("死亡人数"), _("起数占比")],
        "rows": [[r["name"], str(r["n"]), str(r["dead"]), f"{pct(r['n'], total)}%"] for r in rows],
        "links": [accident_link(ctx, ctx.span, sector=r["sector"]) for r in rows],
    }
    png = charts.bars([r["name"] for r in rows], [r["n"] for r in rows], _("起"))
    return Section("sectors", _("二、事故行业构成"), text, figures, table, png, _("图2 各行业事故起数"))


# ---------------------------------------------------------------- 三、目标


def target_section(ctx: Context) -> Section:
    board = Board(ctx.user, ctx.year, now=min(ctx.span.end_at, timezone.now()))
    rows = [r for r in board.rows(ctx.region.code) if r.target_rule and r.target_rule.binding]
    url = link("targets:dashboard", region=ctx.region.code, year=ctx.year)
    heading = _("三、约束性目标完成情况")
    if not rows:
        figure = no_data("binding_targets", _("约束性目标"), _("本区划本年度未设定约束性目标"), "", url)
        return Section("targets", heading, _missing_text(figure), [figure])
    figures = [_target_figure(row, url) for row in rows]
    parts = "；".join(
        _("%(name)s%(value)s，年度控制目标%(target)s，%(status)s")
        % {
            "name": row.indicator.name,
            "value": fig.value,
            "target": _amount(row.indicator.round(row.target), row.indicator.unit),
            "status": row.status_label,
        }
        for row, fig in zip(rows, figures, strict=True)
    )
    on_track = sum(r.status in ("met", "on_track") for r in rows)
    text = _("%(n)s项约束性目标中，%(ok)s项已完成或有望完成：%(parts)s。") % {
        "n": len(rows),
        "ok": on_track,
        "parts": parts,
    }
    table = {
        "headers": [_("指标"), _("本期值"), _("年度目标"), _("状态")],
        "rows": [
            [r.indicator.name, f.value, _amount(r.indicator.round(r.target), r.indicator.unit), r.status_label]
            for r, f in zip(rows, figures, strict=True)
        ],
        "links": [url for _r in rows],
    }
    return Section("targets", heading, text, figures, table)


def _amount(value: Any, unit: str) -> str:
    return _(NO_DATA) if value is None else f"{value}{unit}"


DENOMINATOR_WORDS = {
    "deaths_per_100m_gdp": gettext_noop("地区生产总值"),
    "deaths_per_100k_industrial_workers": gettext_noop("工矿商贸就业人员数"),
    "road_deaths_per_10k_vehicles": gettext_noop("机动车保有量"),
}


def _target_figure(row: Any, url: str) -> Figure:
    ind = row.indicator
    definition = _("%(name)s：%(formula)s（%(source)s）；年度目标按规划目标逐年分解。") % {
        "name": ind.name,
        "formula": ind.formula,
        "source": ind.source,
    }
    if row.value is None:
        needs = _(DENOMINATOR_WORDS.get(ind.code, gettext_noop("计算所需的分母")))
        reason = _("未登记本区划本年度的%(what)s") % {"what": needs}
        return no_data(f"target_{ind.code}", ind.name, reason, definition, url)
    return Figure(f"target_{ind.code}", ind.name, f"{row.value}{ind.unit}", float(row.value), definition, url)


# ---------------------------------------------------------------- 四、隐患


def hazard_section(ctx: Context) -> Section:
    f = major_hazards(ctx)
    share = f[4]
    text = _(
        "%(span)s，%(place)s共发现重大事故隐患%(n)s，上年同期%(n0)s，%(change)s；其中企业自查自报%(own)s，占%(share)s。"
    ) % {
        "span": ctx.span.words(),
        "place": ctx.place,
        "n": f[0].value,
        "n0": f[1].value,
        "change": f[2].value,
        "own": f[3].value,
        "share": share.value if not share.missing else _("暂无数据（%(r)s）") % {"r": share.missing},
    }
    return Section("hazards", _("四、重大事故隐患排查情况"), text, f)


def mechanism_section(ctx: Context) -> Section:
    as_of = min(ctx.span.end, timezone.localdate())
    result = compliance(ctx.user, year=ctx.year, by="county", today=as_of)
    prefix = subtree_prefix(ctx.region.code)
    rows = [r for r in result.rows if r.key.startswith(prefix)]
    total, established = sum(r.tally.total for r in rows), sum(r.tally.established for r in rows)
    definition = _(
        "内部报告奖励机制：企业登记为“已建立”且建立日期不晚于%(day)s的，按企业所在县区统计；覆盖率为"
        "已建立企业数占登记企业数的比例。"
    ) % {"day": as_of.isoformat()}
    url = link("reporting:compliance", year=ctx.year)
    heading = _("五、隐患内部报告奖励机制")
    figures: list[Figure]
    if not total:
        figures = [no_data("mechanisms", _("建立奖励机制企业"), _("本区划没有登记企业"), definition, url)]
    else:
        share = pct(established, total)
        figures = [
            Figure(
                "mechanisms", _("建立奖励机制企业"), _("%(n)s家") % {"n": established}, established, definition, url
            ),
            Figure("mechanism_share", _("奖励机制覆盖率"), f"{share}%", share, definition, url),
        ]
    reports = report_list(
        ctx.user,
        channel=Channel.INTERNAL,
        region=ctx.region.code,
        received_from=ctx.span.start,
        received_to=ctx.span.end,
    ).count()
    report_url = link(
        "reporting:list",
        channel=Channel.INTERNAL,
        region=ctx.region.code,
        received_from=ctx.span.start.isoformat(),
        received_to=ctx.span.end.isoformat(),
    )
    report_definition = _("内部报告：企业从业人员通过企业内部报告渠道报告的事故隐患，按提交时间统计。")
    figures.append(
        Figure(
            "internal_reports", _("收到内部报告"), _("%(n)s件") % {"n": reports}, reports, report_definition, report_url
        )
    )
    if figures[0].missing:
        text = _missing_text(figures[0])
    else:
        text = _("%(place)s已有%(n)s企业建立隐患内部报告奖励机制，覆盖率%(share)s。") % {
            "place": ctx.place,
            "n": figures[0].value,
            "share": figures[1].value,
        }
    text += _("统计期内收到企业从业人员内部报告%(n)s。") % {"n": figures[-1].value}
    return Section("mechanisms", heading, text, figures)


def inspection_section(ctx: Context) -> Section:
    f = inspections(ctx)
    text = _("%(span)s，各执法主体办结行政检查%(n)s，检查企业%(firms)s，上年同期%(firms0)s，%(change)s。") % {
        "span": ctx.span.words(),
        "n": f[0].value,
        "firms": f[1].value,
        "firms0": f[2].value,
        "change": f[3].value,
    }
    return Section("inspections", _("六、监管执法检查情况"), text, f)


# ---------------------------------------------------------------- 七、专项行动


def _campaigns(ctx: Context) -> list[Campaign]:
    if ctx.campaign is not None:
        return [ctx.campaign]
    qs = campaigns_visible(ctx.user).filter(
        region_q("region", subtree_prefix(ctx.region.code)) | Q(region_id=ctx.region.code),
        status__in=(CampaignStatus.LAUNCHED, CampaignStatus.CLOSED),
        starts_on__lte=ctx.span.end,
        ends_on__gte=ctx.span.start,
    )
    return list(qs.order_by("starts_on", "pk"))


def campaign_section(ctx: Context) -> Section:
    heading = _("七、专项行动推进情况") if ctx.campaign is None else _("一、行动推进情况")
    found = _campaigns(ctx)
    definition = _(
        "专项行动进度：行动对象企业的任务中已完成排查的比例；发现隐患为行动任务中登记的隐患，已销号为其中验收销号的。"
    )
    if not found:
        figure = no_data(
            "campaigns", _("专项行动"), _("统计期内本区划没有启动的专项行动"), definition, link("campaigns:list")
        )
        return Section("campaigns", heading, _missing_text(figure), [figure])
    figures, rows, links, parts = [], [], [], []
    for campaign in found:
        total, _rows = progress(ctx.user, campaign)
        url = link("campaigns:detail", campaign.pk)
        figures.append(
            Figure(f"campaign_{campaign.pk}", campaign.title, f"{total.done_share}%", total.done_share, definition, url)
        )
        rows.append(
            [
                campaign.title,
                str(total.targets),
                str(total.inspected),
                f"{total.done_share}%",
                str(total.overdue),
                str(total.hazards),
                str(total.closed),
            ]
        )
        links.append(url)
        parts.append(
            _("“%(t)s”对象企业%(n)s家、完成排查%(d)s家（%(p)s%%），逾期%(o)s家，发现隐患%(h)s项、已销号%(c)s项")
            % {
                "t": campaign.title,
                "n": total.targets,
                "d": total.inspected,
                "p": total.done_share,
                "o": total.overdue,
                "h": total.hazards,
                "c": total.closed,
            }
        )
    text = "；".join(parts) + _("。")
    table = {
        "headers": [_("行动"), _("对象"), _("已完成"), _("完成率"), _("逾期"), _("隐患"), _("已销号")],
        "rows": rows,
        "links": links,
    }
    return Section("campaigns", heading, text, figures, table)


def campaign_counties_section(ctx: Context) -> Section:
    """A special briefing's table by county, the laggards first."""
    _total, rows = progress(ctx.user, ctx.campaign)
    url = link("campaigns:detail", ctx.campaign.pk)
    definition = _("各地进度：按任务所在县区统计的完成排查比例，完成率低的在前。")
    if not rows:
        figure = no_data("campaign_counties", _("各地进度"), _("行动尚无任务"), definition, url)
        return Section("counties", _("二、各地进展"), _missing_text(figure), [figure])
    last = rows[0]
    figures = [
        Figure(
            "campaign_laggard", _("进度最慢"), f"{last.name}（{last.done_share}%）", last.done_share, definition, url
        )
    ]
    text = _("完成率最低的是%(name)s（%(p)s%%），请抓紧推进。") % {"name": last.name, "p": last.done_share}
    table = {
        "headers": [_("县区"), _("对象"), _("已完成"), _("完成率"), _("逾期"), _("隐患"), _("已销号")],
        "rows": [
            [
                r.name,
                str(r.targets),
                str(r.inspected),
                f"{r.done_share}%",
                str(r.overdue),
                str(r.hazards),
                str(r.closed),
            ]
            for r in rows
        ],
        "links": [url for _r in rows],
    }
    png = charts.bars([r.name for r in rows], [r.done_share for r in rows], "%")
    return Section("counties", _("二、各地进展"), text, figures, table, png, _("图 各地完成率"))


# ---------------------------------------------------------------- 八、重大火灾隐患


def fire_section(ctx: Context) -> Section:
    f = fire_hazards(ctx)
    text = _("截至%(today)s，%(place)s尚有%(n)s重大火灾隐患未整改销号，其中逾期%(o)s。") % {
        "today": chinese_date(timezone.localdate()),
        "place": ctx.place,
        "n": f[0].value,
        "o": f[1].value,
    }
    return Section("fire", _("八、重大火灾隐患整改情况"), text, f)


# ---------------------------------------------------------------- 九、十：from duties (providers)


def project_section(ctx: Context) -> Section:
    heading = _("九、重点工程推进情况")
    definition = _("重点工程：年度安全生产重点工程清单所列项目；滞后：实际进度低于计划进度。")
    rows = _provided(ctx, "key_projects")
    if rows is None:
        figure = no_data("key_projects", _("重点工程"), _("责任体系模块尚未接入重点工程数据"), definition)
        return Section("projects", heading, _missing_text(figure), [figure])
    list_url = sources.list_url("key_projects", ctx.year)
    if not rows:
        figure = no_data("key_projects", _("重点工程"), _("本年度没有登记重点工程"), definition, list_url)
        return Section("projects", heading, _missing_text(figure), [figure])
    behind = [r for r in rows if r["behind"]]
    # Money is in yuan unless a field says otherwise (API.md); a briefing speaks of 万元.
    budget = sum((as_decimal(r["budget"] or 0) or Decimal(0) for r in rows), Decimal(0)) / 10000
    figures = [
        Figure("key_projects", _("重点工程"), _("%(n)s项") % {"n": len(rows)}, len(rows), definition, list_url),
        Figure(
            "key_projects_behind", _("进度滞后"), _("%(n)s项") % {"n": len(behind)}, len(behind), definition, list_url
        ),
    ]
    text = _("年度重点工程%(n)s，计划投资%(b)s万元，%(behind)s进度滞后%(names)s。") % {
        "n": figures[0].value,
        "b": f"{budget:.2f}".rstrip("0").rstrip("."),
        "behind": figures[1].value,
        "names": ("：" + "、".join(str(r["name"]) for r in behind)) if behind else "",
    }
    table = {
        "headers": [_("工程"), _("牵头单位"), _("计划进度"), _("实际进度"), _("状态")],
        "rows": [
            [
                str(r["name"]),
                str(r["lead_unit"]),
                f"{r['planned_pct']}%",
                f"{r['progress_pct']}%",
                str(r["status_label"]),
            ]
            for r in rows
        ],
        "links": [str(r.get("url") or "") for r in rows],
    }
    return Section("projects", heading, text, figures, table)


def ranking_section(ctx: Context) -> Section:
    heading = _("十、考核排名")
    definition = _("考核排名：年度安全生产责任考核得分由高到低；被一票否决的单位列于最后。")
    rows = _provided(ctx, "ranking")
    if rows is None:
        figure = no_data("ranking", _("考核排名"), _("责任体系模块尚未接入考核数据"), definition)
        return Section("ranking", heading, _missing_text(figure), [figure])
    list_url = sources.list_url("ranking", ctx.year)
    if not rows:
        figure = no_data("ranking", _("考核排名"), _("本年度考核尚无得分"), definition, list_url)
        return Section("ranking", heading, _missing_text(figure), [figure])
    ordered = sorted(rows, key=lambda r: r["rank"])
    first, last = ordered[0], ordered[-1]
    vetoed = [r for r in ordered if r["vetoed"]]
    figures = [
        Figure(
            "ranking_first",
            _("排名第一"),
            f"{first['name']}（{first['score']}分）",
            float(first["score"]),
            definition,
            str(first.get("url") or list_url),
        ),
        Figure(
            "ranking_last",
            _("排名末位"),
            f"{last['name']}（{last['score']}分）",
            float(last["score"]),
            definition,
            str(last.get("url") or list_url),
        ),
        Figure("ranking_vetoed", _("一票否决"), _("%(n)s个") % {"n": len(vetoed)}, len(vetoed), definition, list_url),
    ]
    text = _("%(n)s个单位参加考核，%(first)s排名第一，%(last)s排名末位；一票否决%(v)s%(names)s。") % {
        "n": len(ordered),
        "first": figures[0].value,
        "last": figures[1].value,
        "v": figures[2].value,
        "names": ("：" + "、".join(str(r["name"]) for r in vetoed)) if vetoed else "",
    }
    table = {
        "headers": [_("名次"), _("单位"), _("得分"), _("一票否决")],
        "rows": [[str(r["rank"]), str(r["name"]), str(r["score"]), _("是") if r["vetoed"] else ""] for r in ordered],
        "links": [str(r.get("url") or "") for r in ordered],
    }
    png = charts.bars([str(r["name"]) for r in ordered], [float(r["score"]) for r in ordered], _("分"))
    return Section("ranking", heading, text, figures, table, png, _("图3 考核得分"))


def _provided(ctx: Context, name: str) -> list[dict[str, Any]] | None:
    fn = sources.source(name)
    return None if fn is None else [dict(r) for r in fn(ctx.user, ctx.year)]


# ---------------------------------------------------------------- templates per kind

PERIODIC: tuple[Callable[[Context], Section], ...] = (
    accident_section,
    sector_section,
    target_section,
    hazard_section,
    mechanism_section,
    inspection_section,
    campaign_section,
    fire_section,
    project_section,
    ranking_section,
)
SPECIAL: tuple[Callable[[Context], Section], ...] = (campaign_section, campaign_counties_section)
TEMPLATES = {"monthly": PERIODIC, "quarterly": PERIODIC, "annual": PERIODIC, "special": SPECIAL}


def build(kind: str, ctx: Context, step: Callable[[], object] | None = None) -> list[Section]:
    """The kind's sections in order; `step()` after each (a background job's progress)."""
    built = []
    for section in TEMPLATES[kind]:
        built.append(section(ctx))
        if step is not None:
            step()
    return built


def count(kind: str) -> int:
    return len(TEMPLATES[kind])


def today() -> date:
    return timezone.localdate()
