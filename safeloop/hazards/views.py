from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.accounts.models import User
from safeloop.core.bulk import export_response, import_page, template_response
from safeloop.core.errors import NotFound, ServiceError, refusal_shown
from safeloop.core.evidence import evidence_response
from safeloop.core.filters import refused_status
from safeloop.core.forms import FormState, posted, submitted, with_files
from safeloop.core.http import query_without, query_without_page
from safeloop.core.keyset import AFTER, BEFORE
from safeloop.core.links import record_links
from safeloop.core.scope import get_visible_or_404
from safeloop.core.seals import SealBroken, public_base_from, sealed_bytes
from safeloop.core.security_log import SecurityKind, SecurityResult
from safeloop.core.security_log import record as security_record
from safeloop.core.transitions import Transition
from safeloop.hazards import ledger_io
from safeloop.hazards.documents import TITLES, available_documents, document_sealed
from safeloop.hazards.forms import on_spot_form, report_form
from safeloop.hazards.ledger_import import LEDGER_IMPORT
from safeloop.hazards.models import Attachment, EvidenceKind, Hazard, ListingLevel, Status
from safeloop.hazards.on_spot import hazard_fix_on_spot
from safeloop.hazards.permissions import can_fix_on_spot, can_import_ledger, can_report_hazards
from safeloop.hazards.public import published_listings, published_page
from safeloop.hazards.selectors import (
    LEDGER_KEYSETS,
    LEVELS,
    SORTS,
    SOURCES,
    STATUSES,
    LedgerFilters,
    awaiting_only,
    hazard_events,
    hazard_get,
    is_overdue,
    is_urged,
    ledger,
    ledger_rows,
    ledger_total,
    status_counts,
    todo_counts,
    todo_rows,
    todo_sections,
    todo_total,
)
from safeloop.hazards.services import attachment_add, hazard_report, kinds_allowed
from safeloop.hazards.todo import todo_note
from safeloop.hazards.workflow import (
    ACTION_LABELS,
    STAGES,
    action_options,
    available_actions,
    hazard_act,
    signatures,
    signing_stage,
)
from safeloop.registry.pickers import list_pickers
from safeloop.registry.selectors import EnterpriseFilters, enterprise_list, enterprise_named, year_options

PAGE_SIZE = 50
PUBLIC_PAGE_SIZE = 30
STATUS_LABELS = dict(Status.choices)


@login_required
@require_GET
def hazard_ledger(request: HttpRequest) -> HttpResponse:
    filters = LedgerFilters.from_params(request.GET)
    today = timezone.localdate()
    counts = status_counts(ledger(request.user, filters.model_copy(update={"status": ""}), today))
    total = ledger_total(counts, filters.status)  # no COUNT(*) of its own
    page, cursors = _ledger_page(ledger(request.user, filters, today, page=True), filters, request.GET, total)
    page.object_list = ledger_rows([row["pk"] for row in page.object_list], today)
    context = {
        "page": page,
        "filters": filters,
        "query": query_without(request, AFTER, BEFORE),
        "cursors": cursors,
        "status_query": query_without(request, "status", AFTER, BEFORE),
        "tabs": _tabs(request, filters),
        "list_name": ledger_io.LIST_NAMES.get(filters.list) if filters.list not in TAB_LISTS else None,
        "without_list": query_without(request, "list", "page", AFTER, BEFORE),
        "counts": counts,
        "levels": LEVELS,
        "sources": SOURCES,
        "statuses": STATUSES,
        "can_report": can_report_hazards(request.user),
        "can_fix_on_spot": can_fix_on_spot(request.user),
        "can_import": can_import_ledger(request.user),
        "years": year_options(today, filters.year),
    }
    template = "hazards/ledger.html"
    if not request.htmx:  # the results alone need no pickers
        context |= list_pickers(request.user, selected_region=filters.region)
    return render(request, f"{template}#results" if request.htmx else template, context, status=refused_status(filters))


def _ledger_page(qs: Any, filters: LedgerFilters, params: Any, total: int) -> tuple[Page, dict[str, str]]:
    """The page of ids (with their sort keys) and the keys its pager links continue from: by key
    where the link carries one and the order allows it (`core.keyset`), else by page number."""
    sort = filters.sort if filters.sort in SORTS else "found"  # as ledger() orders
    keyset = LEDGER_KEYSETS.get(sort) if filters.todo != "1" else None
    paginator = Paginator(qs.values("pk", *(keyset.names if keyset else ())), PAGE_SIZE)
    paginator.count = total
    page = paginator.get_page(params.get("page"))
    rows = keyset.page(qs, params, PAGE_SIZE) if keyset else None
    page.object_list = rows or list(page.object_list)  # a key that finds nothing: the page number
    if not (keyset and page.object_list):
        return page, {}
    return page, {AFTER: keyset.key_of(page.object_list[-1]), BEFORE: keyset.key_of(page.object_list[0])}


# The ledger's tabs: preset (list, overdue) pairs; every other filter is kept.
LEDGER_TABS = (
    (gettext_lazy("全部"), {}),
    (gettext_lazy("问题清单"), {"list": "problems"}),
    (gettext_lazy("销号清单"), {"list": "closures"}),
    (gettext_lazy("逾期"), {"overdue": "1"}),
)


TAB_LISTS = {"", *(preset.get("list", "") for _, preset in LEDGER_TABS)}


def _tabs(request: HttpRequest, filters: LedgerFilters) -> list[tuple[str, str, bool]]:
    """(label, query, active) of each tab: the page's filters with the tab's preset."""
    kept = query_without(request, "list", "overdue")
    current = {"list": filters.list, "overdue": filters.overdue}
    tabs = []
    for label, preset in LEDGER_TABS:
        query = "&".join(part for part in (kept, urlencode(preset)) if part)
        tabs.append((label, query, current == {"list": "", "overdue": ""} | preset))
    return tabs


@login_required
@require_GET
def hazard_todo(request: HttpRequest) -> HttpResponse:
    filters = LedgerFilters.from_params(request.GET).model_copy(update={"todo": "1"})
    today = timezone.localdate()
    everything = ledger(request.user, filters.model_copy(update={"awaiting": ""}), today)  # built once
    counts = todo_counts(everything)
    paginator = Paginator(awaiting_only(everything, filters.awaiting).select_related("enterprise__region"), PAGE_SIZE)
    paginator.count = todo_total(counts, filters.awaiting)  # known from the counts: no second scan
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sections": todo_sections(todo_rows(list(page.object_list), today), counts),
        "counts": counts,
        "filters": filters,
        "query": query_without_page(request),
        "group_query": query_without(request, "awaiting"),
        "levels": LEVELS,
        "note": todo_note(request.user),
    }
    if not request.htmx:  # the results alone need no pickers
        context |= list_pickers(request.user, "regions", "departments", selected_region=filters.region)
    template = "hazards/todo.html"
    return render(request, f"{template}#results" if request.htmx else template, context, status=refused_status(filters))


@login_required
@require_http_methods(["GET", "POST"])
def hazard_new(request: HttpRequest) -> HttpResponse:
    if not can_report_hazards(request.user):
        raise PermissionDenied(_("您的角色不能上报隐患"))
    form = with_files(report_form(request.user, posted(request), request.GET), request, "photos")
    if request.method == "POST":
        if request.POST.get("captured_at"):  # offline: the phone's time of the record (docs/offline.md)
            form.data["captured_at"] = request.POST["captured_at"]
        hazard = submitted(form, hazard_report, actor=request.user)
        if hazard is not None:
            messages.success(request, _("隐患 {code} 已上报").format(code=hazard.code))
            return redirect("hazards:detail", pk=hazard.pk)
    enterprise = enterprise_named(request.user, form.data.get("enterprise"))
    return render(request, "hazards/new.html", {"form": form, "enterprise": enterprise})


@login_required
@require_http_methods(["GET", "POST"])
def hazard_on_spot(request: HttpRequest) -> HttpResponse:
    """即查即改: one form on the phone, one recorded act."""
    if not can_fix_on_spot(request.user):
        raise PermissionDenied(_("即查即改由监管部门、属地或企业（自查）记录"))
    form = with_files(on_spot_form(request.user, posted(request), request.GET), request, "before", "after")
    if request.method == "POST":
        hazard = submitted(form, hazard_fix_on_spot, actor=request.user)
        if hazard is not None:
            done = _("即查即改已记录：隐患 {code} 当场整改完毕，{status}").format(
                code=hazard.code, status=hazard.get_status_display()
            )
            messages.success(request, done)
            return redirect("hazards:detail", pk=hazard.pk)
    enterprise = enterprise_named(request.user, form.data.get("enterprise"))
    return render(request, "hazards/on_spot.html", {"form": form, "enterprise": enterprise})


@login_required
@require_GET
def enterprise_options(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type choice of an enterprise for the report form (htmx)."""
    q = request.GET.get("q", "").strip()
    found = enterprise_list(request.user, EnterpriseFilters(q=q))[:12] if q else []
    return render(request, "hazards/partials/enterprise_options.html", {"enterprises": found})


@login_required
@require_GET
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = hazard_get(request.user, pk)
    failed = request.session.pop(f"hazard-errors-{pk}", None)
    actions = _action_forms(request.user, hazard, failed)
    return render(
        request,
        "hazards/detail.html",
        {
            "hazard": hazard,
            "actions": actions,
            "error": _error_text(failed, actions),
            "evidence": _evidence(hazard),
            "upload_kinds": [(kind, EvidenceKind(kind).label) for kind in kinds_allowed(hazard)],
            "listings": hazard.listings.all(),
            "overdue": is_overdue(hazard),
            "urged": is_urged(hazard),
            "signatures": {stage: signatures(hazard, stage) for stage, label in STAGES},
            "errors": failed,
            "documents": available_documents(hazard),
            "links": record_links(request.user, hazard),
            "timeline": [
                (e, ACTION_LABELS.get(e.action, e.action), STATUS_LABELS.get(e.to_status, ""))
                for e in hazard_events(hazard)
            ],
        },
    )


def _action_forms(user: User, hazard: Hazard, failed: dict | None) -> list[tuple[Transition, FormState]]:
    """One form per action the table offers, from the row's fields and the records the row lets
    its list fields name; the refused one shows what was typed and its messages beside the fields
    (the box above the page says what went wrong)."""
    stage = signing_stage(hazard)
    preset = {"stage": stage}
    forms = []
    for t in available_actions(user, hazard):
        refused = failed is not None and failed["action"] == t.action
        data = preset | failed["data"] if refused else preset
        options = {"stage": [(stage, str(dict(STAGES)[stage]))], **action_options(t, hazard)}
        form = FormState(t.fields, data=data, options=options, prefix=t.action)
        if refused:
            form.fail(ServiceError(failed["message"], fields=failed["fields"]))
        forms.append((t, form))
    return forms


def _error_text(failed: dict | None, actions: list[tuple[Transition, FormState]]) -> str:
    """The box above the page: what no field of the refused form shows, so each message
    appears once (the fields carry theirs)."""
    if failed is None:
        return ""
    form = next((form for t, form in actions if t.action == failed["action"]), None)
    if form is None or not form.has_errors:
        return failed["message"]
    return form.message or _("提交的信息有误，请按标红的提示修改后重新提交。")


def _evidence(hazard: Hazard) -> list[tuple[str, list[Attachment]]]:
    """The two kinds apart: what was found, and what proves the rectification (nothing is ticked
    for a submission: the one who submits names each proof)."""
    files = list(hazard.attachments.all())
    return [(label, [a for a in files if a.kind == kind]) for kind, label in EvidenceKind.choices]


@login_required
@require_GET
def hazard_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The document exactly as sealed: the same bytes on every download."""
    hazard = hazard_get(request.user, pk)
    if kind not in TITLES:
        raise Http404
    try:
        with public_base_from(request):
            record = document_sealed(hazard=hazard, kind=kind, actor=request.user)
        content = sealed_bytes(record)
    except NotFound as exc:
        raise Http404 from exc
    except SealBroken:
        return HttpResponse(_("存档文书校验失败，已停止下载，请联系系统管理员"), status=409, content_type="text/plain")
    detail = {"title": record.title, "number": record.number, "id": hazard.code}
    security_record(SecurityKind.DOWNLOAD, request=request, result=SecurityResult.SUCCESS, detail=detail)
    response = HttpResponse(content, content_type=record.content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{record.title}-{hazard.code}.docx")
    return response


@login_required
@require_POST
def hazard_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    data = request.POST.dict()
    data["attachments"] = request.POST.getlist("attachments")
    version = data.pop("version", None)
    data.pop("csrfmiddlewaretoken", None)
    try:
        with public_base_from(request):
            hazard = hazard_act(hazard_id=pk, actor=request.user, action=action, version=version, data=data)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        refusal_shown(exc)
        failed = {"action": action, "message": exc.message, "fields": exc.fields, "data": data}
        request.session[f"hazard-errors-{pk}"] = failed
    else:
        messages.success(request, _("已完成：%(status)s") % {"status": hazard.get_status_display()})
    return redirect("hazards:detail", pk=pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    kind = request.POST.get("kind", "")
    try:
        for upload in request.FILES.getlist("file") or [None]:
            attachment_add(
                actor=request.user, hazard_id=pk, upload=upload, kind=kind, captured_at=request.POST.get("captured_at")
            )
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        refusal_shown(exc)
        failed = {"action": "upload", "message": exc.message, "fields": exc.fields, "data": {}}
        request.session[f"hazard-errors-{pk}"] = failed
    else:
        messages.success(request, _("附件已上传"))
    return redirect("hazards:detail", pk=pk)


@login_required
@require_GET
def attachment_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    attachment = get_visible_or_404(request.user, Attachment.objects.all(), pk=pk)
    name = attachment.thumbnail if variant == "thumb" and attachment.thumbnail else attachment.file
    content_type = "image/jpeg" if name == attachment.thumbnail else attachment.content_type
    if name == attachment.file:  # the file itself; a thumbnail on the hazard's page is no download
        detail = {"object": str(Attachment._meta.verbose_name), "id": attachment.pk, "file": attachment.original_name}
        security_record(SecurityKind.DOWNLOAD, request=request, result=SecurityResult.SUCCESS, detail=detail)
    return evidence_response(name=name, content_type=content_type, original_name=attachment.original_name)


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, ledger_io.LEDGER_EXPORT)


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import_page(request: HttpRequest) -> HttpResponse:
    if not can_import_ledger(request.user):
        raise PermissionDenied(_("只有监管部门和属地账号可以导入台账"))
    return import_page(request, LEDGER_IMPORT, "hazards/import.html")


@login_required
@require_GET
def ledger_template(request: HttpRequest) -> FileResponse:
    return template_response(_("隐患台账"), ledger_io.COLUMNS)


@require_GET
def listed_hazards(request: HttpRequest) -> HttpResponse:
    """The public 挂牌督办 list (no sign-in): what a listing notice publishes, newest first."""
    level = request.GET.get("level", "")
    page = published_page(Paginator(published_listings(level), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page")))
    context = {"page": page, "level": level, "levels": ListingLevel.choices, "query": query_without_page(request)}
    return render(request, "hazards/listed_public.html", context)
