from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeloop.core.selectors import workbench_figures


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"figures": workbench_figures(request.user)})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
