"""Pages: the public report form (per enterprise from its QR code, and city-wide), the tracking
page (no sign-in, throttled); the handlers' list and detail with the triage actions; the reward
mechanism per enterprise; the compliance statistics and their Excel export."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.core.errors import ServiceError, Throttled
from safeloop.core.evidence import evidence_response
from safeloop.core.forms import FormState, posted
from safeloop.core.http import client_address
from safeloop.enforcement.models import ClueKind
from safeloop.registry.models import Enterprise, Region, RegionLevel
from safeloop.registry.selectors import enterprise_by_public_code
from safeloop.reporting.fields import SUBMIT_FIELDS, Who
from safeloop.reporting.models import Channel, ReportStatus
from safeloop.reporting.permissions import can_open_reports
from safeloop.reporting.public import progress_of
from safeloop.reporting.selectors import identity_for, report_for, report_list
from safeloop.reporting.services import progress_lookup, report_escalate, report_submit
from safeloop.reporting.workflow import REPORT_FLOW, available_actions, report_act

SESSION_CODE = "reporting-last-code"


def township_options() -> list[tuple[str, list[tuple[str, str]]]]:
    """Townships grouped by county, for the city-wide form."""
    rows = Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent").order_by("code")
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in rows:
        groups.setdefault(region.parent.name if region.parent else "", []).append((region.code, region.name))
    return list(groups.items())


def _form_specs(enterprise: Enterprise | None) -> list[Any]:
    hidden = {"enterprise_code"} | ({"township", "enterprise_name"} if enterprise else {"named_to_enterprise"})
    return [spec for spec in SUBMIT_FIELDS if spec.name not in hidden]


def _report_form(request: HttpRequest, enterprise: Enterprise | None, channels: Any = ()) -> HttpResponse:
    post = posted(request)
    specs = _form_specs(enterprise)
    initial = {"reporter": Who.CITIZEN}
    form = FormState(specs, data=initial, options={"township": township_options()} if enterprise is None else {})
    status = 200
    if post is not None:
        form = FormState.posted(specs, post, options=form.options)
        data = {**form.data, "photos": request.FILES.getlist("photos")}
        if enterprise is not None:
            data["enterprise_code"] = enterprise.public_code
        try:
            report = report_submit(data=data, address=client_address(request))
        except ServiceError as exc:
            form.fail(exc)
            status = 429 if isinstance(exc, Throttled) else exc.status
        else:
            request.session[SESSION_CODE] = report.code
            return redirect("reporting:public_done")
    context = {"form": form, "enterprise": enterprise, "channels": channels}
    response = render(request, "reporting/public_form.html", context, status=status)
    if status == 429 and form.message:
        response["Retry-After"] = "60"
    return response


def enterprise_report_page(request: HttpRequest, enterprise: Enterprise, channels: Any = ()) -> HttpResponse:
    """The answer of the enterprise's QR code (workbench.codes) to whoever is not its regulator:
    the report form for this enterprise; it posts to `public_enterprise`."""
    return _report_form(request, enterprise, channels)


@require_http_methods(["GET", "POST"])
def public_enterprise(request: HttpRequest, code: str) -> HttpResponse:
    found = enterprise_by_public_code(code)
    if found is None:
        raise Http404
    return _report_form(request, found)


@require_http_methods(["GET", "POST"])
def public_new(request: HttpRequest) -> HttpResponse:
    """The city-wide form: the reporter names the township (no enterprise code)."""
    return _report_form(request, None)


@require_GET
def public_done(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_CODE)
    if not code:
        return redirect("reporting:public_track")
    return render(request, "reporting/public_done.html", {"code": code})


@require_http_methods(["GET", "POST"])
def public_track(request: HttpRequest) -> HttpResponse:
    """The code is posted, never put in an address (it would stay in histories and logs)."""
    progress, error, typed, status, notice = None, "", "", 200, ""
    if request.method == "POST":
        typed = (request.POST.get("code") or "").strip()[:20]
        escalate = request.POST.get("escalate") == "1"
        try:
            if escalate:
                report_escalate(code=typed, address=client_address(request))
                notice = _("已转报属地乡镇（街道），请凭查询码继续查看处理进度")
            report = progress_lookup(code=typed, address=client_address(request))
        except Throttled as exc:
            error, status = exc.message, 429
        except ServiceError as exc:
            error, status, report = exc.message, exc.status, None
        else:
            if report is None:
                error, status = _("没有找到该查询码对应的报告，请核对后重新输入"), 404
            else:
                progress = progress_of(report)
    context = {"progress": progress, "error": error, "typed": typed, "notice": notice}
    return render(request, "reporting/public_track.html", context, status=status)


# ---------------------------------------------------------------- staff pages

STATUSES = ReportStatus.choices
CHANNELS = Channel.choices


def _day(value: str | None) -> date | None:
    """A date filter of the list (the briefings' drill-down); a bad one is ignored."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _page(request: HttpRequest, qs: Any, size: int = 50) -> Any:
    return Paginator(qs, size).get_page(request.GET.get("page"))


@login_required
@require_GET
def report_list_page(request: HttpRequest) -> HttpResponse:
    if not can_open_reports(request.user):
        raise PermissionDenied(_("专家不参与隐患报告的处理"))
    status = request.GET.get("status", "") if request.GET.get("status") in ReportStatus.values else ""
    channel = request.GET.get("channel", "") if request.GET.get("channel") in Channel.values else ""
    overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    region = request.GET.get("region", "")
    qs = report_list(
        request.user,
        status=status,
        channel=channel,
        region=region if region.isdigit() and len(region) in (6, 9, 12) else "",
        overdue=overdue,
        today=today,
        received_from=_day(request.GET.get("received_from")),
        received_to=_day(request.GET.get("received_to")),
    )
    context = {
        "page": _page(request, qs),
        "status": status,
        "channel": channel,
        "overdue": overdue,
        "statuses": STATUSES,
        "channels": CHANNELS,
        "today": today,
    }
    return render(request, "reporting/list.html", context)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request.user, pk)
    if report is None:
        raise Http404
    failed = request.session.pop(f"report-errors-{pk}", None)
    forms = []
    for t in available_actions(request.user, report):
        refused = failed is not None and failed["action"] == t.action
        options = (
            {"clue_kind": list(ClueKind.objects.values_list("code", "name"))} if t.action == "refer_illegal" else {}
        )
        form = FormState(t.fields, data=failed["data"] if refused else {}, prefix=t.action, options=options)
        if refused:
            form.fail(ServiceError(failed["message"], fields=failed["fields"]))
        forms.append((t, form))
    context = {
        "report": report,
        "identity": identity_for(request.user, report),
        "actions": forms,
        "error": failed["message"] if failed else "",
        "events": _history(report),
        "photos": report.photos.all(),
        "progress": progress_of(report),
    }
    return render(request, "reporting/detail.html", context)


def _history(report: Any) -> list[tuple[Any, str, str]]:
    """Each event with its action and actor in words (the submission is the reporter's)."""
    labels = {"submit": _("提交报告"), **{k: str(v) for k, v in REPORT_FLOW.labels.items()}}
    return [
        (e, labels.get(e.action, _("其他办理")), _("报告人") if e.action == "submit" else e.actor_name)
        for e in report.events.order_by("seq")
    ]


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version")}
    try:
        report_act(report_id=pk, actor=request.user, action=action, version=request.POST.get("version"), data=data)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        request.session[f"report-errors-{pk}"] = {
            "action": action,
            "data": data,
            "message": exc.message,
            "fields": exc.fields,
        }
    else:
        messages.success(request, _("已办理"))
    return redirect("reporting:detail", pk=pk)


@login_required
@require_GET
def report_photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    """A report's photo, for whoever sees the report (else 404); always an attachment."""
    report = report_for(request.user, pk)
    photo = report.photos.filter(pk=photo_id).first() if report is not None else None
    if photo is None:
        raise Http404
    return evidence_response(name=photo.file, content_type=photo.content_type, original_name=photo.original_name)
