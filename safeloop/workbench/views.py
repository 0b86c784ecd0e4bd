from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeloop.workbench.charts import rates
from safeloop.workbench.selectors import charts_json, workbench_figures


@login_required
def home(request: HttpRequest) -> HttpResponse:
    figures = workbench_figures(request.user)
    context = {"figures": figures, "charts": charts_json(figures), "rates": rates().values()}
    return render(request, "workbench/home.html", context)
