"""The 防汛抗旱 pages: the overview (active warnings, overdue patrols, open 险情, today's zero
reports), risk points (with Excel), the patrol form for a phone, 险情, duty, warnings and
responses, resources and drought."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO as io_bytes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.core.bulk import export_response, import_page
from safeloop.core.docx import DOCX_CONTENT_TYPE
from safeloop.core.errors import ServiceError
from safeloop.core.forms import FormState, edited_version, posted, posted_version, submitted, with_files
from safeloop.core.scope import visible
from safeloop.flood import forms, io
from safeloop.flood.documents import alert_document
from safeloop.flood.models import Depot, Relief
from safeloop.flood.permissions import can_command, can_record, sees_flood
from safeloop.flood.selectors import (
    FloodFilters,
    alert_get,
    alert_list,
    covering_alerts,
    danger_get,
    danger_list,
    drought_list,
    duty_today,
    overdue_patrols,
    patrol_list,
    risk_point_get,
    risk_point_list,
    shortfalls,
    teams,
    zero_report_status,
)
from safeloop.flood.services import (
    alert_end,
    alert_start,
    alert_times,
    depot_create,
    drought_report,
    duty_log_write,
    evacuation_record,
    patrol_record,
    relief_record,
    relief_update,
    risk_point_create,
    risk_point_update,
    shift_set,
    stock_set,
    team_create,
    zero_report_submit,
)
from safeloop.flood.workflow import FLOW, available_actions, danger_act

PAGE_SIZE = 50
# What each event of a 险情 or a warning is called on its page.
EVENT_LABELS = {
    "report": gettext_lazy("巡查发现并报告"),
    "handle": gettext_lazy("开始处置"),
    "clear": gettext_lazy("解除险情"),
    "start": gettext_lazy("发布或启动"),
    "end": gettext_lazy("结束"),
    "correct": gettext_lazy("更正时间"),
    "evacuation": gettext_lazy("登记转移安置"),
    "relief": gettext_lazy("登记救灾物资"),
}


def _events(owner) -> list:
    events = list(owner.events.all())
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events


def _check_sees(request: HttpRequest) -> None:
    if not sees_flood(request.user):
        raise PermissionDenied(_("防汛抗旱信息属地管理，由市、县区和乡镇账号查看"))


def _check_records(request: HttpRequest) -> None:
    _check_sees(request)
    if not can_record(request.user):
        raise PermissionDenied(_("您的角色不能登记防汛抗旱信息"))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _check_sees(request)
    user = request.user
    context = {
        "alerts": covering_alerts(user),
        "overdue": overdue_patrols(user),
        "dangers": list(danger_list(user, open_only=True)[:50]),
        "zero": zero_report_status(user),
        "now": timezone.now(),
        "can_record": can_record(user),
        "can_command": can_command(user),
    }
    return render(request, "flood/index.html", context)


@login_required
@require_GET
def points(request: HttpRequest) -> HttpResponse:
    _check_sees(request)
    filters = FloodFilters.from_params(request.GET)
    page = Paginator(risk_point_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "flood/points.html", {"page": page, "filters": filters, "can_record": can_record(request.user)}
    )


@login_required
@require_GET
def point_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, io.RISK_POINT_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def point_import(request: HttpRequest) -> HttpResponse:
    _check_records(request)
    return import_page(request, io.RISK_POINT_IMPORT, "flood/point_import.html")


@login_required
@require_GET
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _check_sees(request)
    point = risk_point_get(request.user, pk)
    context = {
        "point": point,
        "patrols": point.patrols.order_by("-patrolled_at")[:20],
        "dangers": point.dangers.all()[:20],
        "can_record": can_record(request.user),
    }
    return render(request, "flood/point_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def point_new(request: HttpRequest) -> HttpResponse:
    _check_records(request)
    form = forms.point_form(request.user, posted(request))
    if request.method == "POST":
        point = submitted(form, risk_point_create, actor=request.user)
        if point is not None:
            messages.success(request, _("已登记风险点“{name}”").format(name=point.name))
            return redirect("flood:point_detail", pk=point.pk)
    return render(request, "flood/form.html", {"form": form, "title": _("登记风险点")}, status=form.status)


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _check_sees(request)
    point = risk_point_get(request.user, pk)
    _check_records(request)
    form = forms.point_form(request.user, posted(request), point)
    if request.method == "POST":
        version = posted_version(request.POST)
        if submitted(form, risk_point_update, actor=request.user, point=point, version=version):
            messages.success(request, _("风险点已保存"))
            return redirect("flood:point_detail", pk=point.pk)
    context = {
        "form": form,
        "title": _("编辑：{name}").format(name=point.name),
        "version": edited_version(request, point),
    }
    return render(request, "flood/form.html", context, status=form.status)


@login_required
@require_http_methods(["GET", "POST"])
def patrol_new(request: HttpRequest) -> HttpResponse:
    """The patrol form for a phone: a plain multipart POST form (an offline queue may hold it)."""
    _check_records(request)
    form = with_files(forms.patrol_form(request.user, posted(request), request.GET.get("point", "")), request, "photos")
    if request.method == "POST":
        if request.POST.get("captured_at"):  # offline: the phone's time of the patrol (docs/offline.md)
            form.data["captured_at"] = request.POST["captured_at"]
        patrol = submitted(form, patrol_record, actor=request.user)
        if patrol is not None:
            if hasattr(patrol, "danger"):
                messages.warning(
                    request, _("巡查发现险情，已生成险情 {code} 并报告县级防指").format(code=patrol.danger.code)
                )
                return redirect("flood:danger_detail", pk=patrol.danger.pk)
            messages.success(request, _("巡查记录已保存"))
            return redirect("flood:point_detail", pk=patrol.risk_point_id)
    return render(request, "flood/patrol_form.html", {"form": form}, status=form.status)


@login_required
@require_GET
def patrols(request: HttpRequest) -> HttpResponse:
    _check_sees(request)
    filters = FloodFilters.from_params(request.GET)
    page = Paginator(patrol_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "flood/patrols.html", {"page": page})


@login_required
@require_GET
def danger_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _check_sees(request)
    danger = danger_get(request.user, pk)
    return _danger_page(request, danger, {})


def _danger_page(request: HttpRequest, danger, failed: dict, status: int = 200) -> HttpResponse:
    actions = [
        (t, failed.get(t.action) or FormState.of_page(t.fields, None, {}, prefix=t.action))
        for t in available_actions(request.user, danger)
    ]
    context = {"danger": danger, "events": _events(danger), "actions": actions, "now": timezone.now()}
    return render(request, "flood/danger_detail.html", context, status=status)


@login_required
@require_POST
def danger_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _check_sees(request)
    danger = danger_get(request.user, pk)
    t = FLOW.transition(action)
    if t is None:
        raise Http404
    form = FormState.posted(t.fields, request.POST, prefix=action)
    try:
        danger_act(
            pk=danger.pk, actor=request.user, action=action, version=posted_version(request.POST), data=form.data
        )
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        form.fail(exc)
        return _danger_page(request, danger_get(request.user, pk), {action: form}, status=exc.status)
    messages.success(request, _("已{action}").format(action=t.label))
    return redirect("flood:danger_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def zero_reports(request: HttpRequest) -> HttpResponse:
    """Today's (or ?day=) zero reports: who reported, who has not (by the deadline); a township
    reports here."""
    _check_sees(request)
    form = forms.zero_form(request.user, posted(request))
    status = 200
    if request.method == "POST":
        _check_records(request)
        report = submitted(form, zero_report_submit, actor=request.user)
        if report is not None:
            messages.success(
                request, _("{township}{day}的报告已提交").format(township=report.region.name, day=report.on_date)
            )
            return redirect("flood:zero_reports")
        status = form.status
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else None
    except ValueError:
        day = None
    zero = zero_report_status(request.user, day)
    context = {"zero": zero, "form": form, "can_record": can_record(request.user)}
    context["previous_day"] = zero.day - timedelta(days=1)
    context["next_day"] = zero.day + timedelta(days=1) if zero.day < timezone.localdate() else None
    context["reports_as_township"] = request.user.role == "township"
    return render(request, "flood/zero_reports.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def duty(request: HttpRequest) -> HttpResponse:
    _check_sees(request)
    shift = forms.shift_form(request.user, posted(request) if request.POST.get("form") == "shift" else None)
    log = forms.log_form(request.user, posted(request) if request.POST.get("form") == "log" else None)
    status = 200
    if request.method == "POST":
        _check_records(request)
        form, save = (shift, shift_set) if request.POST.get("form") == "shift" else (log, duty_log_write)
        if submitted(form, save, actor=request.user) is not None:
            messages.success(request, _("已保存"))
            return redirect("flood:duty")
        status = form.status
    context = duty_today(request.user) | {"shift_form": shift, "log_form": log, "can_record": can_record(request.user)}
    return render(request, "flood/duty.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    _check_sees(request)
    form = forms.alert_form(request.user, posted(request))
    if request.method == "POST":
        if not can_command(request.user):
            raise PermissionDenied(_("预警、应急响应和险情处置由县（市、区）或市级账号办理"))
        alert = submitted(form, alert_start, actor=request.user)
        if alert is not None:
            messages.success(request, _("已发布：{title}").format(title=alert.title))
            return redirect("flood:alert_detail", pk=alert.pk)
    context = {"alerts": alert_list(request.user)[:100], "form": form, "can_command": can_command(request.user)}
    return render(request, "flood/alerts.html", context, status=form.status)


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _check_sees(request)
    return _alert_page(request, alert_get(request.user, pk), {})


def _alert_page(request: HttpRequest, alert, failed: dict, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "alert": alert,
        "events": _events(alert),
        "evacuations": alert.evacuations.select_related("region"),
        "reliefs": alert.reliefs.select_related("region"),
        "end_form": failed.get("end") or forms.end_form(None),
        "times_form": failed.get("times") or forms.times_form(None, alert),
        "evac_form": failed.get("evacuation") or forms.evacuation_form(user, None),
        "relief_form": failed.get("relief") or forms.relief_form(user, None),
        "can_command": can_command(user),
        "can_record": can_record(user),
    }
    return render(request, "flood/alert_detail.html", context, status=status)


@login_required
@require_GET
def alert_file(request: HttpRequest, pk: int) -> FileResponse:
    """The warning's or response's document (.docx)."""
    _check_sees(request)
    alert = alert_get(request.user, pk)
    name = _("{code}-{title}.docx").format(code=alert.code, title=alert.title)
    return FileResponse(
        io_bytes(alert_document(alert)), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE
    )


@login_required
@require_POST
def alert_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _check_sees(request)
    alert = alert_get(request.user, pk)
    user, post = request.user, request.POST
    builders = {
        "end": (
            lambda: forms.end_form(post),
            lambda data: alert_end(actor=user, alert_id=pk, data=data, version=posted_version(post)),
        ),
        "times": (
            lambda: forms.times_form(post, alert),
            lambda data: alert_times(actor=user, alert_id=pk, data=data, version=posted_version(post)),
        ),
        "evacuation": (
            lambda: forms.evacuation_form(user, post),
            lambda data: evacuation_record(actor=user, alert_id=pk, data=data),
        ),
        "relief": (
            lambda: forms.relief_form(user, post),
            lambda data: relief_record(actor=user, alert_id=pk, data=data),
        ),
    }
    if action not in builders:
        raise Http404
    build, save = builders[action]
    form = build()
    if submitted(form, save) is None:
        return _alert_page(request, alert_get(user, pk), {action: form}, status=form.status)
    messages.success(request, _("已保存"))
    return redirect("flood:alert_detail", pk=pk)


@login_required
@require_POST
def relief_distributed(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a delivery was handed out (its time: now, or the time typed)."""
    _check_sees(request)
    relief = visible(request.user, Relief.objects.all()).filter(pk=pk).first()
    if relief is None:
        raise Http404
    data = {"distributed_at": request.POST.get("distributed_at") or timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    try:
        relief_update(actor=request.user, relief_id=pk, data=data)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    return redirect("flood:alert_detail", pk=relief.alert_id)


RESOURCE_FORMS = {
    "depot": (forms.depot_form, depot_create),
    "stock": (forms.stock_form, stock_set),
    "team": (forms.team_form, team_create),
}


@login_required
@require_http_methods(["GET", "POST"])
def resources(request: HttpRequest) -> HttpResponse:
    """Depots with their stock, rescue teams, and the townships short of the minimum stock;
    a recorder adds a depot or a team and counts the stock here."""
    _check_sees(request)
    user, which = request.user, request.POST.get("form", "")
    built = {
        name: build(user, posted(request) if which == name else None) for name, (build, _save) in RESOURCE_FORMS.items()
    }
    status = 200
    if request.method == "POST":
        _check_records(request)
        if which not in RESOURCE_FORMS:
            raise Http404
        if submitted(built[which], RESOURCE_FORMS[which][1], actor=user) is not None:
            messages.success(request, _("已保存"))
            return redirect("flood:resources")
        status = built[which].status
    depots = visible(user, Depot.objects.select_related("region").prefetch_related("stock"))
    context = {"depots": depots[:200], "shortfalls": shortfalls(user), "teams": teams(user)[:200]}
    context |= {"forms": built, "can_record": can_record(user)}
    return render(request, "flood/resources.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def drought(request: HttpRequest) -> HttpResponse:
    _check_sees(request)
    form = forms.drought_form(request.user, posted(request))
    if request.method == "POST":
        _check_records(request)
        if submitted(form, drought_report, actor=request.user) is not None:
            messages.success(request, _("旱情已保存"))
            return redirect("flood:drought")
    context = {"reports": drought_list(request.user)[:200], "form": form, "can_record": can_record(request.user)}
    return render(request, "flood/drought.html", context, status=form.status)
