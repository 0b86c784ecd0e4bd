from django.urls import path

from safeloop.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.enterprise_index, name="enterprise_list"),
    path("new/", views.enterprise_new, name="enterprise_new"),
    path("export.xlsx", views.enterprise_export, name="enterprise_export"),
    path("import/", views.enterprise_import, name="enterprise_import"),
    path("import/template.xlsx", views.enterprise_template, name="enterprise_template"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("map/<str:code>.json", views.region_map, name="region_map"),
    path("<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
]
