from django.urls import path

from safeloop.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.health, name="health"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
