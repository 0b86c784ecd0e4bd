"""Pages of the self-inspection checklist: the list (an enterprise's own checklists; for
regulators completion by county, category and month), walking one on a phone item by item
(each answer saved as it is given, htmx), submitting it, and its photos."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safeloop.checklists.models import Result
from safeloop.checklists.permissions import can_open_checklists, can_see_completion, can_self_inspect
from safeloop.checklists.selectors import (
    ChecklistFilters,
    checklist_get,
    checklist_list,
    checklist_rows,
    completion_by_month,
    completion_tables,
    item_get,
    open_checklist,
    photo_get,
    progress_of,
)
from safeloop.checklists.services import checklist_start, checklist_submit, item_answer
from safeloop.checklists.stats import (
    STATS_EXPORTS,
    TOP,
    StatsFilters,
    by_category,
    by_clause,
    by_county,
    by_source,
    category_rows,
    clause_rows,
    county_rows,
    headline_of,
    source_rows,
    standards_of,
)
from safeloop.checklists.workflow import available_actions
from safeloop.core.bulk import export_response
from safeloop.core.errors import ServiceError, refusal_shown
from safeloop.core.evidence import evidence_response
from safeloop.core.filters import refused_status
from safeloop.core.http import query_without_page
from safeloop.registry.models import Enterprise
from safeloop.registry.selectors import region_options, year_options

PAGE_SIZE = 50


@login_required
@require_GET
def checklist_index(request: HttpRequest) -> HttpResponse:
    if not can_open_checklists(request.user):
        raise PermissionDenied(_("企业自查清单由企业填写、监管部门查看"))
    filters = ChecklistFilters.from_params(request.GET)
    year = int(filters.year) if filters.year else _today().year
    page = Paginator(checklist_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": checklist_rows(page.object_list),
        "filters": filters,
        "query": query_without_page(request),
        "open": open_checklist(request.user),
        "can_start": can_self_inspect(request.user),
        "year": year,
        "year_text": str(year),  # the picker shows the year the figures are of, also by default
        "years": year_options(_today(), filters.year),
    }
    if can_see_completion(request.user):
        by_county, by_category = completion_tables(request.user, year)
        context |= {
            "by_county": by_county,
            "by_category": by_category,
            "by_month": completion_by_month(request.user, year),
        }
    return render(request, "checklists/list.html", context, status=refused_status(filters))


@login_required
@require_POST
def checklist_new(request: HttpRequest) -> HttpResponse:
    if not can_self_inspect(request.user):
        raise PermissionDenied(_("只有企业账号可以开展自查"))
    current = open_checklist(request.user)
    if current is not None:
        return redirect("checklists:detail", pk=current.pk)
    try:
        checklist = checklist_start(actor=request.user)
    except ServiceError as exc:
        refusal_shown(exc)
        messages.error(request, exc.message)
        return redirect("checklists:list")
    return redirect("checklists:detail", pk=checklist.pk)


@login_required
@require_GET
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = checklist_get(request.user, pk)
    context = {
        "checklist": checklist,
        "items": list(checklist.items.all()),
        "progress": progress_of(checklist),
        "editable": bool(available_actions(request.user, checklist)),
        "results": Result.choices,
        "feature_labels": [str(Enterprise._meta.get_field(name).verbose_name) for name in checklist.features],
    }
    return render(request, "checklists/detail.html", context)


@login_required
@require_POST
def item_save(request: HttpRequest, pk: int, clause: str) -> HttpResponse:
    """One item's answer; htmx gets the item back (with the refusal beside it, 400/409)."""
    data = {**request.POST.dict(), "photos": request.FILES.getlist("photos")}
    error, status = None, 200
    try:
        item_answer(actor=request.user, checklist_id=pk, clause_id=clause, data=data)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        refusal_shown(exc)
        error, status = exc, exc.status
    if not request.htmx:
        if error is not None:
            messages.error(request, error.message)
        return redirect(f"{_detail_url(pk)}#item-{clause}")
    item = item_get(request.user, pk, clause)
    context = {"item": item, "editable": True, "error": error, "typed": data if error else None}
    context |= {"results": Result.choices, "progress": progress_of(item.checklist)}
    return render(request, "checklists/partials/item.html", context, status=status)


@login_required
@require_POST
def checklist_finish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        checklist = checklist_submit(actor=request.user, checklist_id=pk, version=request.POST.get("version"))
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        refusal_shown(exc)
        messages.error(request, exc.message)
        return redirect("checklists:detail", pk=pk)
    failed = checklist.items.filter(result=Result.FAIL).count()
    done = _("自查清单已提交") if not failed else _("自查清单已提交，%(n)s 项不符合已作为重大隐患上报") % {"n": failed}
    messages.success(request, done)
    return redirect("checklists:detail", pk=pk)


@login_required
@require_GET
def photo_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    photo = photo_get(request.user, pk)
    name = photo.thumbnail if variant == "thumb" and photo.thumbnail else photo.file
    content_type = "image/jpeg" if name == photo.thumbnail else photo.content_type
    return evidence_response(name=name, content_type=content_type, original_name=photo.original_name)


def _detail_url(pk: int) -> str:
    return reverse("checklists:detail", args=[pk])


def _today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- statistics (/standards/stats/)


@login_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    if not can_see_completion(request.user):
        raise PermissionDenied(_("重大隐患统计仅向监管部门开放"))
    f = StatsFilters.from_params(request.GET)
    user = request.user
    clauses, sources = clause_rows(by_clause(user, f)), source_rows(by_source(user, f))
    context = {
        "filters": f,
        "year_text": str(f.the_year()),
        "years": year_options(_today(), f.year),
        "regions": region_options(user, f.region),
        "query": query_without_page(request),
        "headline": headline_of(f.the_year(), sources),
        "standards": standards_of(clauses),
        "clauses": clauses,
        "top": clauses[:TOP],  # by_clause is ordered by count
        "sources": sources,
        "counties": county_rows(by_county(user, f)),
        "categories": category_rows(by_category(user, f)),
    }
    return render(request, "checklists/stats.html", context, status=refused_status(f))


@login_required
@require_GET
def stats_export(request: HttpRequest, table: str) -> HttpResponseBase:
    export = STATS_EXPORTS.get(table)
    if export is None:
        raise Http404
    return export_response(request, export)
