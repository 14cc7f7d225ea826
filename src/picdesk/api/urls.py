from django.urls import path

from picdesk.api import views

app_name = "api"
urlpatterns = [
    path("slideshows", views.slideshows, name="slideshows"),
    path("slideshows/<slug:slug>", views.slideshow, name="slideshow"),
    path("photos/<str:key>", views.photo, name="photo"),
    path("photos/<str:key>/original", views.original, name="original"),
]
