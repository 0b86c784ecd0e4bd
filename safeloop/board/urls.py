from django.urls import path

from safeloop.board import views

app_name = "board"
urlpatterns = [
    path("", views.board_page, name="page"),
    path("screen/", views.board_screen, name="screen"),
    path("data.json", views.board_data, name="data"),
    path("layers/<slug:layer>.json", views.board_layer, name="layer"),
    path("outline/<str:code>.<str:version>.json", views.board_outline, name="outline"),
]
