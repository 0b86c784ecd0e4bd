from django.urls import path

from safeloop.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("", views.clue_index, name="clues"),
    path("clues/new/", views.clue_new, name="clue_new"),
    path("clues/<int:pk>/", views.clue_page, name="clue"),
    path("clues/<int:pk>/actions/<str:action>/", views.clue_action, name="clue_action"),
    path("clues/<int:pk>/photos/<int:photo>/", views.clue_photo, name="clue_photo"),
    path("clues/<int:pk>/match/", views.subject_link, name="subject_match"),
    path("cases/", views.case_index, name="cases"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/actions/<str:action>/", views.case_action, name="case_action"),
    path("cases/<int:pk>/documents/<str:document>/", views.case_document, name="case_document"),
    path("operations/", views.operation_index, name="operations"),
    path("operations/<int:pk>/", views.operation_page, name="operation"),
    path("stats/", views.stats_page, name="stats"),
]
