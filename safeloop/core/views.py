from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeloop.core.http import HtmxHttpRequest
from safeloop.core.jobs import job_back, job_download, job_expired, job_get


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_required
@require_GET
def job_page(request: HtmxHttpRequest, pk: str) -> HttpResponse:
    """A job's progress; the htmx partial polls itself until the job has ended."""
    job = job_get(request.user, pk)
    template = "core/job.html#status" if request.htmx else "core/job.html"
    return render(request, template, {"job": job, "expired": job_expired(job), "back": job_back(job)})


@login_required
@require_GET
def job_file(request: HttpRequest, pk: str) -> FileResponse:
    job = job_download(request.user, pk)
    return FileResponse(
        default_storage.open(job.result_file),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type,
    )
