"""The public report channel (no sign-in, under /report/) and the handlers' pages (/reports/)."""

from django.urls import path

from safeloop.reporting import stats_views, views

app_name = "reporting"
urlpatterns = [
    path("report/", views.public_new, name="public_new"),
    path("report/e/<str:code>/", views.public_enterprise, name="public_enterprise"),
    path("report/done/", views.public_done, name="public_done"),
    path("report/track/", views.public_track, name="public_track"),
    path("reports/", views.report_list_page, name="list"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/actions/<str:action>/", views.report_action, name="action"),
    path("reports/<int:pk>/photos/<int:photo_id>/", views.report_photo, name="photo"),
    path("reports/mechanisms/", stats_views.compliance, name="compliance"),
    path("reports/mechanisms/export.xlsx", stats_views.compliance_export, name="compliance_export"),
    path("reports/mechanisms/<int:enterprise_id>/", stats_views.mechanism_page, name="mechanism"),
    path(
        "reports/mechanisms/<int:enterprise_id>/documents/<int:document_id>/",
        stats_views.mechanism_document,
        name="mechanism_document",
    ),
    path("reports/statistics/", stats_views.report_statistics, name="statistics"),
    path("reports/policy/", stats_views.policy_page, name="policy"),
]
