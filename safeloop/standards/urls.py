from django.urls import path

from safeloop.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.standard_list, name="list"),
    path("hint/", views.clause_hint, name="hint"),
    path("clauses/<str:clause_id>/", views.clause_detail, name="clause"),
    path("<str:standard_id>/", views.standard_detail, name="detail"),
]
