"""The pages of the expert pool: the pool (list, profile, form, Excel), matching (run, map,
table, manual change, 下达), stationings (专家驻企) and visits (专家服务)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.core.bulk import export_response, import_page, template_response
from safeloop.core.errors import ServiceError
from safeloop.core.filters import refused_status
from safeloop.core.forms import FormState, edited_version, posted, posted_version, submitted, with_files
from safeloop.core.http import query_without_page
from safeloop.core.roles import Role
from safeloop.experts import io
from safeloop.experts.fields import (
    APPLY_ON,
    CONFLICT_FIELDS,
    EXPERT_FIELDS,
    OVERRIDE_REASON,
    RATE_FIELDS,
    STATIONING_FIELDS,
    VISIT_FIELDS,
    VISIT_SUMMARY,
)
from safeloop.experts.maps import run_map
from safeloop.experts.models import Expert, StationingStatus, VisitStatus
from safeloop.experts.selectors import (
    expert_detail,
    may_plan,
    may_see_pool,
    run_detail,
    run_rows,
    runs_visible,
    stationing_detail,
    stationings_visible,
    visit_detail,
    visits_visible,
    workload,
)
from safeloop.experts.services import (
    conflict_add,
    expert_create,
    expert_update,
    matching_apply,
    matching_change,
    matching_run,
    stationing_end,
    stationing_start,
    unsettled_hazards,
    visit_create,
    visit_finding,
    visit_rate,
    visit_record,
)
from safeloop.hazards.fields import PHOTOS
from safeloop.hazards.services import report_fields
from safeloop.registry.models import Category, Region, RegionLevel
from safeloop.registry.selectors import enterprise_named

PAGE_SIZE = 50


def _need_pool(request: HttpRequest) -> None:
    if not may_see_pool(request.user):
        raise PermissionDenied(_("专家库由安委办、应急管理部门和行业部门查看"))


def _need_planner(request: HttpRequest) -> None:
    if not may_plan(request.user):
        raise PermissionDenied(_("专家匹配和派驻由市、县两级安委办/应急管理部门和行业部门办理"))


def _counties() -> list[tuple[str, str]]:
    return list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").values_list("code", "name"))


def _categories() -> list[tuple[str, str]]:
    return list(Category.objects.filter(parent__isnull=True).order_by("code").values_list("code", "name"))


# ---------------------------------------------------------------- the pool


@login_required
@require_GET
def pool(request: HttpRequest) -> HttpResponse:
    _need_pool(request)
    filters = io.PoolFilters.from_params(request.GET)
    page = Paginator(io.pool_select(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(e, io.specialties_text(e), io._certificate(e)) for e in page.object_list]
    context = {"page": page, "rows": rows, "filters": filters, "query": query_without_page(request), "today": today}
    context.update(categories=_categories(), counties=_counties(), can_plan=may_plan(request.user))
    return render(request, "experts/pool.html", context, status=refused_status(filters))


@login_required
@require_GET
def pool_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, io.EXPERT_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def pool_import(request: HttpRequest) -> HttpResponse:
    _need_planner(request)
    return import_page(request, io.EXPERT_IMPORT, "experts/import.html")


@login_required
@require_GET
def pool_template(request: HttpRequest) -> FileResponse:
    _need_planner(request)
    return template_response(_("专家库"), io.EXPERT_COLUMNS)


@login_required
@require_GET
def expert_page(request: HttpRequest, pk: int) -> HttpResponse:
    expert = expert_detail(request.user, pk)
    return _expert_page(request, expert, FormState.of_page(CONFLICT_FIELDS, None, {}))


def _expert_page(request: HttpRequest, expert: Expert, conflict_form: FormState) -> HttpResponse:
    context: dict[str, Any] = {"expert": expert, "workload": workload(expert), "today": timezone.localdate()}
    context.update(
        stationings=stationings_visible(request.user).filter(expert=expert)[:20],
        visits=visits_visible(request.user).filter(expert=expert).order_by("-on", "-pk")[:20],
        can_plan=may_plan(request.user),
        conflict_form=conflict_form,
        conflict_enterprise=enterprise_named(request.user, conflict_form.data.get("enterprise")),
    )
    return render(request, "experts/expert.html", context, status=conflict_form.status)


@login_required
@require_POST
def conflict_new(request: HttpRequest, pk: int) -> HttpResponse:
    expert = expert_detail(request.user, pk)
    _need_planner(request)
    form = FormState.of_page(CONFLICT_FIELDS, request.POST, {})
    if submitted(form, conflict_add, actor=request.user, expert_id=expert.pk):
        messages.success(request, _("回避关系已登记：该专家不会被匹配、派驻到该企业，也不能为其隐患签字"))
        return redirect("experts:expert", pk=expert.pk)
    return _expert_page(request, expert, form)


def _profile_form(post: Any, expert: Expert | None) -> FormState:
    specs = EXPERT_FIELDS if expert is None else tuple(s for s in EXPERT_FIELDS if not s.name.startswith("certificate"))
    if expert is None:
        return FormState.of_page(specs, post, {"capacity": 5, "active": True}, options={"county": _counties()})
    initial = {
        **{s.name: getattr(expert, s.name, "") for s in specs if hasattr(expert, s.name)},
        "county": expert.county_id or "",
        "specialties": io.specialties_text(expert),
    }
    return FormState.of_page(specs, post, initial, options={"county": _counties()})


@login_required
@require_http_methods(["GET", "POST"])
def expert_new(request: HttpRequest) -> HttpResponse:
    _need_planner(request)
    form = _profile_form(posted(request), None)
    if request.method == "POST":
        expert = submitted(form, expert_create, actor=request.user)
        if expert is not None:
            messages.success(request, _("已将“{name}”加入专家库").format(name=expert.name))
            return redirect("experts:expert", pk=expert.pk)
    context = {"form": form, "title": _("新增专家"), "expert": None}
    return render(request, "experts/expert_form.html", context, status=form.status)


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = expert_detail(request.user, pk)
    _need_planner(request)
    form = _profile_form(posted(request), expert)
    if request.method == "POST":
        save = partial(expert_update, actor=request.user, pk=expert.pk, version=posted_version(request.POST))
        if submitted(form, save):
            messages.success(request, _("专家信息已保存"))
            return redirect("experts:expert", pk=expert.pk)
    context = {"form": form, "title": _("编辑：{name}").format(name=expert.name), "expert": expert}
    context |= {"version": edited_version(request, expert)}
    return render(request, "experts/expert_form.html", context, status=form.status)


# ---------------------------------------------------------------- matching


MATCH_FILTERS = ("category", "region", "key_sector", "open_major")


@login_required
@require_http_methods(["GET", "POST"])
def matching(request: HttpRequest) -> HttpResponse:
    _need_planner(request)
    error, typed = None, {name: request.POST.get(name, "") for name in MATCH_FILTERS}
    if request.method == "POST":
        filters = {k: v for k, v in typed.items() if k in ("category", "region") and v}
        filters |= {k: True for k in ("key_sector", "open_major") if typed.get(k)}
        try:
            result = matching_run(actor=request.user, filters=filters)
        except ServiceError as exc:
            error = exc
        else:
            return redirect("experts:run", pk=result["run"])
    runs = runs_visible(request.user).order_by("-created_at", "-pk")[:20]
    context = {"typed": typed, "error": error, "runs": runs, "categories": _categories(), "counties": _counties()}
    return render(request, "experts/matching.html", context, status=error.status if error else 200)


@login_required
@require_GET
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    _need_planner(request)
    run = run_detail(request.user, pk)
    return _run_page(request, run)


def _run_page(request: HttpRequest, run, failed: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    rows = run_rows(request.user, run)
    show = request.GET.get("show", "")
    listed = rows.filter(expert__isnull=True) if show == "unmatched" else rows
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    choices = _choices_for(page.object_list)
    for row in page.object_list:
        row.choices = choices[row.pk]
    context: dict[str, Any] = {"run": run, "page": page, "show": show, "query": query_without_page(request)}
    context.update(
        map_data=run_map(run, rows),
        apply_form=FormState.of_page((APPLY_ON,), (failed or {}).get("apply"), {"visit_on": timezone.localdate()}),
        failed=failed or {},
        version=run.version,
    )
    return render(request, "experts/run.html", context, status=status)


def _choices_for(rows) -> dict[int, list[Expert]]:
    """Per row of the page, the experts a planner may move it to (specialty covers it, active)."""
    from safeloop.experts.models import Specialty

    categories = {r.enterprise.category_id for r in rows}
    parents = dict(Category.objects.filter(pk__in=categories).values_list("code", "parent_id"))
    wanted = categories | {p for p in parents.values() if p}
    by_category: dict[str, list[Expert]] = {}
    for s in Specialty.objects.filter(category_id__in=wanted, expert__active=True).select_related("expert"):
        by_category.setdefault(s.category_id, []).append(s.expert)
    out = {}
    for r in rows:
        cat = r.enterprise.category_id
        pool = {e.pk: e for e in by_category.get(cat, []) + by_category.get(parents.get(cat) or "", [])}
        out[r.pk] = sorted(pool.values(), key=lambda e: e.name)
    return out


@login_required
@require_POST
def run_change(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    _need_planner(request)
    run = run_detail(request.user, pk)
    try:
        matching_change(actor=request.user, row_id=row, data=request.POST.dict())
    except ServiceError as exc:
        return _run_page(request, run, {"row": row, "error": exc, "typed": request.POST.dict()}, exc.status)
    messages.success(request, _("已人工调整并记录调整人和理由"))
    return redirect(f"{request.path.rsplit('/rows/', 1)[0]}/?{request.GET.urlencode()}")


@login_required
@require_POST
def run_apply(request: HttpRequest, pk: int) -> HttpResponse:
    _need_planner(request)
    run = run_detail(request.user, pk)
    try:
        count = matching_apply(
            actor=request.user, run_id=run.pk, version=posted_version(request.POST), data=request.POST.dict()
        )
    except ServiceError as exc:
        return _run_page(request, run, {"apply": request.POST, "apply_error": exc}, exc.status)
    messages.success(request, _("已下达：为 {n} 家企业安排了专家服务").format(n=count))
    return redirect("experts:run", pk=run.pk)


@login_required
@require_GET
def run_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    _need_planner(request)
    run_detail(request.user, pk)  # 404 outside the scope
    params = request.GET.copy()
    params["run"] = str(pk)
    request.GET = params  # type: ignore[assignment] - the export reads its filters from the query
    return export_response(request, io.RUN_EXPORT)


# ---------------------------------------------------------------- stationings (专家驻企)


@login_required
@require_GET
def stationings(request: HttpRequest) -> HttpResponse:
    if not (may_see_pool(request.user) or request.user.role == Role.EXPERT):
        raise PermissionDenied(_("专家驻企由安委办、应急管理部门、行业部门和专家本人查看"))
    status = request.GET.get("status", "")
    qs = stationings_visible(request.user).prefetch_related("hazards")
    if status in StationingStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": StationingStatus.choices,
        "query": query_without_page(request),
    }
    return render(request, "experts/stationings.html", context | {"can_plan": may_plan(request.user)})


def _stationing_form(post: Any, params: Any) -> FormState:
    specs = (VISIT_FIELDS[0], VISIT_FIELDS[1], *STATIONING_FIELDS)
    return FormState.of_page(specs, post, params.dict() if params else {}, options={"expert": _expert_choices()})


def _expert_choices() -> list[tuple[str, str]]:
    rows = Expert.objects.filter(active=True).order_by("name", "pk").values_list("pk", "name", "employer")
    return [(str(pk), f"{name}（{employer}）" if employer else name) for pk, name, employer in rows]


def _start(*, actor, data):
    return stationing_start(
        actor=actor, expert_id=_int(data.get("expert")), enterprise_id=_int(data.get("enterprise")), data=data
    )


def _int(raw: Any) -> int:
    return int(raw) if str(raw or "").isdigit() and len(str(raw)) <= 18 else 0


@login_required
@require_http_methods(["GET", "POST"])
def stationing_new(request: HttpRequest) -> HttpResponse:
    _need_planner(request)
    form = _stationing_form(posted(request), request.GET)
    if request.method == "POST":
        stationing = submitted(form, _start, actor=request.user)
        if stationing is not None:
            messages.success(request, _("已派驻专家，关联重大隐患 {n} 项").format(n=stationing.hazards.count()))
            return redirect("experts:stationing", pk=stationing.pk)
    enterprise = enterprise_named(request.user, form.data.get("enterprise"))
    context = {"form": form, "enterprise": enterprise}
    return render(request, "experts/stationing_new.html", context, status=form.status)


@login_required
@require_GET
def stationing_page(request: HttpRequest, pk: int) -> HttpResponse:
    stationing = stationing_detail(request.user, pk)
    return _stationing_page(request, stationing, FormState.of_page((OVERRIDE_REASON,), None, {}))


def _stationing_page(request: HttpRequest, stationing, form: FormState, status: int = 200) -> HttpResponse:
    context = {
        "s": stationing,
        "hazards": stationing.hazards.select_related("enterprise").order_by("code"),
        "pending": unsettled_hazards(stationing),
        "events": stationing.events.select_related("actor").order_by("seq"),
        "form": form,
        "can_plan": may_plan(request.user),
        "is_city": request.user.role == Role.CITY,
    }
    return render(request, "experts/stationing.html", context, status=status)


@login_required
@require_POST
def stationing_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    stationing = stationing_detail(request.user, pk)
    _need_planner(request)
    form = FormState.of_page((OVERRIDE_REASON,), request.POST, {})
    save = partial(stationing_end, actor=request.user, pk=stationing.pk, version=posted_version(request.POST))
    if submitted(form, save):
        messages.success(request, _("驻企已结束"))
        return redirect("experts:stationing", pk=stationing.pk)
    return _stationing_page(request, stationing_detail(request.user, pk), form, form.status)


# ---------------------------------------------------------------- visits (专家服务)


@login_required
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    qs = visits_visible(request.user).prefetch_related("hazards").order_by("-on", "-pk")
    status = request.GET.get("status", "")
    if status in VisitStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": VisitStatus.choices, "query": query_without_page(request)}
    return render(request, "experts/visits.html", context | {"can_plan": may_plan(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    _need_planner(request)
    initial = {"on": timezone.localdate(), "purpose": _("帮扶指导"), **request.GET.dict()}
    form = FormState.of_page(VISIT_FIELDS, posted(request), initial, options={"expert": _expert_choices()})
    if request.method == "POST":
        visit = submitted(form, visit_create, actor=request.user)
        if visit is not None:
            messages.success(request, _("已安排专家服务"))
            return redirect("experts:visit", pk=visit.pk)
    enterprise = enterprise_named(request.user, form.data.get("enterprise"))
    context = {"form": form, "enterprise": enterprise}
    return render(request, "experts/visit_new.html", context, status=form.status)


def _finding_form(request: HttpRequest, post: Any) -> FormState:
    specs = tuple(s for s in report_fields(request.user) if s.name not in ("enterprise", "source"))
    return with_files(FormState.of_page((*specs, PHOTOS), post, {"level": "general"}), request, "photos")


@login_required
@require_http_methods(["GET", "POST"])
def visit_page(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_detail(request.user, pk)
    mine = request.user.role == Role.EXPERT
    record = _record_form(None, visit)
    finding = _finding_form(request, None)
    rate = _rate_form(None, visit)
    status = 200
    if request.method == "POST":
        what = request.POST.get("form")
        if what == "finding" and mine:
            finding = _finding_form(request, request.POST)
            hazard = submitted(finding, visit_finding, actor=request.user, visit=visit)
            if hazard is not None:
                messages.success(request, _("隐患 {code} 已上报并记入本次服务").format(code=hazard.code))
                return redirect("experts:visit", pk=visit.pk)
        elif what == "record" and mine:
            record = _record_form(request.POST, visit)
            save = partial(visit_record, actor=request.user, pk=visit.pk, version=posted_version(request.POST))
            if submitted(record, save):
                messages.success(request, _("服务已记录为完成"))
                return redirect("experts:visit", pk=visit.pk)
        elif what == "rate" and request.user.role == Role.ENTERPRISE:
            rate = _rate_form(request.POST, visit)
            save = partial(visit_rate, actor=request.user, pk=visit.pk, version=posted_version(request.POST))
            if submitted(rate, save):
                messages.success(request, _("感谢评价"))
                return redirect("experts:visit", pk=visit.pk)
        else:
            raise PermissionDenied(_("您的角色不能办理此项"))
        status = max(form.status for form in (finding, record, rate))
    context = {"visit": visit, "mine": mine, "record": record, "finding": finding, "rate": rate}
    context.update(hazards=visit.hazards.order_by("code"), is_enterprise=request.user.role == Role.ENTERPRISE)
    return render(request, "experts/visit.html", context, status=status)


def _record_form(post: Any, visit) -> FormState:
    return FormState.of_page((VISIT_SUMMARY,), post, {"findings": visit.findings})


def _rate_form(post: Any, visit) -> FormState:
    return FormState.of_page(RATE_FIELDS, post, {"rating": visit.rating or "", "rating_note": visit.rating_note})
