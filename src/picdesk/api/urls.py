from django.urls import path, re_path

from picdesk.api import openapi, views, writes

app_name = "api"
urlpatterns = [
    path("openapi.json", openapi.description, name="openapi"),
    path("slideshows", views.slideshows, name="slideshows"),
    path("slideshows/<str:slug>", views.slideshow, name="slideshow"),
    path("photos", writes.upload_photo, name="photos"),
    path("photos/<str:key>", views.photo, name="photo"),
    path("photos/<str:key>/original", views.original, name="original"),
    # Everything else under /api/v1/ answers in JSON too, never an HTML page.
    re_path(r"^", views.not_found),
]
