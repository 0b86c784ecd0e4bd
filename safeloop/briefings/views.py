"""Pages of the briefings: the list with the form that generates one, the briefing itself
(every figure a link to the list it counts, each paragraph editable while a draft), its charts
and its Word file (the sealed one once issued)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.briefings import jobs
from safeloop.briefings.document import render as render_document
from safeloop.briefings.models import Briefing, Kind, Status
from safeloop.briefings.permissions import can_open_briefings
from safeloop.briefings.selectors import briefing_detail, briefing_list, paragraphs_of
from safeloop.briefings.services import (
    Plan,
    briefing_check,
    briefing_issue,
    briefing_regenerate,
    briefing_regenerate_check,
    paragraph_edit,
)
from safeloop.campaigns.selectors import campaigns_visible
from safeloop.core.docx import DOCX_CONTENT_TYPE
from safeloop.core.errors import ServiceError, refusal_shown
from safeloop.core.jobs import job_start, run_now
from safeloop.core.models import JobState
from safeloop.core.seals import SealBroken, sealed_bytes
from safeloop.core.security_log import SecurityKind, SecurityResult, record

PAGE_SIZE = 30


def _require_writer(request: HttpRequest) -> None:
    if not can_open_briefings(request.user):
        raise PermissionDenied(_("工作通报由市、县区安委办生成和印发"))


@login_required
@require_http_methods(["GET", "POST"])
def briefing_index(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {"kind": "annual", "year": str(timezone.localdate().year)}
    if request.method == "POST":
        typed = request.POST.dict()
        try:
            return _generate(request, briefing_check(actor=request.user, data=typed), typed)
        except ServiceError as exc:
            refusal_shown(exc)
            errors = {**exc.fields, "message": exc.message}
    page = Paginator(briefing_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": Kind.choices,
        "typed": typed,
        "errors": errors,
        "campaigns": campaigns_visible(request.user)
        .filter(status__in=("launched", "closed"))
        .order_by("-starts_on")[:50],
        "years": list(range(timezone.localdate().year, 2019, -1)),
    }
    return render(request, "briefings/list.html", context, status=400 if errors else 200)


def _generate(request: HttpRequest, plan: Plan, typed: dict[str, Any]) -> HttpResponse:
    """A county's draft in the request; a wider one in the worker, its job's page linking to it."""
    params = jobs.generate_params(plan, typed)
    if not jobs.in_request(plan):
        job = job_start(owner=request.user, kind=jobs.GENERATE, params=params, title=jobs.generate_title(plan))
        return redirect("core:job", pk=job.pk)
    job = run_now(owner=request.user, kind=jobs.GENERATE, params=params)
    if job.state != JobState.DONE:
        raise ServiceError(job.error)
    messages.success(request, _("已根据数据生成通报草稿，请逐段核改后印发"))
    return redirect(job.result_url)


def _regenerate_job(request: HttpRequest, briefing: Briefing) -> HttpResponse:
    """A city's or the province's draft recomputed in the worker, once what it would refuse is checked."""
    version = request.POST.get("version", "")
    briefing_regenerate_check(actor=request.user, pk=briefing.pk, version=version)
    params = {"pk": briefing.pk, "version": version}
    job = job_start(owner=request.user, kind=jobs.REGENERATE, params=params, title=jobs.regenerate_title(briefing))
    return redirect("core:job", pk=job.pk)


def _briefing_or_404(request: HttpRequest, pk: int) -> Briefing:
    return briefing_detail(request.user, pk)


@login_required
@require_GET
def briefing_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _briefing_or_404(request, pk))


def _page(
    request: HttpRequest, briefing: Briefing, typed: dict[int, str] | None = None, status: int = 200
) -> HttpResponse:
    paragraphs = paragraphs_of(briefing)
    for p in paragraphs:
        p.typed = (typed or {}).get(p.pk, p.text)  # type: ignore[attr-defined]
        p.rows = _linked_rows(p.table)  # type: ignore[attr-defined]
    context = {
        "b": briefing,
        "paragraphs": paragraphs,
        "draft": briefing.status == Status.DRAFT,
        "may_write": can_open_briefings(request.user),
        "missing": [f for p in paragraphs for f in p.figures if f.get("missing")],
    }
    return render(request, "briefings/detail.html", context, status=status)


def _linked_rows(table: dict | None) -> list[tuple[list[str], str]]:
    if not table:
        return []
    links = table.get("links") or [""] * len(table.get("rows", []))
    return list(zip(table.get("rows", []), links, strict=False))


@login_required
@require_POST
def paragraph_save(request: HttpRequest, pk: int, paragraph: int) -> HttpResponse:
    briefing = _briefing_or_404(request, pk)
    try:
        paragraph_edit(actor=request.user, pk=pk, paragraph=paragraph, data=request.POST.dict())
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        refusal_shown(exc)
        details = "；".join(exc.fields.values())
        messages.error(request, f"{exc.message}{'：' + details if details and details not in exc.message else ''}")
        return _page(request, briefing, {paragraph: request.POST.get("text", "")}, status=exc.status)
    messages.success(request, _("段落已保存"))
    return redirect(f"{briefing_url(pk)}#p{paragraph}")


def briefing_url(pk: int) -> str:
    return reverse("briefings:detail", args=[pk])


@login_required
@require_POST
def briefing_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    briefing = _briefing_or_404(request, pk)
    act = {"issue": briefing_issue, "regenerate": briefing_regenerate}.get(action)
    if act is None:
        raise Http404
    try:
        if action == "regenerate" and not jobs.regenerate_in_request(briefing):
            return _regenerate_job(request, briefing)
        act(actor=request.user, pk=pk, version=request.POST.get("version"))
        messages.success(request, _("通报已印发并存证") if action == "issue" else _("已按最新数据重新生成"))
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        refusal_shown(exc)
        messages.error(request, exc.message)
    return redirect("briefings:detail", pk=pk)


@login_required
@require_GET
def briefing_document(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = _briefing_or_404(request, pk)
    return document_response(request, briefing)


def document_response(request: HttpRequest, briefing: Briefing) -> HttpResponse:
    """An issued briefing's sealed file, exactly; a draft's rendered from its paragraphs now."""
    if briefing.seal is not None:
        try:
            content = sealed_bytes(briefing.seal)
        except SealBroken:
            return HttpResponse(
                _("存档文书校验失败，已停止下载，请联系系统管理员"), status=409, content_type="text/plain"
            )
    else:
        content = render_document(briefing).to_bytes()
    detail = {"title": briefing.title, "number": briefing.number, "id": briefing.code}
    record(SecurityKind.DOWNLOAD, request=request, result=SecurityResult.SUCCESS, detail=detail)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    suffix = "" if briefing.seal else _("（草稿）")
    response["Content-Disposition"] = content_disposition_header(True, f"{briefing.title}{suffix}.docx")
    return response


@login_required
@require_GET
def chart(request: HttpRequest, pk: int, paragraph: int) -> HttpResponse:
    briefing = _briefing_or_404(request, pk)
    found = briefing.paragraphs.filter(pk=paragraph).exclude(chart=None).values_list("chart", flat=True).first()
    if not found:
        raise Http404
    response = HttpResponse(bytes(found), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
