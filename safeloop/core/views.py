from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from safeloop.core.docx import chinese_date
from safeloop.core.seals import seal_by_token, seal_check


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
