from django.urls import path

from safeloop.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<str:table>.xlsx", views.export, name="export"),
]
