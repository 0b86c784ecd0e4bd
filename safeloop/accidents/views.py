from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.accidents import io
from safeloop.accidents.forms import (
    ROAD_FACTORS,
    AccidentForm,
    CasualtyReportForm,
    DisasterForm,
    ResponseForm,
    local_moment,
)
from safeloop.accidents.permissions import can_write_records, sees_whole_county, sees_whole_region
from safeloop.accidents.reference import sector_choices
from safeloop.accidents.selectors import (
    AccidentFilters,
    accident_get,
    accident_list,
    denominator_list,
    disaster_get,
    disaster_list,
    response_get,
    response_list,
)
from safeloop.accidents.services import (
    accident_create,
    accident_report,
    accident_update,
    disaster_create,
    disaster_update,
    re_report_deadline,
    response_create,
    response_update,
)
from safeloop.accidents.validation import RESPONSE_CLOCK
from safeloop.core.errors import ServiceError
from safeloop.core.http import query_without_page
from safeloop.core.xlsx import XLSX_CONTENT_TYPE, ImportFailed, spooled_workbook
from safeloop.registry.forms import ImportForm
from safeloop.registry.selectors import enterprise_queryset

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
    context = {"page": page, "filters": filters, "query": query_without_page(request)}
    context.update(sectors=sector_choices(), grades=GRADES, can_write=can_write_records(request.user))
    context.update(sees_region=sees_whole_region(request.user), can_open_dashboard=sees_whole_county(request.user))
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
    return _detail(request, accident, CasualtyReportForm(initial=_figures(accident)))


def _detail(request: HttpRequest, accident, report_form: CasualtyReportForm) -> HttpResponse:
    context = {"accident": accident, "reports": accident.reports.all(), "deadline": re_report_deadline(accident)}
    context.update(report_form=report_form, can_write=can_write_records(request.user))
    return render(request, "accidents/accident_detail.html", context)


def _figures(accident) -> dict:
    names = ("deaths", "missing", "serious_injuries", "injuries", "direct_loss", "version")
    return {name: getattr(accident, name) for name in names}


def _check_writer(request: HttpRequest) -> None:
    if not can_write_records(request.user):
        raise PermissionDenied("您的角色不能登记或修改事故、灾害和应急响应")


def _check_region_reader(request: HttpRequest) -> None:
    if not sees_whole_region(request.user):
        raise PermissionDenied(gettext("自然灾害、应急响应和统计分母是属地全口径数据，由市、县区和乡镇账号查看"))


@login_required
@require_http_methods(["GET", "POST"])
def accident_new(request: HttpRequest) -> HttpResponse:
    _check_writer(request)
    form = AccidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            accident = accident_create(actor=request.user, data=form.service_data())
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"已登记事故“{accident.title}”（快报）")
            return redirect("accidents:accident_detail", pk=accident.pk)
    return _accident_form(request, form, "登记事故（快报）", None)


@login_required
@require_http_methods(["GET", "POST"])
def accident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    accident = accident_get(request.user, pk)
    _check_writer(request)
    form = AccidentForm(request.POST or None, user=request.user, editing=True, initial=_accident_initial(accident))
    if request.method == "POST" and form.is_valid():
        try:
            version = form.cleaned_data.get("version")
            accident_update(actor=request.user, accident=accident, data=form.service_data(), version=version)
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "事故信息已保存")
            return redirect("accidents:accident_detail", pk=accident.pk)
    return _accident_form(request, form, f"编辑：{accident.title}", accident)


def _accident_form(request: HttpRequest, form: AccidentForm, title: str, accident) -> HttpResponse:
    chosen = form["enterprise"].value() if form.is_bound else (accident.enterprise_id if accident else None)
    enterprise = accident.enterprise if accident and str(accident.enterprise_id) == str(chosen) else None
    if enterprise is None and str(chosen or "").isdigit():
        enterprise = enterprise_queryset(request.user).filter(pk=chosen).first()
    context = {"form": form, "title": title, "accident": accident, "enterprise": enterprise}
    return render(request, "accidents/accident_form.html", context)


def _accident_initial(accident) -> dict:
    names = ("title", "sector", "production_safety", "description", *ROAD_FACTORS)
    initial = {name: getattr(accident, name) for name in names} | _figures(accident)
    return initial | {"occurred_at": local_moment(accident.occurred_at), "region": accident.region_id}


@login_required
@require_POST
def accident_casualties(request: HttpRequest, pk: int) -> HttpResponse:
    """续报 from the detail page; the service enforces the 30-day / 7-day window."""
    accident = accident_get(request.user, pk)
    _check_writer(request)
    form = CasualtyReportForm(request.POST)
    if form.is_valid():
        data = form.service_data()
        note = data.pop("note", "")
        try:
            version = form.cleaned_data.get("version")
            accident_report(actor=request.user, accident=accident, figures=data, note=note, version=version)
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "续报已记录")
            return redirect("accidents:accident_detail", pk=accident.pk)
    return _detail(request, accident, form)


def _record_page(
    request, title: str, qs, columns, export_name: str, edit_name: str = "", import_name: str = ""
) -> HttpResponse:
    """A list of region-wide records; the write links only for a role that may write."""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"title": title, "page": page, "columns": columns, "query": query_without_page(request)}
    context.update(export_url=export_name, rows=[(o.pk, [(c.header, c.export(o)) for c in columns]) for o in page])
    can_write = can_write_records(request.user)
    context.update(
        edit_url=edit_name if can_write else "",
        new_url=edit_name.replace("_edit", "_new") if can_write and edit_name else "",
        import_url=import_name if can_write else "",
        can_open_dashboard=sees_whole_county(request.user),
    )
    return render(request, "accidents/records.html", context)


@login_required
@require_GET
def disaster_index(request: HttpRequest) -> HttpResponse:
    _check_region_reader(request)
    qs = disaster_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _record_page(
        request, "自然灾害", qs, io.DISASTER_COLUMNS, "accidents:disaster_export", "accidents:disaster_edit"
    )


@login_required
@require_GET
def disaster_export(request: HttpRequest) -> FileResponse:
    _check_region_reader(request)
    qs = disaster_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _xlsx("自然灾害", io.DISASTER_COLUMNS, qs.iterator(chunk_size=2000))


@login_required
@require_GET
def response_index(request: HttpRequest) -> HttpResponse:
    _check_region_reader(request)
    qs = response_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _record_page(
        request, "应急响应", qs, io.RESPONSE_COLUMNS, "accidents:response_export", "accidents:response_edit"
    )


@login_required
@require_GET
def response_export(request: HttpRequest) -> FileResponse:
    _check_region_reader(request)
    qs = response_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _xlsx("应急响应", io.RESPONSE_COLUMNS, qs.iterator(chunk_size=2000))


@login_required
@require_GET
def denominator_index(request: HttpRequest) -> HttpResponse:
    _check_region_reader(request)
    qs = denominator_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _record_page(
        request,
        "统计分母",
        qs,
        io.DENOMINATOR_COLUMNS,
        "accidents:denominator_export",
        import_name="accidents:denominator_import",
    )


@login_required
@require_GET
def denominator_export(request: HttpRequest) -> FileResponse:
    _check_region_reader(request)
    qs = denominator_list(request.user, request.GET.get("region", ""), request.GET.get("year", ""))
    return _xlsx("统计分母", io.DENOMINATOR_COLUMNS, qs.iterator(chunk_size=2000))


@login_required
@require_http_methods(["GET", "POST"])
def denominator_import(request: HttpRequest) -> HttpResponse:
    if not can_write_records(request.user):
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


@login_required
@require_http_methods(["GET", "POST"])
def disaster_new(request: HttpRequest) -> HttpResponse:
    _check_writer(request)
    form = DisasterForm(request.POST or None, user=request.user)
    return _save_record(
        request,
        form,
        "登记自然灾害",
        "accidents:disaster_list",
        lambda data, _: disaster_create(actor=request.user, data=data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disaster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    disaster = disaster_get(request.user, pk)
    _check_writer(request)
    names = ("title", "kind", "region_id", "affected", "deaths", "missing", "direct_loss", "version")
    initial = {name.removesuffix("_id"): getattr(disaster, name) for name in names}
    initial["occurred_on"] = disaster.occurred_on.isoformat()
    form = DisasterForm(request.POST or None, user=request.user, initial=initial)
    return _save_record(
        request,
        form,
        f"编辑：{disaster.title}",
        "accidents:disaster_list",
        lambda data, version: disaster_update(actor=request.user, disaster=disaster, data=data, version=version),
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_new(request: HttpRequest) -> HttpResponse:
    _check_writer(request)
    form = ResponseForm(request.POST or None, user=request.user, disasters=_recent_disasters(request))
    return _save_record(
        request,
        form,
        "登记应急响应",
        "accidents:response_list",
        lambda data, _: response_create(actor=request.user, data=data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_get(request.user, pk)
    _check_writer(request)
    initial = {"title": response.title, "region": response.region_id, "disaster": response.disaster_id or ""}
    initial.update(relief_needed=response.relief_needed, version=response.version)
    initial.update({name: local_moment(getattr(response, name)) for name in RESPONSE_CLOCK})
    disasters = _recent_disasters(request, keep=response.disaster)
    form = ResponseForm(request.POST or None, user=request.user, disasters=disasters, initial=initial)
    return _save_record(
        request,
        form,
        f"编辑：{response.title}",
        "accidents:response_list",
        lambda data, version: response_update(actor=request.user, response=response, data=data, version=version),
    )


def _recent_disasters(request: HttpRequest, keep=None) -> list:
    """The choices of a response's disaster: the latest 200 in scope, and the one already linked."""
    recent = list(disaster_list(request.user)[:200])
    return recent + [keep] if keep is not None and keep not in recent else recent


def _save_record(request: HttpRequest, form, title: str, list_name: str, save) -> HttpResponse:
    """The shared create/edit round trip of disasters and responses; `save(data, version)` calls the service."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.service_data(), form.cleaned_data.get("version"))
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "已保存")
            return redirect(list_name)
    return render(request, "accidents/record_form.html", {"form": form, "title": title, "list_url": list_name})
