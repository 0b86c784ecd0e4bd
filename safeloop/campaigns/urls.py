from django.urls import path

from safeloop.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_index, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_page, name="detail"),
    path("<int:pk>/act/<str:action>/", views.campaign_act, name="act"),
    path("<int:pk>/targets/", views.campaign_targets, name="targets"),
    path("<int:pk>/tasks.xlsx", views.campaign_export, name="export"),
    path("<int:pk>/summary.docx", views.campaign_summary, name="summary"),
    path("<int:pk>/documents/<int:document>/", views.document_file, name="document"),
    path("<int:pk>/operations/", views.campaign_link_operation_view, name="link_operation"),  # issue 17
    path("tasks/<int:pk>/", views.task_page, name="task"),
    path("tasks/<int:pk>/act/<str:action>/", views.task_action, name="task_act"),
]
