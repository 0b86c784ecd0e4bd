"""Pages of 打非治违: clues (list, record from a phone with photos and GPS, detail with its
actions and the match of an unlicensed subject), cases (list, detail with actions and the Word
documents), joint operations and the statistics."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.core.docx import DOCX_CONTENT_TYPE
from safeloop.core.errors import ServiceError
from safeloop.core.evidence import evidence_response
from safeloop.core.fields import Kind
from safeloop.core.forms import FormState, posted, submitted, with_files
from safeloop.core.inputs import Inputs
from safeloop.enforcement import documents
from safeloop.enforcement.fields import CLUE_FIELDS, OPERATION_FIELDS
from safeloop.enforcement.models import CaseStatus, CluePhoto, ClueStatus
from safeloop.enforcement.selectors import (
    case_detail,
    cases_visible,
    clue_detail,
    clue_kinds,
    clues_visible,
    match_candidates,
    may_use,
    operation_detail,
    operations_visible,
    statistics,
    townships_for,
)
from safeloop.enforcement.services import clue_record, operation_create, subject_match
from safeloop.enforcement.workflow import (
    CASE_FLOW,
    CLUE_FLOW,
    _transfer_targets,
    bodies_for,
    case_act,
    clue_act,
    stalled,
)
from safeloop.registry.bodies import enforcement_bodies
from safeloop.registry.selectors import enterprise_queryset

PAGE_SIZE = 50
PHOTO_NAME = "photos"


def _require(request: HttpRequest) -> None:
    if not may_use(request.user):
        raise PermissionDenied(_("打非治违由乡镇、行业部门和应急管理部门办理"))


# ---------------------------------------------------------------- clues


@login_required
@require_GET
def clue_index(request: HttpRequest) -> HttpResponse:
    _require(request)
    qs = clues_visible(request.user)
    status = request.GET.get("status", "")
    if status in ClueStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "statuses": ClueStatus.choices, "status": status}
    return render(request, "enforcement/clues.html", context)


def _clue_form(request: HttpRequest) -> FormState:
    kinds = [(k.code, k.name) for k in clue_kinds()]
    townships = [(r.code, r.name) for r in townships_for(request.user)]
    operations = [(str(o.pk), o.name) for o in operations_visible(request.user)[:100]]
    specs = [
        spec.but(kind=Kind.CHOICE, choices=tuple(townships))
        if spec.name == "region"
        else spec.but(kind=Kind.CHOICE, choices=tuple(operations))
        if spec.name == "operation"
        else spec
        for spec in CLUE_FIELDS
        if spec.name != "enterprise"
    ]
    initial = {"source": "patrol", "region": request.user.region_id if request.user.role == "township" else ""}
    form = FormState.of_page(specs, posted(request), initial, options={"kind": kinds})
    return with_files(form, request, PHOTO_NAME)


@login_required
@require_http_methods(["GET", "POST"])
def clue_new(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = _clue_form(request)
    if request.method == "POST":
        clue = submitted(form, clue_record, actor=request.user)
        if clue is not None:
            messages.success(
                request,
                _("已登记线索 %(code)s，已转%(dept)s")
                % {"code": clue.code, "dept": clue.department or _("应急管理部门")},
            )
            return redirect("enforcement:clue", pk=clue.pk)
    return render(request, "enforcement/clue_form.html", {"form": form}, status=form.status)


def _clue_action_form(request: HttpRequest, clue: Any, action: str, post: Any = None) -> FormState:
    t = CLUE_FLOW.transition(action)
    assert t is not None
    options: dict[str, Any] = {}
    if action == "open_case":
        options["body"] = [(str(d.pk), d.name) for d in enforcement_bodies(bodies_for(request.user))]
    if action == "transfer":
        options["to_department"] = [(str(d.pk), d.name) for d in _transfer_targets(clue)]
    specs = [s.but(kind=Kind.CHOICE, choices=tuple(options[s.name])) if s.name in options else s for s in t.fields]
    if post is not None:
        return FormState.posted(specs, post, prefix=action)
    initial = {"body": str(clue.department_id or "")} if action == "open_case" else {}
    return FormState(specs, data=initial, prefix=action)


@login_required
@require_GET
def clue_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    return _clue_detail(request, clue_detail(request.user, pk))


def _clue_detail(request: HttpRequest, clue: Any, forms: dict | None = None, status: int = 200) -> HttpResponse:
    available = [t.action for t in CLUE_FLOW.available(request.user, clue)]
    forms = forms or {}
    subject = clue.subject
    context = {
        "clue": clue,
        "forms": {a: forms.get(a) or _clue_action_form(request, clue, a) for a in available},
        "labels": CLUE_FLOW.labels,
        "events": list(clue.events.all()),
        "photos": list(clue.photos.all()),
        "cases": list(clue.cases.all()),
        "candidates": match_candidates(request.user, subject) if subject and not subject.enterprise_id else [],
    }
    return render(request, "enforcement/clue.html", context, status=status)


def _posted_action(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    return data, data.pop("version", None)


@login_required
@require_POST
def clue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request)
    clue = clue_detail(request.user, pk)
    if CLUE_FLOW.transition(action) is None:
        raise Http404
    data, version = _posted_action(request)
    try:
        clue_act(pk=pk, actor=request.user, action=action, version=version or clue.version, data=data)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        form = _clue_action_form(request, clue, action, request.POST)
        form.fail(exc)
        messages.error(request, form.message or exc.message)
        return _clue_detail(request, clue_detail(request.user, pk), {action: form}, status=exc.status)
    clue = clue_detail(request.user, pk)
    if action == "open_case" and clue.cases.exists():
        messages.success(request, _("已立案"))
        return redirect("enforcement:case", pk=clue.cases.order_by("-pk").first().pk)
    messages.success(request, _("已保存"))
    return redirect("enforcement:clue", pk=pk)


@login_required
@require_GET
def clue_photo(request: HttpRequest, pk: int, photo: int) -> FileResponse:
    _require(request)
    clue = clue_detail(request.user, pk)
    found = CluePhoto.objects.filter(clue=clue, pk=photo).first()
    if found is None:
        raise Http404
    return evidence_response(name=found.file, content_type=found.content_type, original_name=found.original_name)


@login_required
@require_POST
def subject_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Match the clue's unlicensed subject to a registered enterprise."""
    _require(request)
    clue = clue_detail(request.user, pk)
    if clue.subject is None:
        raise Http404
    raw = request.POST.get("enterprise", "")
    enterprise = (
        enterprise_queryset(request.user).filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    )
    if enterprise is None:
        messages.error(request, _("已登记企业：请选择要关联的企业"))
        return _clue_detail(request, clue, status=400)
    try:
        subject_match(actor=request.user, subject=clue.subject, enterprise=enterprise)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _clue_detail(request, clue, status=exc.status)
    messages.success(request, _("已关联登记企业 %(name)s") % {"name": enterprise.name})
    return redirect("enforcement:clue", pk=pk)


# ---------------------------------------------------------------- cases


@login_required
@require_GET
def case_index(request: HttpRequest) -> HttpResponse:
    _require(request)
    qs = cases_visible(request.user)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enforcement/cases.html", {"page": page, "statuses": CaseStatus.choices, "status": status})


def _case_action_form(action: str, post: Any = None) -> FormState:
    t = CASE_FLOW.transition(action)
    assert t is not None
    return FormState.posted(t.fields, post, prefix=action) if post is not None else FormState(t.fields, prefix=action)


@login_required
@require_GET
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    return _case_detail(request, case_detail(request.user, pk))


def _case_detail(request: HttpRequest, case: Any, forms: dict | None = None, status: int = 200) -> HttpResponse:
    available = [t.action for t in CASE_FLOW.available(request.user, case)]
    forms = forms or {}
    context = {
        "case": case,
        "forms": {a: forms.get(a) or _case_action_form(a) for a in available},
        "labels": CASE_FLOW.labels,
        "events": list(case.events.all()),
        "documents": [(key, title, documents._reached(case, key)) for key, title in documents.TITLES.items()],
        "stalled": stalled(case, timezone.localdate()),
        "measure_labels": documents.MEASURE_LABELS,
        "reopened": list(case.reopened.all()),
    }
    return render(request, "enforcement/case.html", context, status=status)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request)
    case = case_detail(request.user, pk)
    if CASE_FLOW.transition(action) is None:
        raise Http404
    data, version = _posted_action(request)
    try:
        case_act(pk=pk, actor=request.user, action=action, version=version or case.version, data=data)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        form = _case_action_form(action, request.POST)
        form.fail(exc)
        messages.error(request, form.message or exc.message)
        return _case_detail(request, case_detail(request.user, pk), {action: form}, status=exc.status)
    messages.success(request, _("已保存"))
    return redirect("enforcement:case", pk=pk)


@login_required
@require_GET
def case_document(request: HttpRequest, pk: int, document: str) -> HttpResponse:
    _require(request)
    case = case_detail(request.user, pk)
    try:
        name, content = documents.case_document(case, document)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _case_detail(request, case, status=exc.status)
    return FileResponse(BytesIO(content), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE)


# ---------------------------------------------------------------- operations and statistics


def _operation_form(request: HttpRequest) -> FormState:
    regions = [(r.code, r.name) for r in townships_for(request.user)]
    if request.user.region_id:
        regions.insert(0, (request.user.region_id, _("本级全域")))
    departments = [(str(d.pk), d.name) for d in bodies_for(request.user).order_by("region_id", "kind")]
    specs = [s.but(kind=Kind.CHOICE, choices=tuple(regions)) if s.name == "region" else s for s in OPERATION_FIELDS]
    return FormState.of_page(specs, posted(request), {"kind": "joint"}, options={"departments": departments})


@login_required
@require_http_methods(["GET", "POST"])
def operation_index(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = _operation_form(request)
    if request.method == "POST":
        operation = submitted(form, operation_create, actor=request.user)
        if operation is not None:
            messages.success(request, _("已登记联合执法行动"))
            return redirect("enforcement:operation", pk=operation.pk)
    rows = operations_visible(request.user)[:200]
    can_create = request.user.role in ("city", "county", "sysadmin")
    return render(
        request,
        "enforcement/operations.html",
        {"rows": rows, "form": form, "can_create": can_create},
        status=form.status,
    )


@login_required
@require_GET
def operation_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    operation = operation_detail(request.user, pk)
    context = {
        "operation": operation,
        "clues": clues_visible(request.user).filter(operation=operation),
        "cases": cases_visible(request.user).filter(operation=operation),
    }
    return render(request, "enforcement/operation.html", context)


@login_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    _require(request)
    inp = Inputs(request.GET)
    year = inp.integer("year", _("年度"), minimum=2000, maximum=2100) or timezone.localdate().year
    figures = statistics(request.user, year)
    return render(
        request, "enforcement/stats.html", {"s": figures, "errors": inp.errors}, status=400 if inp.errors else 200
    )
