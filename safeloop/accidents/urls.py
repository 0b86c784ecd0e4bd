from django.urls import path

from safeloop.accidents import views

app_name = "accidents"
urlpatterns = [
    path("", views.accident_index, name="accident_list"),
    path("export.xlsx", views.accident_export, name="accident_export"),
    path("new/", views.accident_new, name="accident_new"),
    path("<int:pk>/", views.accident_detail, name="accident_detail"),
    path("<int:pk>/edit/", views.accident_edit, name="accident_edit"),
    path("<int:pk>/casualties/", views.accident_casualties, name="accident_casualties"),
    path("disasters/", views.disaster_index, name="disaster_list"),
    path("disasters/new/", views.disaster_new, name="disaster_new"),
    path("disasters/<int:pk>/edit/", views.disaster_edit, name="disaster_edit"),
    path("disasters/export.xlsx", views.disaster_export, name="disaster_export"),
    path("responses/", views.response_index, name="response_list"),
    path("responses/export.xlsx", views.response_export, name="response_export"),
    path("responses/new/", views.response_new, name="response_new"),
    path("responses/<int:pk>/edit/", views.response_edit, name="response_edit"),
    path("denominators/", views.denominator_index, name="denominator_list"),
    path("denominators/export.xlsx", views.denominator_export, name="denominator_export"),
    path("denominators/import/", views.denominator_import, name="denominator_import"),
]
