from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeloop.workbench.selectors import workbench_figures


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "workbench/home.html", {"figures": workbench_figures(request.user)})
