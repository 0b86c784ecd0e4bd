"""The regulators' pages: mechanism compliance (rates by county or category, year on year, the
late list, Excel), one enterprise's mechanism (view and edit), and the reports' statistics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safeloop.accounts.models import Role, User
from safeloop.core.errors import ServiceError
from safeloop.core.evidence import evidence_response
from safeloop.core.forms import FormState
from safeloop.core.security_log import SecurityKind, SecurityResult, record
from safeloop.core.xlsx import XLSX_CONTENT_TYPE, Column
from safeloop.core.xlsx_write import workbook_file
from safeloop.reporting.fields import MECHANISM_FIELDS, POLICY_FIELDS
from safeloop.reporting.models import MechanismDocument, ReportingPolicy
from safeloop.reporting.selectors import mechanism_enterprise, mechanism_of, phase_of, policy_for
from safeloop.reporting.services import (
    may_edit_mechanism,
    may_set_policy,
    mechanism_document_add,
    mechanism_put,
    policy_put,
)
from safeloop.reporting.stats import (
    GROUPS,
    late_enterprises,
    may_see_stats,
    report_figures,
    reward_totals,
    state_of,
)
from safeloop.reporting.stats import (
    compliance as compliance_of,
)


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2024 <= year <= today.year else today.year


def _require_stats(user: Any) -> None:
    if not may_see_stats(user):
        raise PermissionDenied(_("奖励机制建立情况由监管部门查看"))


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    _require_stats(request.user)
    today = timezone.localdate()
    year = _year(request)
    by = request.GET.get("by") if request.GET.get("by") in GROUPS else "county"
    result = compliance_of(request.user, year=year, by=by, today=today)
    late = Paginator(late_enterprises(request.user, today=today), 50).get_page(request.GET.get("page"))
    context = {
        "c": result,
        "late": late,
        "by": by,
        "year": year,
        "years": list(range(today.year, 2023, -1)),
        "rewards": list(reward_totals(request.user, year=year)[:20]),
    }
    return render(request, "reporting/compliance.html", context)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


COMPLIANCE_COLUMNS = [
    Column("分组", "label", lambda r: r.label, 24),
    Column("企业数", "total", lambda r: r.tally.total),
    Column("已建立", "established", lambda r: r.tally.established),
    Column("建立率", "rate", lambda r: _pct(r.tally.rate)),
    Column("逾期未建立", "late", lambda r: r.tally.late),
    Column("上年末建立率", "rate_before", lambda r: _pct(r.tally.rate_before)),
    Column("同比变化（百分点）", "change", lambda r: "" if r.tally.change is None else f"{r.tally.change * 100:+.1f}"),
]


@login_required
@require_GET
def compliance_export(request: HttpRequest) -> FileResponse:
    _require_stats(request.user)
    year = _year(request)
    by = request.GET.get("by") if request.GET.get("by") in GROUPS else "county"
    result = compliance_of(request.user, year=year, by=by, today=timezone.localdate())
    title = _("内部报告奖励机制建立情况")
    record(SecurityKind.EXPORT, request=request, result=SecurityResult.SUCCESS, detail={"title": title, "year": year})
    return FileResponse(
        workbook_file(title, COMPLIANCE_COLUMNS, result.rows),
        as_attachment=True,
        filename=f"{title}{year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mechanism_page(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = mechanism_enterprise(request.user, enterprise_id)
    if enterprise is None:
        raise Http404
    mechanism = mechanism_of(enterprise)
    editable = may_edit_mechanism(request.user, enterprise)
    handlers = User.objects.filter(role=Role.ENTERPRISE, enterprise=enterprise, is_active=True)
    options = {"handler": [(str(u.pk), str(u)) for u in handlers]}
    form = FormState.of(MECHANISM_FIELDS, mechanism or {}, options=options)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("奖励机制由企业本身或其属地、行业监管部门填报"))
        form = FormState.posted(MECHANISM_FIELDS, request.POST, options=options)
        try:
            if request.FILES.get("document"):
                mechanism_document_add(
                    actor=request.user, enterprise_id=enterprise.pk, upload=request.FILES["document"]
                )
            data = {**form.data, "version": request.POST.get("version")}
            mechanism_put(actor=request.user, enterprise_id=enterprise.pk, data=data)
        except ServiceError as exc:
            form.fail(exc)
        else:
            messages.success(request, _("奖励机制信息已保存"))
            return redirect("reporting:mechanism", enterprise_id=enterprise.pk)
    state, state_label = state_of(enterprise, timezone.localdate())
    context = {
        "enterprise": enterprise,
        "mechanism": mechanism,
        "form": form,
        "editable": editable,
        "phase": phase_of(enterprise),
        "state": state,
        "state_label": state_label,
        "documents": mechanism.documents.all() if mechanism else [],
    }
    return render(request, "reporting/mechanism.html", context)


@login_required
@require_GET
def mechanism_document(request: HttpRequest, enterprise_id: int, document_id: int) -> HttpResponse:
    """A file of the mechanism, for whoever sees the enterprise (else 404); always an attachment."""
    enterprise = mechanism_enterprise(request.user, enterprise_id)
    found = (
        MechanismDocument.objects.filter(pk=document_id, mechanism__enterprise=enterprise).first()
        if enterprise is not None
        else None
    )
    if found is None:
        raise Http404
    return evidence_response(name=found.file, content_type=found.content_type, original_name=found.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def policy_page(request: HttpRequest) -> HttpResponse:
    """The deadlines and reward standard of the user's own region (city or county)."""
    if not may_set_policy(request.user):
        raise PermissionDenied(_("报告处理期限和奖励标准由市、县两级安委办设定"))
    user: Any = request.user
    policy = ReportingPolicy.objects.filter(region_id=user.region_id).first()
    form, status = FormState.of(POLICY_FIELDS, policy or {}), 200
    if request.method == "POST":
        form = FormState.posted(POLICY_FIELDS, request.POST)
        try:
            policy_put(actor=user, data={**form.data, "version": request.POST.get("version")})
        except ServiceError as exc:
            form.fail(exc)
            status = exc.status
        else:
            messages.success(request, _("标准已保存"))
            return redirect("reporting:policy")
    applying = policy_for(user.region_id)
    context = {"form": form, "policy": policy, "applying": applying, "region": user.region}
    return render(request, "reporting/policy.html", context, status=status)


@login_required
@require_GET
def report_statistics(request: HttpRequest) -> HttpResponse:
    _require_stats(request.user)
    year = _year(request)
    today = timezone.localdate()
    figures = report_figures(request.user, year=year, today=today)
    context = {"f": figures, "year": year, "years": list(range(today.year, 2023, -1))}
    return render(request, "reporting/statistics.html", context)
