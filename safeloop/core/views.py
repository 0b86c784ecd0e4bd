from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safeloop.core.backup import backup_files
from safeloop.core.docx import chinese_date
from safeloop.core.http import HtmxHttpRequest
from safeloop.core.jobs import job_back, job_download, job_expired, job_get, job_unit
from safeloop.core.ledger import ledger_status
from safeloop.core.roles import Role
from safeloop.core.seals import seal_by_token, seal_check
from safeloop.core.security_log import SecurityKind, SecurityResult, record


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public (no sign-in): what a sealed document publishes about itself, and a check of a
    file or hash against it. An unknown token is the plain 404, whatever the method."""
    record = seal_by_token(token)
    if record is None:
        raise Http404
    check = None
    if request.method == "POST":
        check = seal_check(record, upload=request.FILES.get("file"), sha256=request.POST.get("sha256", ""))
    context = {"record": record, "issued_on": chinese_date(record.issued_on), "check": check}
    return render(request, "core/verify.html", context)


@login_required
@require_GET
def job_page(request: HtmxHttpRequest, pk: str) -> HttpResponse:
    """A job's progress; the htmx partial polls itself until the job has ended."""
    job = job_get(request.user, pk)
    template = "core/job.html#status" if request.htmx else "core/job.html"
    return render(
        request, template, {"job": job, "expired": job_expired(job), "back": job_back(job), "unit": job_unit(job)}
    )


@login_required
@require_GET
def job_file(request: HttpRequest, pk: str) -> FileResponse:
    job = job_download(request.user, pk)
    detail = {"title": job.title, "file": job.result_name}
    record(SecurityKind.DOWNLOAD, request=request, result=SecurityResult.SUCCESS, detail=detail)
    return FileResponse(
        default_storage.open(job.result_file),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type,
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("favicon.svg"), permanent=True)


@login_required
@require_GET
def system_page(request: HttpRequest) -> HttpResponse:
    """数据安全 (system administrators): the ledger's published daily roots (what an auditor compares a copy with)."""
    if getattr(request.user, "role", None) != Role.SYSADMIN:
        raise PermissionDenied(_("数据安全页面仅限系统管理员"))
    return render(request, "core/system.html", {"ledger": ledger_status(), "backups": backup_files()})
