"""Pages: inspections (list with Excel export, new, detail with the findings form and actions),
the check-in at the gate (扫码入企, routed from the enterprise code), plans with monthly progress,
draws and their public result (公开), burden control per enterprise (为企业减负)."""

from __future__ import annotations

from io import BytesIO as io_bytes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.accounts.models import User
from safeloop.checklists.selectors import applicable_clauses
from safeloop.core.bulk import export_response
from safeloop.core.docx import DOCX_CONTENT_TYPE
from safeloop.core.errors import ServiceError, refusal_shown
from safeloop.core.fields import FieldSpec, Kind
from safeloop.core.filters import refused_status
from safeloop.core.forms import FormState, posted, submitted
from safeloop.core.http import query_without_page
from safeloop.core.inputs import Inputs
from safeloop.core.scope import NotVisible
from safeloop.enforcement.models import ClueKind
from safeloop.inspections import io
from safeloop.inspections.documents import site_record
from safeloop.inspections.fields import DRAW_FIELDS, INSPECTION_FIELDS, PLAN_FIELDS
from safeloop.inspections.models import ParticipantRole, Status
from safeloop.inspections.selectors import (
    GAP_MONTHS,
    InspectionFilters,
    bodies_for,
    burden,
    burden_ranking,
    draw_detail,
    draws_visible,
    inspection_detail,
    inspection_list,
    inspection_rows,
    is_no_disturb,
    key_not_inspected,
    may_inspect,
    no_disturb,
    officer_choices,
    open_inspections_at,
    plan_progress,
    plans_visible,
    public_draw,
    statistics,
)
from safeloop.inspections.services import draw_create, draw_verify, inspection_create, joint_proposal, plan_create
from safeloop.inspections.workflow import FLOW, inspection_act
from safeloop.registry.models import Enterprise
from safeloop.registry.selectors import enterprise_queryset

PAGE_SIZE = 50
EVENT_LABELS = {"create": gettext_lazy("登记检查")}
# 必查项 of every inspection (应急〔2025〕11号, RULES.md §6.1).
MUST_CHECK = (
    gettext_lazy("重大事故隐患排查整治情况"),
    gettext_lazy("主要负责人和从业人员履职情况"),
    gettext_lazy("安全生产管理体系运行情况"),
    gettext_lazy("其他重特大风险管控情况"),
)


def can_open_inspections(user: Any) -> bool:
    """The list: regulators who organise inspections, and an enterprise (who inspected it)."""
    return may_inspect(user) or (user.role == "enterprise" and bool(user.enterprise_id))


def _require(request: HttpRequest) -> None:
    if not can_open_inspections(request.user):
        raise PermissionDenied(_("行政检查由执法部门登记，企业可查看对本企业的检查"))


@login_required
@require_GET
def inspection_index(request: HttpRequest) -> HttpResponse:
    _require(request)
    filters = InspectionFilters.from_params(request.GET)
    page = Paginator(inspection_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": inspection_rows(page.object_list),
        "filters": filters,
        "query": query_without_page(request),
        "statuses": Status.choices,
        "can_create": may_inspect(request.user),
    }
    return render(request, "inspections/list.html", context, status=refused_status(filters))


@login_required
@require_GET
def inspection_export(request: HttpRequest) -> Any:
    _require(request)
    return export_response(request, io.INSPECTION_EXPORT)


def _inspection_form(request: HttpRequest, post: Any) -> FormState:
    bodies = [(str(d.pk), d.name) for d in bodies_for(request.user)]
    options = {"enforcement_body": bodies, "officers": officer_choices(request.user)}
    specs = [
        spec.but(kind=Kind.CHOICE, choices=tuple(bodies)) if spec.name == "enforcement_body" else spec
        for spec in INSPECTION_FIELDS
        if spec.name != "plan"
    ]
    initial = {"enterprise": request.GET.get("enterprise", ""), "kind": "key"}
    if request.user.department_id:
        initial["enforcement_body"] = str(request.user.department_id)
    return FormState.of_page(specs, post, initial, options=options)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    if not may_inspect(request.user):
        raise PermissionDenied(_("行政检查由行业部门和市、县两级应急管理部门组织"))
    form = _inspection_form(request, posted(request))
    if request.method == "POST":
        inspection = submitted(form, inspection_create, actor=request.user)
        if inspection is not None:
            messages.success(request, _("已登记行政检查 %(code)s") % {"code": inspection.code})
            return redirect("inspections:detail", pk=inspection.pk)
    enterprise = _enterprise_named(request, form["enterprise"].value)
    joint = joint_proposal(enterprise, None, timezone.localdate()) if enterprise else []
    context = {
        "form": form,
        "enterprise": enterprise,
        "main": form.omit(("enterprise",)),
        "joint": joint,
        "no_disturb": bool(enterprise and is_no_disturb(enterprise)),
    }
    return render(request, "inspections/form.html", context)


def _enterprise_named(request: HttpRequest, value: Any) -> Enterprise | None:
    if not str(value or "").isdigit() or len(str(value)) > 18:
        return None
    return enterprise_queryset(request.user).filter(pk=int(value)).first()  # type: ignore[arg-type]


def _action_form(action: str, post: Any = None) -> FormState:
    t = FLOW.transition(action)
    assert t is not None
    options = {"clue_kind": list(ClueKind.objects.values_list("code", "name"))} if action == "illegal" else {}
    if post is not None:
        return FormState.posted(t.fields, post, prefix=action, options=options)
    return FormState(t.fields, prefix=action, options=options)


@login_required
@require_GET
def inspection_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    return _detail(request, inspection_detail(request.user, pk))


def _detail(
    request: HttpRequest, inspection: Any, forms: dict[str, FormState] | None = None, status: int = 200
) -> HttpResponse:
    available = {t.action for t in FLOW.available(request.user, inspection)}
    forms = forms or {}
    people = list(inspection.participants.all())
    context = {
        "inspection": inspection,
        "officers": [p for p in people if p.role == ParticipantRole.OFFICER],
        "assistants": [p for p in people if p.role == ParticipantRole.ASSISTANT],
        "check_ins": list(inspection.check_ins.select_related("user")),
        "findings": list(inspection.findings.select_related("hazard")),
        "events": [(e, EVENT_LABELS.get(e.action, FLOW.labels.get(e.action, ""))) for e in inspection.events.all()],
        "available": available,
        "forms": {
            a: forms.get(a) or _action_form(a)
            for a in ("finding", "illegal", "close", "cancel", "rate")
            if a in available
        },
        "flagged": inspection.status == Status.CLOSED and inspection.checked_in_at is None,
        "is_enterprise": request.user.role == "enterprise",
        "must_check": MUST_CHECK,
        "clauses": applicable_clauses(inspection.enterprise) if "finding" in available else [],
    }
    return render(request, "inspections/detail.html", context, status=status)


@login_required
@require_POST
def inspection_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request)
    inspection = inspection_detail(request.user, pk)
    if FLOW.transition(action) is None:
        raise Http404
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken",)}
    version = data.pop("version", None) or inspection.version
    try:
        inspection_act(pk=pk, actor=request.user, action=action, version=version, data=data)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        form = _action_form(action, request.POST)
        form.fail(exc)
        if not form.has_errors:
            refusal_shown(exc)
        messages.error(request, form.message or exc.message)
        return _detail(request, inspection_detail(request.user, pk), {action: form}, status=exc.status)
    labels = {
        "check_in": _("已扫码入企"),
        "finding": _("已记录检查发现，隐患已进入闭环"),
        "close": _("检查已办结"),
        "illegal": _("已移送打非治违"),
    }
    messages.success(request, labels.get(action, _("已保存")))
    return redirect("inspections:detail", pk=pk)


# ---------------------------------------------------------------- 扫码入企 (routed from /e/<code>/)


def gate_page(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    """What an officer sees on the phone after scanning the enterprise code: their open
    inspections of this enterprise, each with the check-in button (the position is added by
    static/js/checkin.js when the phone gives it)."""
    context = {
        "enterprise": enterprise,
        "open": list(open_inspections_at(request.user, enterprise)),
        "visible": enterprise_queryset(request.user).filter(pk=enterprise.pk).exists(),  # type: ignore[arg-type]
        "year_visits": None,
    }
    return render(request, "inspections/gate.html", context)


# ---------------------------------------------------------------- plans, draws


@login_required
@require_GET
def plan_index(request: HttpRequest) -> HttpResponse:
    if not may_inspect(request.user):
        raise PermissionDenied(_("检查计划由执法部门制定"))
    plans = list(plans_visible(request.user).prefetch_related("key_enterprises"))
    rows = [{"plan": p, "progress": plan_progress(p), "key_missing": list(key_not_inspected(p)[:20])} for p in plans]
    return render(request, "inspections/plans.html", {"rows": rows})


def _plan_form(request: HttpRequest, post: Any) -> FormState:
    bodies = [(str(d.pk), d.name) for d in bodies_for(request.user)]
    specs = [
        spec.but(kind=Kind.CHOICE, choices=tuple(bodies)) if spec.name == "department" else spec
        for spec in PLAN_FIELDS
        if spec.name != "key_enterprises"
    ]
    year = timezone.localdate().year
    initial = {"department": str(request.user.department_id or ""), "year": year, "random_share": 50}
    return FormState.of_page(specs, post, initial)


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    if not may_inspect(request.user):
        raise PermissionDenied(_("检查计划由执法部门制定"))
    form = _plan_form(request, posted(request))
    if request.method == "POST":
        plan = submitted(form, plan_create, actor=request.user)
        if plan is not None:
            messages.success(request, _("已制定检查计划“%(name)s”") % {"name": plan.name})
            return redirect("inspections:plans")
    return render(request, "inspections/plan_form.html", {"form": form})


DRAW_FORM_FIELDS = tuple(spec for spec in DRAW_FIELDS if spec.name != "plan")


def _draw_form(request: HttpRequest, post: Any) -> FormState:
    bodies = [(str(d.pk), d.name) for d in bodies_for(request.user)]
    specs = [
        spec.but(kind=Kind.CHOICE, choices=tuple(bodies)) if spec.name == "department" else spec
        for spec in DRAW_FORM_FIELDS
    ]
    initial = {"department": str(request.user.department_id or ""), "count": 10}
    return FormState.of_page(specs, post, initial)


@login_required
@require_http_methods(["GET", "POST"])
def draw_index(request: HttpRequest) -> HttpResponse:
    if not may_inspect(request.user):
        raise PermissionDenied(_("双随机抽查由执法部门组织"))
    form = _draw_form(request, posted(request))
    if request.method == "POST":
        draw = submitted(form, draw_create, actor=request.user)
        if draw is not None:
            messages.success(request, _("已抽取，生成检查任务 %(n)s 项") % {"n": draw.inspections.count()})
            return redirect("inspections:draw", pk=draw.pk)
    draws = list(draws_visible(request.user)[:50])
    return render(request, "inspections/draws.html", {"form": form, "draws": draws})


@login_required
@require_GET
def draw_page(request: HttpRequest, pk: int) -> HttpResponse:
    draw = draw_detail(request.user, pk)
    names = dict(Enterprise.objects.filter(pk__in=[r["enterprise"] for r in draw.result]).values_list("pk", "name"))
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=draw.roster)}
    rows = [
        {"enterprise": names.get(r["enterprise"], ""), "inspectors": [people.get(pk, "") for pk in r["inspectors"]]}
        for r in draw.result
    ]
    context = {"draw": draw, "rows": rows, "verify": draw_verify(draw), "pool_size": len(draw.pool)}
    return render(request, "inspections/draw.html", context)


@require_GET
def draw_public(request: HttpRequest, pk: int) -> HttpResponse:
    """公开: no sign-in, no personal data (no inspector named)."""
    try:
        draw = public_draw(pk)
    except NotVisible as exc:
        raise Http404 from exc
    names = dict(Enterprise.objects.filter(pk__in=[r["enterprise"] for r in draw.result]).values_list("pk", "name"))
    rows = [{"enterprise": names.get(r["enterprise"], ""), "paired": bool(r["inspectors"])} for r in draw.result]
    return render(request, "inspections/draw_public.html", {"draw": draw, "rows": rows, "pool_size": len(draw.pool)})


# ---------------------------------------------------------------- burden control (为企业减负)

ENTERPRISE_SPEC = FieldSpec(name="enterprise", label=_("企业"), kind=Kind.INTEGER, minimum=1, maximum=2**63 - 1)
YEAR_SPEC = FieldSpec(name="year", label=_("年份"), kind=Kind.INTEGER, minimum=2000, maximum=2100)


@login_required
@require_GET
def burden_page(request: HttpRequest) -> HttpResponse:
    _require(request)
    inp = Inputs(request.GET)
    year = inp.read(YEAR_SPEC) or timezone.localdate().year
    enterprise_id = request.GET.get("enterprise") or (
        request.user.enterprise_id if request.user.role == "enterprise" else None
    )
    detail = None
    if enterprise_id and str(enterprise_id).isdigit():
        try:
            detail = burden(request.user, int(enterprise_id), year)
        except NotVisible as exc:
            raise Http404 from exc
    ranking = burden_ranking(request.user, year) if may_inspect(request.user) else []
    calm = no_disturb(request.user) if may_inspect(request.user) else None
    context = {
        "year": year,
        "detail": detail,
        "ranking": ranking,
        "calm_count": calm.count() if calm is not None else 0,
        "calm": list(calm.order_by("pk")[:50]) if calm is not None else [],
    }
    return render(request, "inspections/burden.html", context)


@login_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    if not may_inspect(request.user):
        raise PermissionDenied(_("检查统计供执法部门和各级政府查看"))
    inp = Inputs(request.GET)
    year = inp.read(YEAR_SPEC) or timezone.localdate().year
    months = inp.read(MONTHS_SPEC) or GAP_MONTHS
    figures = statistics(request.user, year, months=months)
    return render(request, "inspections/stats.html", {"s": figures, "errors": inp.errors})


MONTHS_SPEC = FieldSpec(name="months", label=_("未检查月数"), kind=Kind.INTEGER, minimum=1, maximum=120)


@login_required
@require_GET
def site_record_file(request: HttpRequest, pk: int) -> FileResponse:
    """现场检查记录 (.docx) of a visible inspection."""
    _require(request)
    inspection = inspection_detail(request.user, pk)
    name = _("现场检查记录-%(code)s.docx") % {"code": inspection.code}
    return FileResponse(
        io_bytes(site_record(inspection)), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE
    )
