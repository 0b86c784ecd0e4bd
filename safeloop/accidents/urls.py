from django.urls import path

from safeloop.accidents import views

app_name = "accidents"
urlpatterns = [
    path("", views.accident_index, name="accident_list"),
    path("export.xlsx", views.accident_export, name="accident_export"),
    path("<int:pk>/", views.accident_detail, name="accident_detail"),
    path("disasters/", views.disaster_index, name="disaster_list"),
    path("disasters/export.xlsx", views.disaster_export, name="disaster_export"),
    path("responses/", views.response_index, name="response_list"),
    path("responses/export.xlsx", views.response_export, name="response_export"),
    path("denominators/", views.denominator_index, name="denominator_list"),
    path("denominators/export.xlsx", views.denominator_export, name="denominator_export"),
    path("denominators/import/", views.denominator_import, name="denominator_import"),
]
