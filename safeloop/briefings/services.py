"""Writes of briefings: generate (a new draft), regenerate a draft, edit a paragraph, issue.

Each is one transaction that locks the briefing row, checks its version, and appends an event
to the briefing's chain. An issued briefing refuses every change (409), and nothing here
touches an issued briefing's paragraphs, sealed file or published content again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeloop.accounts.models import User
from safeloop.briefings import sections
from safeloop.briefings.document import render
from safeloop.briefings.figures import Context
from safeloop.briefings.models import Briefing, BriefingEvent, Kind, Paragraph, Status
from safeloop.briefings.periods import Span, period_span, period_words
from safeloop.briefings.permissions import can_open_briefings
from safeloop.briefings.selectors import content_of
from safeloop.campaigns.models import Campaign
from safeloop.campaigns.selectors import campaign_detail
from safeloop.core.chain import canonical, chain_append
from safeloop.core.docx import DOCX_CONTENT_TYPE
from safeloop.core.errors import Conflict, Forbidden, NotFound
from safeloop.core.inputs import Inputs
from safeloop.core.scope import region_in_scope, visible
from safeloop.core.seals import record_seal
from safeloop.core.services import locked_row
from safeloop.registry.models import Region

TEXT_MAX = 5000
_NUMBER_TRIES = 5


def _check_writer(actor: User) -> None:
    if not can_open_briefings(actor):
        raise Forbidden(_("工作通报由市、县区安委办生成和印发"))


@dataclass(frozen=True)
class Plan:
    """A briefing asked for, checked: what `briefing_generate` writes."""

    kind: str
    region: Region
    year: int
    period: int | None
    campaign: Campaign | None
    span: Span
    title: str


def briefing_check(*, actor: User, data: dict[str, Any]) -> Plan:
    """The request checked without writing (the page starts a job with it): kind, year, period
    (month or quarter), campaign (special), region; bad input is refused naming the field."""
    _check_writer(actor)
    inp = Inputs(data)
    kind = inp.choice("kind", _("通报类型"), Kind, required=True)
    year = inp.integer("year", _("年度"), minimum=2000, maximum=2100, required=kind != Kind.SPECIAL)
    period = None
    if kind == Kind.MONTHLY:
        period = inp.integer("period", _("月份"), minimum=1, maximum=12, required=True)
    elif kind == Kind.QUARTERLY:
        period = inp.integer("period", _("季度"), minimum=1, maximum=4, required=True)
    campaign = None
    if kind == Kind.SPECIAL:
        campaign_id = inp.integer("campaign", _("专项行动"), minimum=1, required=True)
        if campaign_id:
            try:
                campaign = campaign_detail(actor, campaign_id)
            except NotFound:  # out of scope or missing: the same message
                inp.error("campaign", _("没有找到该专项行动"))
    region = _region(actor, inp)
    inp.check()
    assert kind is not None and region is not None
    today = timezone.localdate()
    if campaign is not None:
        span = Span(campaign.starts_on, min(campaign.ends_on, max(today, campaign.starts_on)))
        year = campaign.starts_on.year
        title = _("关于“%(t)s”推进情况的通报") % {"t": campaign.title}
    else:
        assert year is not None
        span = period_span(kind, year, period, today)
        title = _("关于%(p)s%(place)s安全生产工作情况的通报") % {
            "p": period_words(kind, year, period),
            "place": region.name,
        }
    return Plan(kind=kind, region=region, year=year, period=period, campaign=campaign, span=span, title=title)


def briefing_generate(*, actor: User, data: dict[str, Any], step: Callable[[], object] | None = None) -> Briefing:
    """A new draft from the data (`briefing_check`'s fields); `step()` after each section (a
    background job's progress, `sections.count` of them)."""
    plan = briefing_check(actor=actor, data=data)
    today = timezone.localdate()
    ctx = Context(user=actor, region=plan.region, span=plan.span, year=plan.year, campaign=plan.campaign)
    built = sections.build(plan.kind, ctx, step)  # read before the transaction: it writes briefly
    with transaction.atomic():
        briefing = Briefing.objects.create(
            code=_code(plan.region, today),
            kind=plan.kind,
            region=plan.region,
            year=plan.year,
            period=plan.period,
            campaign=plan.campaign,
            starts_on=plan.span.start,
            ends_on=plan.span.end,
            title=plan.title,
            issuer=_("%(r)s安全生产委员会办公室") % {"r": plan.region.name},
            created_by=actor,
            generated_at=timezone.now(),
        )
        _store_paragraphs(briefing, built)
        _event(
            briefing,
            actor,
            "generate",
            "",
            {"kind": plan.kind, "starts_on": plan.span.start.isoformat(), "ends_on": plan.span.end.isoformat()},
        )
    return briefing


def _region(actor: User, inp: Inputs) -> Region | None:
    code = inp.text("region", _("区划"), max_length=12) or actor.region_id or ""
    if not code:
        inp.error("region", _("请选择通报的区划"))
        return None
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_scope(actor, code) or region.level not in ("province", "city", "county"):
        inp.error("region", _("只能为本辖区（省、市或县区）生成通报"))
        return None
    return region


def _code(region: Region, today: Any) -> str:
    count = Briefing.objects.filter(region=region, created_at__year=today.year).count()
    return f"TB{region.code}{today:%Y%m%d}{count + 1:03d}{timezone.now():%H%M%S%f}"[:40]


def _context(briefing: Briefing, actor: User) -> Context:
    span = Span(briefing.starts_on, briefing.ends_on)
    return Context(user=actor, region=briefing.region, span=span, year=briefing.year, campaign=briefing.campaign)


def _store_paragraphs(briefing: Briefing, built: list[sections.Section]) -> None:
    Paragraph.objects.bulk_create(
        Paragraph(
            briefing=briefing,
            order=n,
            key=s.key,
            heading=s.heading,
            generated=s.text,
            text=s.text,
            figures=[f.as_dict() for f in s.figures],
            table=s.table,
            chart=s.chart,
            chart_title=s.chart_title,
        )
        for n, s in enumerate(built, start=1)
    )


def _locked_draft(actor: User, pk: Any, version: Any) -> Briefing:
    _check_writer(actor)
    briefing = locked_row(model=Briefing, pk=pk, version=_version(version), user=actor)
    if briefing.status != Status.DRAFT:
        raise Conflict(_("通报已印发，不能再修改"), code="issued")
    return briefing


def _version(value: Any) -> int | None:
    inp = Inputs({"version": value})
    version = inp.integer("version", _("版本"), minimum=1)
    inp.check()
    return version


def briefing_regenerate_check(*, actor: User, pk: Any, version: Any) -> Briefing:
    """What regenerating would refuse (not a writer, missing or out of scope, issued, a bad or
    stale version), checked without writing: the page starts a job after it."""
    _check_writer(actor)
    expected = _version(version)
    current = visible(actor, Briefing.objects.select_related("region", "campaign")).filter(pk=pk).first()
    if current is None:
        raise NotFound()
    if current.status != Status.DRAFT:
        raise Conflict(_("通报已印发，不能再修改"), code="issued")
    if expected is not None and current.version != expected:
        raise Conflict(
            _("该{name}已被他人修改（当前版本 {current}），请刷新后重试").format(
                name=Briefing._meta.verbose_name, current=current.version
            ),
            code="stale_version",
        )
    return current


def briefing_regenerate(*, actor: User, pk: Any, version: Any, step: Callable[[], object] | None = None) -> Briefing:
    """Recompute a draft from today's data (its edits are replaced by the new text). The sections
    are read first; the transaction then checks the version (an edit meanwhile: 409) and swaps them."""
    current = briefing_regenerate_check(actor=actor, pk=pk, version=version)
    built = sections.build(current.kind, _context(current, actor), step)
    with transaction.atomic():
        briefing = _locked_draft(actor, pk, version)
        briefing.paragraphs.all().delete()
        _store_paragraphs(briefing, built)
        briefing.generated_at = timezone.now()
        briefing.version += 1
        briefing.save(update_fields=["generated_at", "version", "updated_at"])
        _event(briefing, actor, "regenerate", Status.DRAFT, {})
    return briefing


def paragraph_edit(*, actor: User, pk: Any, paragraph: Any, data: dict[str, Any]) -> Paragraph:
    """The official's text for one paragraph; `version` is the paragraph's (a stale one: 409)."""
    inp = Inputs(data)
    text = inp.text("text", _("段落文字"), required=True, max_length=TEXT_MAX)
    version = inp.integer("version", _("版本"), minimum=1, required=True)
    inp.check()
    with transaction.atomic():
        briefing = _locked_draft(actor, pk, None)
        row = briefing.paragraphs.select_for_update().filter(pk=paragraph).first()
        if row is None:
            raise NotFound()
        if row.version != version:
            raise Conflict(
                _("该段落已被他人修改（当前版本 %(v)s），请刷新后重试") % {"v": row.version}, code="stale_version"
            )
        before = row.text
        row.text, row.version, row.edited_by, row.edited_at = text, row.version + 1, actor, timezone.now()
        row.save(update_fields=["text", "version", "edited_by", "edited_at"])
        briefing.version += 1
        briefing.save(update_fields=["version", "updated_at"])
        _event(briefing, actor, "edit", Status.DRAFT, {"paragraph": row.key, "before": before, "after": text})
    return row


def briefing_issue(*, actor: User, pk: Any, version: Any) -> Briefing:
    """Number, render, seal and freeze the briefing as it stands."""
    for attempt in range(_NUMBER_TRIES):
        try:
            with transaction.atomic():
                return _issue(actor, pk, version)
        except IntegrityError:
            if attempt == _NUMBER_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _issue(actor: User, pk: Any, version: Any) -> Briefing:
    briefing = _locked_draft(actor, pk, version)
    now = timezone.now()
    issued = Briefing.objects.filter(region=briefing.region, year=briefing.year, status=Status.ISSUED).count()
    briefing.number = _("%(short)s安委办通〔%(y)s〕%(n)s号") % {
        "short": briefing.region.name,
        "y": briefing.year,
        "n": issued + 1,
    }
    briefing.issued_at, briefing.status = now, Status.ISSUED
    content = content_of(briefing, list(briefing.paragraphs.all()))
    briefing.issued_content = content
    briefing.issued_sha256 = hashlib.sha256(canonical(content)).hexdigest()
    briefing.seal = record_seal(
        kind="briefings.briefing",
        title=briefing.title,
        number=briefing.number,
        issuer=briefing.issuer,
        issued_on=timezone.localdate(now),
        content=render(briefing).to_bytes(),
        content_type=DOCX_CONTENT_TYPE,
        target=briefing,
        actor=actor,
    )
    briefing.version += 1
    briefing.save(
        update_fields=[
            "number",
            "issued_at",
            "status",
            "issued_content",
            "issued_sha256",
            "seal",
            "version",
            "updated_at",
        ]
    )
    _event(briefing, actor, "issue", Status.DRAFT, {"number": briefing.number, "sha256": briefing.seal.sha256})
    return briefing


def _event(briefing: Briefing, actor: User, action: str, from_status: str, payload: dict) -> None:
    chain_append(
        events=BriefingEvent,
        owner=briefing,
        action=action,
        actor=actor,
        at=timezone.now(),
        from_status=from_status,
        payload=payload,
    )
