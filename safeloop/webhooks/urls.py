from django.urls import path

from safeloop.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.home, name="home"),
    path("targets/", views.target_new, name="target_new"),
    path("targets/<int:pk>/remove", views.target_remove_view, name="target_remove"),
    path("new", views.subscription_new, name="subscription_new"),
    path("<int:pk>/", views.subscription_page, name="subscription"),
    path("<int:pk>/active", views.subscription_active, name="subscription_active"),
    path("deliveries/<uuid:pk>/replay", views.replay, name="replay"),
]
