from django.urls import path

from safeloop.duties import views

app_name = "duties"
urlpatterns = [
    path("", views.home, name="home"),
    path("lists/<int:pk>/", views.duty_list_page, name="list"),
    path("tasks/", views.task_index, name="tasks"),
    path("tasks/<int:pk>/", views.task_page, name="task"),
    path("tasks/<int:pk>/update/", views.task_update_view, name="task_update"),
    path("tasks/<int:pk>/evidence/", views.task_evidence_view, name="task_evidence"),
    path("tasks/<int:pk>/evidence/<int:evidence>/", views.evidence_file, name="evidence"),
    path("drills/", views.drills_page, name="drills"),
    path("accountability/", views.accountability_page, name="accountability"),
    path("assessments/<int:year>/", views.assessment_page, name="assessment"),
    path("assessments/<int:year>/export.xlsx", views.assessment_export, name="assessment_export"),
    path("assessments/<int:year>/close/", views.assessment_close, name="assessment_close"),
    path("assessments/<int:year>/units/<int:unit>/", views.assessment_unit, name="assessment_unit"),
    path("assessments/<int:year>/units/<int:unit>/score/", views.manual_score, name="manual_score"),
    path("assessments/<int:year>/units/<int:unit>/<str:code>/<str:part>/", views.drill_page, name="drill"),
]
