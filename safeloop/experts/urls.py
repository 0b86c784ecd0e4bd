from django.urls import path

from safeloop.experts import views

app_name = "experts"
urlpatterns = [
    path("", views.pool, name="pool"),
    path("export.xlsx", views.pool_export, name="pool_export"),
    path("import/", views.pool_import, name="pool_import"),
    path("import/template.xlsx", views.pool_template, name="pool_template"),
    path("new/", views.expert_new, name="expert_new"),
    path("<int:pk>/", views.expert_page, name="expert"),
    path("<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("<int:pk>/conflicts/", views.conflict_new, name="conflict_new"),
    path("matching/", views.matching, name="matching"),
    path("matching/<int:pk>/", views.run_page, name="run"),
    path("matching/<int:pk>/rows/<int:row>/", views.run_change, name="run_change"),
    path("matching/<int:pk>/apply/", views.run_apply, name="run_apply"),
    path("matching/<int:pk>/export.xlsx", views.run_export, name="run_export"),
    path("stationings/", views.stationings, name="stationings"),
    path("stationings/new/", views.stationing_new, name="stationing_new"),
    path("stationings/<int:pk>/", views.stationing_page, name="stationing"),
    path("stationings/<int:pk>/end/", views.stationing_end_view, name="stationing_end"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_page, name="visit"),
]
