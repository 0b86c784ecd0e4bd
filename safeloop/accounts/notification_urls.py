"""/notifications/: the signed-in user's own notifications (mounted by config/urls.py)."""

from django.urls import path

from safeloop.accounts import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_index, name="list"),
    path("<int:pk>/", views.notification_go, name="open"),
    path("read-all/", views.notification_read_all, name="read_all"),
]
