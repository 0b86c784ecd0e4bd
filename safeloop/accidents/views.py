from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from safeloop.accidents import io
from safeloop.accidents.reference import sector_choices
from safeloop.accidents.selectors import (
    AccidentFilters,
    accident_get,
    accident_list,
    denominator_list,
    disaster_list,
    response_list,
)
from safeloop.accidents.services import WRITER_ROLES, re_report_deadline
from safeloop.core.errors import ServiceError
from safeloop.core.xlsx import XLSX_CONTENT_TYPE, ImportFailed, spooled_workbook
from safeloop.registry.forms import ImportForm

PAGE_SIZE = 50
GRADES = [("major_plus", "重特大"), ("larger", "较大"), ("general", "一般")]


def _xlsx(title: str, columns, objects) -> FileResponse:
    return FileResponse(
        spooled_workbook(title, columns, objects),
        as_attachment=True,
        filename=f"{title}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
@require_GET
def accident_index(request: HttpRequest) -> HttpResponse:
    filters = AccidentFilters.from_params(request.GET)
    page = Paginator(accident_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "query": request.GET.urlencode()}
    context.update(sectors=sector_choices(), grades=GRADES)
    return render(request, "accidents/accident_list.html", context)


@login_required
@require_GET
def accident_export(request: HttpRequest) -> FileResponse:
    qs = accident_list(request.user, AccidentFilters.from_params(request.GET)).iterator(chunk_size=2000)
    return _xlsx("生产安全事故", io.ACCIDENT_COLUMNS, qs)


@login_required
@require_GET
def accident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    accident = accident_get(request.user, pk)
    context = {"accident": accident, "reports": accident.reports.all(), "deadline": re_report_deadline(accident)}
    return render(request, "accidents/accident_detail.html", context)


def _record_page(request, title: str, qs, columns, export_name: str) -> HttpResponse:
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"title": title, "page": page, "columns": columns, "query": request.GET.urlencode()}
    context.update(export_url=export_name, rows=[[(c.header, c.export(o)) for c in columns] for o in page])
    return render(request, "accidents/records.html", context)


@login_required
@require_GET
def disaster_index(request: HttpRequest) -> HttpResponse:
    qs = disaster_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _record_page(request, "自然灾害", qs, io.DISASTER_COLUMNS, "accidents:disaster_export")


@login_required
@require_GET
def disaster_export(request: HttpRequest) -> FileResponse:
    qs = disaster_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _xlsx("自然灾害", io.DISASTER_COLUMNS, qs.iterator(chunk_size=2000))


@login_required
@require_GET
def response_index(request: HttpRequest) -> HttpResponse:
    qs = response_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _record_page(request, "应急响应", qs, io.RESPONSE_COLUMNS, "accidents:response_export")


@login_required
@require_GET
def response_export(request: HttpRequest) -> FileResponse:
    qs = response_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _xlsx("应急响应", io.RESPONSE_COLUMNS, qs.iterator(chunk_size=2000))


@login_required
@require_GET
def denominator_index(request: HttpRequest) -> HttpResponse:
    qs = denominator_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _record_page(request, "统计分母", qs, io.DENOMINATOR_COLUMNS, "accidents:denominator_export")


@login_required
@require_GET
def denominator_export(request: HttpRequest) -> FileResponse:
    qs = denominator_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _xlsx("统计分母", io.DENOMINATOR_COLUMNS, qs.iterator(chunk_size=2000))


@login_required
@require_http_methods(["GET", "POST"])
def denominator_import(request: HttpRequest) -> HttpResponse:
    if request.user.role not in WRITER_ROLES:
        raise PermissionDenied("您的角色不能录入统计分母")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = io.denominator_import(actor=request.user, data=form.cleaned_data["file"].read())
        except ImportFailed as exc:
            report = exc.report
        except ServiceError as exc:
            form.add_error("file", exc.message)
    return render(request, "accidents/denominator_import.html", {"form": form, "report": report})
