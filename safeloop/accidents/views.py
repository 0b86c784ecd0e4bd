from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.accidents import io
from safeloop.accidents.fields import ROAD_FACTORS
from safeloop.accidents.forms import accident_form, casualty_form, disaster_form, response_form
from safeloop.accidents.permissions import can_write_records, sees_whole_county, sees_whole_region
from safeloop.accidents.reference import sector_choices
from safeloop.accidents.selectors import (
    AccidentFilters,
    RecordFilters,
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
from safeloop.core.bulk import export_response, import_page
from safeloop.core.filters import refused_status
from safeloop.core.forms import FormState, edited_version, posted, posted_version, submitted
from safeloop.core.http import query_without_page
from safeloop.core.links import record_links
from safeloop.core.rows import detail_url
from safeloop.core.xlsx import shown
from safeloop.registry.pickers import list_pickers
from safeloop.registry.selectors import enterprise_named, year_options

PAGE_SIZE = 50


@login_required
@require_GET
def accident_index(request: HttpRequest) -> HttpResponse:
    filters = AccidentFilters.from_params(request.GET)
    page = Paginator(accident_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    url = detail_url("accidents:accident_detail")
    page.object_list = list(page.object_list)
    for accident in page.object_list:  # one reverse() for the page
        accident.url = url(accident.pk)
    context = {"page": page, "filters": filters, "query": query_without_page(request)}
    context.update(list_pickers(request.user, "regions", selected_region=filters.region))
    context.update(years=year_options(localdate(), filters.year))
    context.update(sectors=sector_choices(), grades=io.GRADES, can_write=can_write_records(request.user))
    context.update(sees_region=sees_whole_region(request.user), can_open_dashboard=sees_whole_county(request.user))
    return render(request, "accidents/accident_list.html", context, status=refused_status(filters))


@login_required
@require_GET
def accident_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, io.ACCIDENT_EXPORT)


@login_required
@require_GET
def accident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    accident = accident_get(request.user, pk)
    return _detail(request, accident, casualty_form(None, accident))


def _detail(request: HttpRequest, accident, report_form: FormState) -> HttpResponse:
    context = {"accident": accident, "reports": accident.reports.all(), "deadline": re_report_deadline(accident)}
    context["links"] = record_links(request.user, accident)
    context.update(report_form=report_form, version=edited_version(request, accident))
    return render(request, "accidents/accident_detail.html", context | {"can_write": can_write_records(request.user)})


def _check_writer(request: HttpRequest) -> None:
    if not can_write_records(request.user):
        raise PermissionDenied(_("您的角色不能登记或修改事故、灾害和应急响应"))


@login_required
@require_http_methods(["GET", "POST"])
def accident_new(request: HttpRequest) -> HttpResponse:
    _check_writer(request)
    form = accident_form(request.user, posted(request))
    if request.method == "POST":
        accident = submitted(form, accident_create, actor=request.user)
        if accident is not None:
            messages.success(request, _("已登记事故“{title}”（快报）").format(title=accident.title))
            return redirect("accidents:accident_detail", pk=accident.pk)
    return _accident_form(request, form, _("登记事故（快报）"), None)


@login_required
@require_http_methods(["GET", "POST"])
def accident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    accident = accident_get(request.user, pk)
    _check_writer(request)
    form = accident_form(request.user, posted(request), accident)
    if request.method == "POST":
        version = posted_version(request.POST)
        if submitted(form, accident_update, actor=request.user, accident=accident, version=version):
            messages.success(request, _("事故信息已保存"))
            return redirect("accidents:accident_detail", pk=accident.pk)
    return _accident_form(request, form, _("编辑：{title}").format(title=accident.title), accident)


def _accident_form(request: HttpRequest, form: FormState, title: str, accident) -> HttpResponse:
    enterprise = enterprise_named(request.user, form["enterprise"].value)
    context = {"form": form, "title": title, "accident": accident, "enterprise": enterprise}
    context.update(main=form.omit((*ROAD_FACTORS, "enterprise", "note")), road=form.pick(ROAD_FACTORS))
    return render(request, "accidents/accident_form.html", context | {"version": edited_version(request, accident)})


@login_required
@require_POST
def accident_casualties(request: HttpRequest, pk: int) -> HttpResponse:
    """续报 from the detail page; the service enforces the 30-day / 7-day window."""
    accident = accident_get(request.user, pk)
    _check_writer(request)
    form = casualty_form(request.POST, accident)
    version = posted_version(request.POST)
    if submitted(form, _casualty_report, actor=request.user, accident=accident, version=version):
        messages.success(request, _("续报已记录"))
        return redirect("accidents:accident_detail", pk=accident.pk)
    return _detail(request, accident, form)


def _casualty_report(*, data, **kwargs):
    figures = dict(data)
    return accident_report(figures=figures, note=figures.pop("note", ""), **kwargs)


def _check_region_reader(request: HttpRequest) -> None:
    if not sees_whole_region(request.user):
        raise PermissionDenied(_("自然灾害、应急响应和统计分母是属地全口径数据，由市、县区和乡镇账号查看"))


def _record_page(
    request,
    title: str,
    filters: RecordFilters,
    qs,
    columns,
    export_name: str,
    edit_name: str = "",
    import_name: str = "",
) -> HttpResponse:
    """A list of region-wide records; the write links only for a role that may write."""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"title": title, "page": page, "columns": columns, "query": query_without_page(request)}
    context["filters"] = filters
    context.update(
        export_url=export_name, rows=[(o.pk, [(c.header, shown(c.export(o))) for c in columns]) for o in page]
    )
    can_write = can_write_records(request.user)
    context.update(
        edit_url=edit_name if can_write else "",
        new_url=edit_name.replace("_edit", "_new") if can_write and edit_name else "",
        import_url=import_name if can_write else "",
        can_open_dashboard=sees_whole_county(request.user),
    )
    return render(request, "accidents/records.html", context, status=refused_status(filters))


@login_required
@require_GET
def disaster_index(request: HttpRequest) -> HttpResponse:
    _check_region_reader(request)
    filters = RecordFilters.from_params(request.GET)
    qs = disaster_list(request.user, filters)
    return _record_page(
        request, _("自然灾害"), filters, qs, io.DISASTER_COLUMNS, "accidents:disaster_export", "accidents:disaster_edit"
    )


@login_required
@require_GET
def disaster_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, io.DISASTER_EXPORT)


@login_required
@require_GET
def response_index(request: HttpRequest) -> HttpResponse:
    _check_region_reader(request)
    filters = RecordFilters.from_params(request.GET)
    qs = response_list(request.user, filters)
    return _record_page(
        request, _("应急响应"), filters, qs, io.RESPONSE_COLUMNS, "accidents:response_export", "accidents:response_edit"
    )


@login_required
@require_GET
def response_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, io.RESPONSE_EXPORT)


@login_required
@require_GET
def denominator_index(request: HttpRequest) -> HttpResponse:
    _check_region_reader(request)
    filters = RecordFilters.from_params(request.GET)
    qs = denominator_list(request.user, filters)
    return _record_page(
        request,
        _("统计分母"),
        filters,
        qs,
        io.DENOMINATOR_COLUMNS,
        "accidents:denominator_export",
        import_name="accidents:denominator_import",
    )


@login_required
@require_GET
def denominator_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, io.DENOMINATOR_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def denominator_import(request: HttpRequest) -> HttpResponse:
    if not can_write_records(request.user):
        raise PermissionDenied(_("您的角色不能录入统计分母"))
    return import_page(request, io.DENOMINATOR_IMPORT, "accidents/denominator_import.html")


@login_required
@require_http_methods(["GET", "POST"])
def disaster_new(request: HttpRequest) -> HttpResponse:
    _check_writer(request)
    form = disaster_form(request.user, posted(request))
    save = partial(disaster_create, actor=request.user)
    return _save_record(request, form, _("登记自然灾害"), "accidents:disaster_list", save)


@login_required
@require_http_methods(["GET", "POST"])
def disaster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    disaster = disaster_get(request.user, pk)
    _check_writer(request)
    form = disaster_form(request.user, posted(request), disaster)
    save = partial(disaster_update, actor=request.user, disaster=disaster)
    title = _("编辑：{title}").format(title=disaster.title)
    return _save_record(request, form, title, "accidents:disaster_list", save, disaster)


@login_required
@require_http_methods(["GET", "POST"])
def response_new(request: HttpRequest) -> HttpResponse:
    _check_writer(request)
    form = response_form(request.user, posted(request), _recent_disasters(request))
    save = partial(response_create, actor=request.user)
    return _save_record(request, form, _("登记应急响应"), "accidents:response_list", save)


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int) -> HttpResponse:
    response = response_get(request.user, pk)
    _check_writer(request)
    disasters = _recent_disasters(request, keep=response.disaster)
    form = response_form(request.user, posted(request), disasters, response)
    save = partial(response_update, actor=request.user, response=response)
    title = _("编辑：{title}").format(title=response.title)
    return _save_record(request, form, title, "accidents:response_list", save, response)


def _recent_disasters(request: HttpRequest, keep=None) -> list:
    """The choices of a response's disaster: the latest 200 in scope, and the one already linked."""
    recent = list(disaster_list(request.user)[:200])
    return recent + [keep] if keep is not None and keep not in recent else recent


def _save_record(request: HttpRequest, form: FormState, title: str, list_name: str, save, record=None) -> HttpResponse:
    """The create/edit round trip of disasters and responses; `save(data=…)` calls the service."""
    if request.method == "POST":
        version = {"version": posted_version(request.POST)} if record else {}
        if submitted(form, save, **version):
            messages.success(request, _("已保存"))
            return redirect(list_name)
    context = {"form": form, "title": title, "list_url": list_name, "record": record}
    return render(request, "accidents/record_form.html", context | {"version": edited_version(request, record)})
