from django.urls import path

from safeloop.checklists import views

app_name = "standards_stats"
urlpatterns = [
    path("", views.stats_page, name="page"),
    path("<str:table>.xlsx", views.stats_export, name="export"),
]
