"""Generating (and regenerating) a draft as a background job (core.jobs): a city's or the province's briefing reads
a year of records over many counties and takes seconds, so the page starts a job and shows its
progress (one step per section), ending with a link to the draft. A county's runs in the request
(`run_now`, the same job row). The job generates as its owner, with the scope the owner has
when it runs."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeloop.briefings import sections
from safeloop.briefings.models import Briefing
from safeloop.briefings.services import Plan, briefing_generate, briefing_regenerate
from safeloop.core.jobs import JobKind, JobResult, Progress
from safeloop.core.models import Job

GENERATE = "briefings.generate"
REGENERATE = "briefings.regenerate"
FIELDS = ("kind", "year", "period", "campaign", "region")  # what the form sends


def in_request(plan: Plan) -> bool:
    """A county's briefing is quick enough to wait for."""
    return plan.region.level == "county"


def generate_params(plan: Plan, typed: dict) -> dict:
    return {**{key: typed.get(key, "") for key in FIELDS}, "region": plan.region.code}


def generate_title(plan: Plan) -> str:
    return _("生成通报草稿：%(t)s") % {"t": plan.title}


def run_generate(job: Job, progress: Progress) -> JobResult:
    kind = job.params.get("kind", "")
    if kind in sections.TEMPLATES:
        progress.total(sections.count(kind))
    briefing = briefing_generate(actor=job.owner, data=job.params, step=progress.advance)
    return JobResult(link=reverse("briefings:detail", args=[briefing.pk]), link_label=_("查看通报草稿"))


def run_regenerate(job: Job, progress: Progress) -> JobResult:
    briefing = Briefing.objects.filter(pk=job.params.get("pk")).only("kind").first()
    if briefing is not None:
        progress.total(sections.count(briefing.kind))
    done = briefing_regenerate(
        actor=job.owner, pk=job.params.get("pk"), version=job.params.get("version"), step=progress.advance
    )
    return JobResult(link=reverse("briefings:detail", args=[done.pk]), link_label=_("查看通报草稿"))


def regenerate_in_request(briefing: Briefing) -> bool:
    return briefing.region.level == "county"


def regenerate_title(briefing: Briefing) -> str:
    return _("按最新数据重新生成：%(t)s") % {"t": briefing.title}


def generate_job() -> JobKind:
    return JobKind(
        GENERATE,
        gettext_lazy("生成通报草稿"),
        run_generate,
        back="briefings:list",
        back_label=gettext_lazy("工作通报"),
        unit=gettext_lazy("段"),  # one step per section
    )


def regenerate_job() -> JobKind:
    return JobKind(
        REGENERATE,
        gettext_lazy("重新生成通报草稿"),
        run_regenerate,
        back="briefings:list",
        back_label=gettext_lazy("工作通报"),
        unit=gettext_lazy("段"),
    )
