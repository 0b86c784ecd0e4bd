from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeloop.core.errors import NotFound, ServiceError
from safeloop.core.forms import FormState, posted, submitted
from safeloop.core.http import query_without_page
from safeloop.core.scope import get_visible_or_404
from safeloop.core.seals import SealBroken, public_base_from, sealed_bytes
from safeloop.core.xlsx import IMPORT_FIELDS, XLSX_CONTENT_TYPE, imported, spooled_workbook
from safeloop.hazards import ledger_io
from safeloop.hazards.documents import TITLES, available_documents, document_sealed
from safeloop.hazards.forms import ACTION_FIELDS, report_form
from safeloop.hazards.ledger_import import ledger_import
from safeloop.hazards.models import Attachment, Status
from safeloop.hazards.selectors import (
    LEVELS,
    SOURCES,
    STATUSES,
    LedgerFilters,
    hazard_events,
    hazard_get,
    is_overdue,
    ledger,
    page_of_hazards,
    status_counts,
    todo,
)
from safeloop.hazards.services import allowed_sources, attachment_add, hazard_report
from safeloop.hazards.workflow import ACTION_LABELS, apply_action, available_actions, signatures
from safeloop.registry.selectors import (
    EnterpriseFilters,
    category_tree,
    enterprise_list,
    enterprise_named,
    regions_for_user,
)

PAGE_SIZE = 50
STATUS_LABELS = dict(Status.choices)


@login_required
@require_GET
def hazard_ledger(request: HttpRequest) -> HttpResponse:
    filters = LedgerFilters.from_params(request.GET)
    qs = ledger(request.user, filters)
    page = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = page_of_hazards(list(page.object_list))
    context = {
        "page": page,
        "filters": filters,
        "query": query_without_page(request),
        "today": timezone.localdate(),
        "counts": status_counts(ledger(request.user, filters.model_copy(update={"status": ""}))),
        "regions": regions_for_user(request.user).filter(level="county"),
        "categories": category_tree(),
        "levels": LEVELS,
        "sources": SOURCES,
        "statuses": STATUSES,
        "can_report": bool(allowed_sources(request.user)),
    }
    template = "hazards/ledger.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@login_required
@require_GET
def hazard_todo(request: HttpRequest) -> HttpResponse:
    page = Paginator(todo(request.user).select_related("enterprise"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hazards/todo.html", {"page": page, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def hazard_new(request: HttpRequest) -> HttpResponse:
    if not allowed_sources(request.user):
        raise Http404
    form = report_form(request.user, posted(request), request.GET)
    if request.method == "POST":
        hazard = submitted(form, hazard_report, actor=request.user)
        if hazard is not None:
            messages.success(request, _("隐患 {code} 已上报").format(code=hazard.code))
            return redirect("hazards:detail", pk=hazard.pk)
    enterprise = enterprise_named(request.user, form.data.get("enterprise"))
    return render(request, "hazards/new.html", {"form": form, "enterprise": enterprise})


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
    actions = [(t, ACTION_FIELDS.get(t.action, ())) for t in available_actions(request.user, hazard)]
    return render(
        request,
        "hazards/detail.html",
        {
            "hazard": hazard,
            "actions": actions,
            "attachments": hazard.attachments.all(),
            "overdue": is_overdue(hazard),
            "fresh_attachments": hazard.attachments.filter(used_in_event__isnull=True),
            "signatures": {stage: signatures(hazard, stage) for stage in ("confirmation", "acceptance")},
            "errors": request.session.pop(f"hazard-errors-{pk}", None),
            "documents": available_documents(hazard),
            "timeline": [
                (e, ACTION_LABELS.get(e.action, e.action), STATUS_LABELS.get(e.to_status, ""))
                for e in hazard_events(hazard)
            ],
        },
    )


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
    response = HttpResponse(content, content_type=record.content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{record.title}-{hazard.code}.docx")
    return response


@login_required
@require_POST
def hazard_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    data = request.POST.dict()
    data["attachments"] = request.POST.getlist("attachments")
    try:
        with public_base_from(request):
            hazard = apply_action(
                hazard_id=pk, actor=request.user, action=action, version=data.pop("version", None), data=data
            )
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        request.session[f"hazard-errors-{pk}"] = {"action": action, "message": exc.message, "fields": exc.fields}
    else:
        messages.success(request, f"已完成：{hazard.get_status_display()}")
    return redirect("hazards:detail", pk=pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        for upload in request.FILES.getlist("file") or [None]:
            attachment_add(actor=request.user, hazard_id=pk, upload=upload)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from exc
        request.session[f"hazard-errors-{pk}"] = {"action": "upload", "message": exc.message, "fields": exc.fields}
    else:
        messages.success(request, "附件已上传")
    return redirect("hazards:detail", pk=pk)


@login_required
@require_GET
def attachment_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    attachment = get_visible_or_404(request.user, Attachment.objects.all(), pk=pk)
    name = attachment.thumbnail if variant == "thumb" and attachment.thumbnail else attachment.file
    content_type = "image/jpeg" if name == attachment.thumbnail else attachment.content_type
    return FileResponse(
        default_storage.open(name),
        content_type=content_type,
        filename=attachment.original_name if variant == "file" else None,
    )


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> FileResponse:
    qs = ledger(request.user, LedgerFilters.from_params(request.GET))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        spooled_workbook("隐患台账", ledger_io.COLUMNS, ledger_io.export_rows(qs)),
        as_attachment=True,
        filename=f"隐患台账-{stamp}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_regulator:
        raise Http404
    form = FormState(IMPORT_FIELDS)
    report = imported(form, request, ledger_import) if request.method == "POST" else None
    return render(request, "hazards/import.html", {"form": form, "report": report})


@login_required
@require_GET
def ledger_template(request: HttpRequest) -> FileResponse:
    return FileResponse(
        spooled_workbook("隐患台账", ledger_io.COLUMNS, []),
        as_attachment=True,
        filename="隐患台账导入模板.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
