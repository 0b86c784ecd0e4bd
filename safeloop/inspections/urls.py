from django.urls import path

from safeloop.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_index, name="list"),
    path("export/", views.inspection_export, name="export"),
    path("new/", views.inspection_new, name="new"),
    path("<int:pk>/", views.inspection_page, name="detail"),
    path("<int:pk>/actions/<str:action>/", views.inspection_action, name="action"),
    path("<int:pk>/site-record/", views.site_record_file, name="site_record"),
    path("plans/", views.plan_index, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("draws/", views.draw_index, name="draws"),
    path("draws/<int:pk>/", views.draw_page, name="draw"),
    path("public/draws/<int:pk>/", views.draw_public, name="draw_public"),
    path("burden/", views.burden_page, name="burden"),
    path("stats/", views.stats_page, name="stats"),
]
