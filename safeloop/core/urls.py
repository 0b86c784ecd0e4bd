from django.urls import path

from safeloop.core import security_pages, views

app_name = "core"
urlpatterns = [
    # Browsers ask for /favicon.ico on pages that name no icon (the admin): no 404 in their console.
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.health, name="health"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("jobs/<uuid:pk>/", views.job_page, name="job"),
    path("jobs/<uuid:pk>/download", views.job_file, name="job_file"),
    path("security-log/", security_pages.security_log_page, name="security_log"),
    path("security-log/export", security_pages.security_log_export, name="security_log_export"),
    path("system/", views.system_page, name="system"),
]
