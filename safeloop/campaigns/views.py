"""Pages of campaigns: the list, the create form (or the 举一反三 proposal from a seed), the
progress board with the task list and its Excel export, and the task page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.accounts.models import Role
from safeloop.campaigns import forms
from safeloop.campaigns.documents import summary
from safeloop.campaigns.models import Campaign, Finding, Kind, Status, Task
from safeloop.campaigns.permissions import can_launch_campaigns, can_open_campaigns
from safeloop.campaigns.selectors import (
    campaign_detail,
    campaign_list,
    campaign_rows,
    figures_of,
    findings_visible,
    progress,
    seed_for,
    seed_proposals,
    task_detail,
    task_list,
    tasks_visible,
)
from safeloop.campaigns.services import (
    campaign_close,
    campaign_create,
    campaign_launch,
    campaign_link_operation,
    target_add,
    target_remove,
    task_act,
)
from safeloop.campaigns.workflow import BUTTONS, CAMPAIGN_FLOW, TASK_FLOW, is_organiser
from safeloop.campaigns.xlsx import task_workbook
from safeloop.core.docx import DOCX_CONTENT_TYPE
from safeloop.core.errors import NotFound, ServiceError, refusal_shown
from safeloop.core.evidence import evidence_response
from safeloop.core.forms import FormState
from safeloop.core.security_log import SecurityKind, SecurityResult, record
from safeloop.core.xlsx import XLSX_CONTENT_TYPE
from safeloop.enforcement.selectors import operations_visible
from safeloop.registry.models import Department
from safeloop.registry.selectors import departments_for_user, regions_for_user

PAGE_SIZE = 50
BOARD_TASKS = 25  # the board's page of tasks (the whole list is the Excel export)
GROUPINGS = {"county": _("按县区"), "township": _("按乡镇街道"), "department": _("按承办部门")}


def _campaign_or_404(request: HttpRequest, pk: int) -> Campaign:
    try:
        return campaign_detail(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _task_or_404(request: HttpRequest, pk: int) -> Task:
    try:
        return task_detail(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_GET
def campaign_index(request: HttpRequest) -> HttpResponse:
    if not can_open_campaigns(request.user):
        raise PermissionDenied(_("专项行动由监管部门发起，企业查看本企业的任务"))
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else ""
    page = Paginator(campaign_list(request.user, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": campaign_rows(request.user, page.object_list),
        "kinds": Kind.choices,
        "kind": kind,
        "can_launch": can_launch_campaigns(request.user),
    }
    return render(request, "campaigns/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not can_launch_campaigns(request.user):
        raise PermissionDenied(_("只有监管部门和属地政府可以发起专项行动"))
    source = request.POST if request.method == "POST" else request.GET
    seed, proposals = _seed_and_proposals(request, source)
    specs = (*forms.MAIN_SPECS, *forms.FILTER_SPECS)
    shown = forms.form_values(request.POST) if request.method == "POST" else _defaults(seed)
    form = FormState(
        specs, data=shown, options=forms.options(list(regions_for_user(request.user)), _departments(request))
    )
    if request.method == "POST":
        try:
            campaign = campaign_create(actor=request.user, data=forms.posted_data(request.POST, request.FILES))
        except ServiceError as exc:
            form.fail(exc)
        else:
            messages.success(request, _("已草拟专项行动，请核对对象名单后启动"))
            return redirect("campaigns:detail", pk=campaign.pk)
    chosen = set(request.POST.getlist("targets")) if request.method == "POST" else None
    context = {
        "form": form,
        "main": form.pick(s.name for s in forms.MAIN_SPECS),
        "filters": form.pick(s.name for s in forms.FILTER_SPECS),
        "seed": seed,
        "seed_field": "seed_hazard" if seed is not None and seed._meta.model_name == "hazard" else "seed_accident",
        "proposals": proposals,
        "chosen": chosen,
    }
    return render(request, "campaigns/form.html", context, status=400 if form.has_errors else 200)


def _departments(request: HttpRequest) -> list[Department]:
    if request.user.role == Role.DEPARTMENT:
        return list(Department.objects.filter(pk=request.user.department_id))
    return list(departments_for_user(request.user))


def _seed_and_proposals(request: HttpRequest, source: Any) -> tuple[Any, list[Any]]:
    hazard, accident = source.get("seed_hazard"), source.get("seed_accident")
    if not (hazard or accident):
        return None, []
    try:
        seed = seed_for(request.user, hazard=hazard, accident=accident)
    except ServiceError as exc:
        raise Http404 from exc
    return seed, seed_proposals(request.user, seed)


def _defaults(seed: Any) -> dict[str, Any]:
    today = timezone.localdate()
    values: dict[str, Any] = {"starts_on": today.isoformat(), "route": "enterprise", "task_days": "20"}
    if seed is not None:
        values |= {"kind": Kind.DRAGNET, "title": _("举一反三拉网式排查：%(seed)s") % {"seed": seed}}
    return values


@login_required
@require_GET
def campaign_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_or_404(request, pk)
    by = request.GET.get("by", "county") if request.GET.get("by") in GROUPINGS else "county"
    total, rows = progress(request.user, campaign, by)
    tasks = task_list(request.user, campaign, status=request.GET.get("status", ""))
    page = Paginator(tasks, BOARD_TASKS).get_page(request.GET.get("page"))
    _count_findings(page.object_list)
    findings = list(findings_visible(request.user, campaign).order_by("hazard__status", "pk")[:200])
    chart = {
        "names": [r.name for r in rows],
        "targets": [r.targets for r in rows],
        "done": [r.inspected for r in rows],
        "hazards": [r.hazards for r in rows],
    }
    context = {
        "campaign": campaign,
        "total": total,
        "rows": rows,
        "by": by,
        "groupings": GROUPINGS,
        "page": page,
        "today": timezone.localdate(),
        "open_findings": [f for f in findings if f.hazard.status not in ("closed", "verified", "withdrawn")],
        "closed_findings": [f for f in findings if f.hazard.status in ("closed", "verified")],
        "actions": CAMPAIGN_FLOW.available(request.user, campaign),
        "organiser": is_organiser(request.user, campaign) and campaign.status != Status.CLOSED,
        "events": list(campaign.events.order_by("seq")),
        "milestones": list(campaign.milestones.all()),
        "documents": list(campaign.documents.all()),
        "clauses": list(campaign.clauses.all()),
        "targets_draft": _draft_targets(request, campaign),
        "chart": chart,
        "figures": figures_of(request.user, [campaign])[campaign.pk],
        "operations": list(operations_visible(request.user).filter(pk__in=campaign.operations.values("pk"))),
        "operation_choices": list(
            operations_visible(request.user).exclude(pk__in=campaign.operations.values("pk"))[:100]
        ),
    }
    return render(request, "campaigns/detail.html", context)


def _count_findings(tasks: Any) -> None:
    """Each task of the page with its number of findings (one query for the page)."""
    rows = list(tasks)
    found = Finding.objects.filter(task__in=[t.pk for t in rows]).values("task_id").annotate(n=Count("pk"))
    counts = {row["task_id"]: row["n"] for row in found}
    for task in rows:
        task.n_findings = counts.get(task.pk, 0)  # type: ignore[attr-defined]


def _draft_targets(request: HttpRequest, campaign: Campaign) -> list[Any]:
    if campaign.status != Status.DRAFT:
        return []
    from safeloop.campaigns.selectors import targets_visible

    return list(targets_visible(request.user, campaign).filter(removed_at=None)[:500])


@login_required
@require_POST
def campaign_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _campaign_or_404(request, pk)
    act = {"launch": campaign_launch, "close": campaign_close}.get(action)
    if act is None:
        raise Http404
    try:
        act(actor=request.user, campaign_id=pk, version=request.POST.get("version"))
        messages.success(request, _("已启动，对象名单已冻结并逐企生成任务") if action == "launch" else _("行动已结束"))
    except ServiceError as exc:
        _refused(request, exc)
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def campaign_link_operation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """List a 打非治违 joint operation under the campaign (issue 17)."""
    campaign = _campaign_or_404(request, pk)
    try:
        campaign_link_operation(actor=request.user, campaign=campaign, operation_id=request.POST.get("operation"))
        messages.success(request, _("已关联联合执法行动"))
    except ServiceError as exc:
        _refused(request, exc)
    return redirect("campaigns:detail", pk=pk)


def _refused(request: HttpRequest, exc: ServiceError) -> None:
    if exc.status == 404:
        raise Http404 from exc
    refusal_shown(exc)
    details = "；".join(exc.fields.values())
    messages.error(request, f"{exc.message}{'：' + details if details and details not in exc.message else ''}")


@login_required
@require_POST
def campaign_targets(request: HttpRequest, pk: int) -> HttpResponse:
    _campaign_or_404(request, pk)
    change = target_remove if request.POST.get("op") == "remove" else target_add
    try:
        change(
            actor=request.user,
            campaign_id=pk,
            enterprise_id=request.POST.get("enterprise"),
            reason=request.POST.get("reason", ""),
            version=request.POST.get("version"),
        )
        messages.success(request, _("对象名单已调整，调整及理由已记入行动记录"))
    except ServiceError as exc:
        _refused(request, exc)
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_GET
def campaign_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    campaign = _campaign_or_404(request, pk)
    tasks = tasks_visible(request.user, campaign).select_related("enterprise", "enterprise__region", "department")
    tasks = tasks.annotate(n_findings=Count("findings"))
    detail = {"title": _("专项行动任务清单"), "filters": campaign.title, "rows": tasks.count()}
    record(SecurityKind.EXPORT, request=request, result=SecurityResult.SUCCESS, detail=detail)
    return FileResponse(
        task_workbook(campaign, tasks.order_by("enterprise__region_id", "pk")),
        as_attachment=True,
        filename=f"{campaign.code}任务清单.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
@require_GET
def campaign_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page 阶段性总结 (Word) with the figures of the user's part of the campaign."""
    campaign = _campaign_or_404(request, pk)
    body = summary(request.user, campaign).to_bytes()
    response = HttpResponse(body, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{campaign.code}阶段性总结.docx")
    return response


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, document: int) -> FileResponse:
    campaign = _campaign_or_404(request, pk)
    found = campaign.documents.filter(pk=document).first()
    if found is None:
        raise Http404
    return evidence_response(name=found.file, content_type=found.content_type, original_name=found.original_name)


@login_required
@require_GET
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    actions = [t for t in TASK_FLOW.available(request.user, task) if t.action in BUTTONS]
    context = {
        "task": task,
        "campaign": task.campaign,
        "actions": actions,
        "findings": list(task.findings.select_related("hazard")),
        "events": list(task.events.order_by("seq")),
        "overdue": task.status in ("pending", "in_progress") and task.deadline < timezone.localdate(),
    }
    return render(request, "campaigns/task.html", context)


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _task_or_404(request, pk)
    if action not in BUTTONS:
        raise Http404
    data = {name: request.POST.get(name, "") for name in ("note", "findings", "reason")}
    try:
        task = task_act(actor=request.user, task_id=pk, action=action, version=request.POST.get("version"), data=data)
    except ServiceError as exc:
        _refused(request, exc)
        return redirect("campaigns:task", pk=pk)
    if action == "start" and task.checklist_id:
        return redirect("checklists:detail", pk=task.checklist_id)
    messages.success(request, _("已保存"))
    return redirect("campaigns:task", pk=pk)
