from django.urls import path

from safeloop.flood import views

app_name = "flood"
urlpatterns = [
    path("", views.index, name="index"),
    path("points/", views.points, name="points"),
    path("points/export.xlsx", views.point_export, name="point_export"),
    path("points/import/", views.point_import, name="point_import"),
    path("points/new/", views.point_new, name="point_new"),
    path("points/<int:pk>/", views.point_detail, name="point_detail"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("patrols/", views.patrols, name="patrols"),
    path("patrols/new/", views.patrol_new, name="patrol_new"),
    path("dangers/<int:pk>/", views.danger_detail, name="danger_detail"),
    path("dangers/<int:pk>/<str:action>/", views.danger_action, name="danger_action"),
    path("zero-reports/", views.zero_reports, name="zero_reports"),
    path("duty/", views.duty, name="duty"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/document.docx", views.alert_file, name="alert_file"),
    path("alerts/<int:pk>/<str:action>/", views.alert_action, name="alert_action"),
    path("reliefs/<int:pk>/distributed/", views.relief_distributed, name="relief_distributed"),
    path("resources/", views.resources, name="resources"),
    path("drought/", views.drought, name="drought"),
]
