from django.urls import path

from safeloop.briefings import views

app_name = "briefings"
urlpatterns = [
    path("", views.briefing_index, name="list"),
    path("<int:pk>/", views.briefing_page, name="detail"),
    path("<int:pk>/paragraphs/<int:paragraph>/", views.paragraph_save, name="paragraph"),
    path("<int:pk>/act/<str:action>/", views.briefing_act, name="act"),
    path("<int:pk>/document.docx", views.briefing_document, name="document"),
    path("<int:pk>/charts/<int:paragraph>.png", views.chart, name="chart"),
]
