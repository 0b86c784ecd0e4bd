"""Pages open without sign-in (under /public/): the 挂牌督办 list."""

from django.urls import path

from safeloop.hazards import views

app_name = "public"
urlpatterns = [
    path("listed-hazards/", views.listed_hazards, name="listed_hazards"),
]
