from django.urls import path

from safeloop.checklists import views

app_name = "checklists"
urlpatterns = [
    path("", views.checklist_index, name="list"),
    path("new/", views.checklist_new, name="new"),
    path("<int:pk>/", views.checklist_detail, name="detail"),
    path("<int:pk>/items/<str:clause>/", views.item_save, name="answer"),
    path("<int:pk>/submit/", views.checklist_finish, name="submit"),
    path("photos/<int:pk>/<str:variant>/", views.photo_file, name="photo"),
]
