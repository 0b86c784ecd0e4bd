from django.urls import path

from safeloop.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.health, name="health"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("jobs/<uuid:pk>/", views.job_page, name="job"),
    path("jobs/<uuid:pk>/download", views.job_file, name="job_file"),
    path("system/", views.system_page, name="system"),
]
