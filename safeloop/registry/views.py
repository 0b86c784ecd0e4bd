from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safeloop.core.bulk import export_response, import_page, template_response
from safeloop.core.filters import refused_status
from safeloop.core.forms import edited_version, posted, posted_version, submitted
from safeloop.core.http import query_without_page
from safeloop.registry import io
from safeloop.registry.boundaries import city_map
from safeloop.registry.forms import enterprise_form
from safeloop.registry.models import Region, RiskLevel
from safeloop.registry.pages import enterprise_page
from safeloop.registry.permissions import can_edit_enterprises, can_register_enterprises
from safeloop.registry.pickers import list_pickers
from safeloop.registry.selectors import (
    EnterpriseFilters,
    enterprise_get,
    enterprise_list,
    enterprise_rows,
)
from safeloop.registry.services import enterprise_create, enterprise_update

PAGE_SIZE = 50


@login_required
@require_GET
def enterprise_index(request: HttpRequest) -> HttpResponse:
    filters = EnterpriseFilters.from_params(request.GET)
    page = Paginator(enterprise_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": enterprise_rows(page.object_list),
        "filters": filters,
        "query": query_without_page(request),
        "risk_levels": RiskLevel.choices,
        "can_create": can_register_enterprises(request.user),
    }
    template = "registry/enterprise_list.html"
    if not request.htmx:  # the results alone need no pickers
        context |= list_pickers(request.user, "regions", "categories", selected_region=filters.region)
    return render(request, f"{template}#results" if request.htmx else template, context, status=refused_status(filters))


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise's page (一企一档), assembled by the top floor: see `registry.pages`."""
    return enterprise_page(request, pk)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_new(request: HttpRequest) -> HttpResponse:
    if not can_register_enterprises(request.user):
        raise _forbidden()
    form = enterprise_form(request.user, post=posted(request))
    if request.method == "POST":
        enterprise = submitted(form, enterprise_create, actor=request.user)
        if enterprise is not None:
            messages.success(request, _("已登记企业“{name}”").format(name=enterprise.name))
            return redirect("registry:enterprise_detail", pk=enterprise.pk)
    return render(request, "registry/enterprise_form.html", {"form": form, "title": _("登记企业")})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = enterprise_get(request.user, pk)
    if not can_edit_enterprises(request.user):
        raise _forbidden()
    form = enterprise_form(request.user, post=posted(request), enterprise=enterprise)
    if request.method == "POST":
        version = posted_version(request.POST)
        if submitted(form, enterprise_update, actor=request.user, enterprise=enterprise, version=version):
            messages.success(request, _("企业信息已保存"))
            return redirect("registry:enterprise_detail", pk=enterprise.pk)
    context = {"form": form, "title": _("编辑：{name}").format(name=enterprise.name), "enterprise": enterprise}
    return render(request, "registry/enterprise_form.html", context | {"version": edited_version(request, enterprise)})


@login_required
@require_GET
def enterprise_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, io.ENTERPRISE_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request: HttpRequest) -> HttpResponse:
    if not can_register_enterprises(request.user):
        raise _forbidden()
    return import_page(request, io.ENTERPRISE_IMPORT, "registry/enterprise_import.html")


@login_required
@require_GET
def enterprise_template(request: HttpRequest) -> FileResponse:
    """An empty workbook with the import headers (red: required)."""
    return template_response(_("企业档案"), io.COLUMNS)


def _forbidden() -> PermissionDenied:
    return PermissionDenied(_("您的角色不能执行此操作"))


@login_required
@require_GET
def region_map(request: HttpRequest, code: str) -> HttpResponse:
    """A region's county boundaries as GeoJSON for the pages' maps (public geography, not
    scoped data: every signed-in user's map shows the same outline)."""
    if not Region.objects.filter(pk=code).exists():
        raise Http404(code)
    response = JsonResponse(city_map(code))
    response["Cache-Control"] = "private, max-age=86400"
    return response
