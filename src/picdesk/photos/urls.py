from django.urls import path

from picdesk.photos import views

app_name = "photos"
urlpatterns = [
    path("media/r/<str:key>/<int:width>.<str:ext>", views.rendition, name="rendition"),
    path("media/r/<str:key>/<str:crop>/<int:width>.<str:ext>", views.rendition, name="cropped"),
]
