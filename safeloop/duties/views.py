"""Pages of duties: the duty lists, the annual tasks (key projects in red when behind plan),
drills and accountability records, and the assessment with its ranking, each unit's items, the
rows behind every figure, the Excel table and the close (freeze) action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.core.errors import NotFound, ServiceError, refusal_shown
from safeloop.core.evidence import evidence_response
from safeloop.core.xlsx import XLSX_CONTENT_TYPE
from safeloop.duties.measures import MEASURES, drill_rows, unit_figures
from safeloop.duties.models import Evidence, ManualScore, SchemeStatus, TaskStatus
from safeloop.duties.permissions import can_open_assessment, can_open_duties
from safeloop.duties.selectors import (
    accountability_visible,
    assessment_rows,
    drills_visible,
    duty_list_get,
    duty_lists,
    holders,
    is_behind,
    list_items,
    own_unit,
    planned_pct,
    progress_pct,
    scheme_for,
    task_get,
    task_list,
    task_rows,
    unit_get,
)
from safeloop.duties.services import (
    acts_for,
    drill_record,
    evidence_add,
    manual_score_set,
    may_assess,
    scheme_close,
    task_update,
)
from safeloop.duties.xlsx import assessment_workbook

PAGE_SIZE = 50


def _or_404(fn, *args: Any) -> Any:
    try:
        return fn(*args)
    except NotFound as exc:
        raise Http404 from exc


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您的角色不能打开该页面"))


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _need(can_open_duties(request.user))
    year = _year(request)
    lists = list(duty_lists(request.user, year))
    page = Paginator(lists, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "year": year, "query": f"year={year}", "regulator": can_open_assessment(request.user)}
    return render(request, "duties/home.html", context)


@login_required
@require_GET
def duty_list_page(request: HttpRequest, pk: int) -> HttpResponse:
    _need(can_open_duties(request.user))
    duty_list = _or_404(duty_list_get, request.user, pk)
    items = list_items(duty_list)
    figures = {}
    wanted = {i.measure for i in items if i.measure in MEASURES}
    if duty_list.unit is not None and wanted:
        figures = unit_figures([duty_list.unit], duty_list.year, only=wanted).get(duty_list.unit_id, {})
    rows = [(i, figures.get(i.measure), MEASURES.get(i.measure)) for i in items]
    context = {"duty_list": duty_list, "rows": rows, "holders": holders(duty_list), "year": duty_list.year}
    return render(request, "duties/list.html", context)


@login_required
@require_GET
def task_index(request: HttpRequest) -> HttpResponse:
    _need(can_open_assessment(request.user))
    year = _year(request)
    key = "1" if request.GET.get("key") == "1" else ""
    status = request.GET.get("status", "") if request.GET.get("status") in TaskStatus.values else ""
    tasks = task_list(request.user, year=year, key=key, status=status).prefetch_related(
        "milestones", "progress_reports"
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "page": page,
        "rows": task_rows(list(page.object_list), today),
        "year": year,
        "key": key,
        "status": status,
        "statuses": TaskStatus.choices,
        "today": today,
    }
    return render(request, "duties/tasks.html", context)


def _task_context(request: HttpRequest, task: Any, **more: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "task": task,
        "milestones": list(task.milestones.all()),
        "reports": list(task.progress_reports.all()),
        "evidence": list(task.evidence.all()),
        "events": list(task.events.order_by("seq")),
        "co_units": list(task.co_units.all()),
        "planned": planned_pct(task, today),
        "progress": progress_pct(task),
        "behind": is_behind(task, today),
        "may_act": acts_for(request.user, task.lead_unit),
        "statuses": TaskStatus.choices,
        "today": today,
        **more,
    }


@login_required
@require_GET
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    _need(can_open_assessment(request.user))
    task = _or_404(task_get, request.user, pk)
    return render(request, "duties/task.html", _task_context(request, task))


@login_required
@require_POST
def task_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    _need(can_open_assessment(request.user))
    task = _or_404(task_get, request.user, pk)
    data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v != ""}
    try:
        task_update(actor=request.user, pk=task.pk, data=data)
    except ServiceError as exc:
        refusal_shown(exc)
        task.refresh_from_db()
        context = _task_context(request, task, update_error=exc.message, update_fields=exc.fields, posted=request.POST)
        return render(request, "duties/task.html", context, status=exc.status)
    messages.success(request, _("已更新任务进度"))
    return redirect("duties:task", pk=task.pk)


@login_required
@require_POST
def task_evidence_view(request: HttpRequest, pk: int) -> HttpResponse:
    _need(can_open_assessment(request.user))
    task = _or_404(task_get, request.user, pk)
    try:
        evidence_add(
            actor=request.user,
            pk=task.pk,
            upload=request.FILES.get("file"),
            note=request.POST.get("note", ""),
            milestone_id=request.POST.get("milestone"),
        )
    except ServiceError as exc:
        refusal_shown(exc)
        context = _task_context(request, task, upload_error=exc.message, posted=request.POST)
        return render(request, "duties/task.html", context, status=exc.status)
    messages.success(request, _("已上传佐证材料"))
    return redirect("duties:task", pk=task.pk)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence: int) -> HttpResponseBase:
    _need(can_open_assessment(request.user))
    task = _or_404(task_get, request.user, pk)
    found = Evidence.objects.filter(task=task, pk=evidence).first()
    if found is None:
        raise Http404
    return evidence_response(name=found.file, content_type=found.content_type, original_name=found.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def drills_page(request: HttpRequest) -> HttpResponse:
    _need(can_open_assessment(request.user))
    unit = own_unit(request.user)
    error, fields, status = "", {}, 200
    if request.method == "POST":
        if unit is None:
            raise PermissionDenied(_("您的账号不属于任何责任单位"))
        try:
            drill_record(actor=request.user, unit=unit, data=request.POST, photos=request.FILES.getlist("photos"))
        except ServiceError as exc:
            refusal_shown(exc)
            error, fields, status = exc.message, exc.fields, exc.status
        else:
            messages.success(request, _("已登记应急演练"))
            return redirect("duties:drills")
    year = _year(request)
    drills = drills_visible(request.user).filter(held_on__year=year).order_by("-held_on", "-pk")
    page = Paginator(drills, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "year": year, "unit": unit, "error": error, "fields": fields, "posted": request.POST}
    return render(request, "duties/drills.html", context, status=status)


@login_required
@require_GET
def accountability_page(request: HttpRequest) -> HttpResponse:
    _need(can_open_assessment(request.user))
    page = Paginator(accountability_visible(request.user).select_related("accident"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "duties/accountability.html", {"page": page, "year": timezone.localdate().year})


# ---------------------------------------------------------------- the assessment


def _scheme(request: HttpRequest, year: int) -> Any:
    _need(can_open_assessment(request.user))
    return _or_404(scheme_for, request.user, year)


@login_required
@require_GET
def assessment_page(request: HttpRequest, year: int) -> HttpResponse:
    _need(can_open_assessment(request.user))
    try:
        scheme = scheme_for(request.user, year)
    except NotFound:  # no scheme for the year (yet): the page says so
        return render(request, "duties/assessment_none.html", {"year": year})
    rows = assessment_rows(request.user, scheme)
    context = {
        "scheme": scheme,
        "items": list(scheme.items.all()),
        "counties": [r for r in rows if r.kind == "county"],
        "departments": [r for r in rows if r.kind == "department"],
        "may_close": may_assess(request.user, scheme) and scheme.status == SchemeStatus.OPEN,
        "closed": scheme.status == SchemeStatus.CLOSED,
    }
    return render(request, "duties/assessment.html", context)


@login_required
@require_GET
def assessment_unit(request: HttpRequest, year: int, unit: int) -> HttpResponse:
    scheme = _scheme(request, year)
    found = _or_404(unit_get, request.user, unit)
    row = next((r for r in assessment_rows(request.user, scheme) if r.unit == found.pk), None)
    if row is None:
        raise Http404
    rules = {i.code: i for i in scheme.items.all()}
    manual = {
        m.item.code: m
        for m in ManualScore.objects.filter(item__scheme=scheme, unit=found).select_related("item", "assessor")
    }
    context = {
        "scheme": scheme,
        "unit": found,
        "row": row,
        "lines": [(s, rules.get(s.code), manual.get(s.code)) for s in row.items],
        "may_score": may_assess(request.user, scheme) and scheme.status == SchemeStatus.OPEN,
        "closed": scheme.status == SchemeStatus.CLOSED,
    }
    return render(request, "duties/assessment_unit.html", context)


@login_required
@require_POST
def manual_score(request: HttpRequest, year: int, unit: int) -> HttpResponse:
    scheme = _scheme(request, year)
    try:
        manual_score_set(
            actor=request.user, scheme=scheme, item_code=request.POST.get("item", ""), unit_id=unit, data=request.POST
        )
    except NotFound as exc:
        raise Http404 from exc
    except ServiceError as exc:
        refusal_shown(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存评分"))
    return redirect("duties:assessment_unit", year=year, unit=unit)


@login_required
@require_GET
def drill_page(request: HttpRequest, year: int, unit: int, code: str, part: str) -> HttpResponse:
    _need(can_open_assessment(request.user))
    found = _or_404(unit_get, request.user, unit)
    measure = MEASURES.get(code)
    if measure is None or part not in ("num", "den") or (part == "den" and measure.denominator is None):
        raise Http404
    rows = drill_rows(request.user, found, code, part, year)
    page = Paginator(rows.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    table = [([fn(r) for _label, fn in rows.columns], rows.link(r) if rows.link else "") for r in page.object_list]
    context = {
        "unit": found,
        "year": year,
        "measure": measure,
        "title": rows.title,
        "headers": [label for label, _fn in rows.columns],
        "table": table,
        "page": page,
        "count": page.paginator.count,
        "other": "den" if part == "num" and measure.denominator is not None else ("num" if part == "den" else ""),
    }
    return render(request, "duties/drill.html", context)


@login_required
@require_GET
def assessment_export(request: HttpRequest, year: int) -> HttpResponseBase:
    scheme = _scheme(request, year)
    rows = assessment_rows(request.user, scheme)
    items = [(i.code, i.title, str(i.weight.normalize())) for i in scheme.items.all()]
    response = FileResponse(assessment_workbook(scheme, rows, items), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{scheme.title}.xlsx")
    return response


@login_required
@require_POST
def assessment_close(request: HttpRequest, year: int) -> HttpResponse:
    scheme = _scheme(request, year)
    version = request.POST.get("version")
    try:
        scheme_close(actor=request.user, scheme=scheme, version=int(version) if (version or "").isdigit() else None)
    except ServiceError as exc:
        refusal_shown(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("考核已终结，结果已封存"))
    return redirect("duties:assessment", year=year)
