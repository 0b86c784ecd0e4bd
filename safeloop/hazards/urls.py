from django.urls import path

from safeloop.hazards import views

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_ledger, name="ledger"),
    path("todo/", views.hazard_todo, name="todo"),
    path("new/", views.hazard_new, name="new"),
    path("new/enterprises/", views.enterprise_options, name="enterprise_options"),
    path("on-spot/", views.hazard_on_spot, name="on_spot"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("import/", views.ledger_import_page, name="import"),
    path("import/template.xlsx", views.ledger_template, name="import_template"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.hazard_action, name="act"),
    path("<int:pk>/attachments/", views.attachment_upload, name="upload"),
    path("<int:pk>/documents/<str:kind>.docx", views.hazard_document, name="document"),
    path("attachments/<int:pk>/<str:variant>/", views.attachment_file, name="attachment"),
]
