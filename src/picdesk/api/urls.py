from django.urls import include, path, re_path

from picdesk.api import openapi, views, writes

# GET reads live content; POST, with a bearer token, writes.
slideshows = [
    path("", views.slideshows, name="slideshows"),
    path("/<str:slug>", views.slideshow, name="slideshow"),
]
photos = [
    path("", writes.upload_photo, name="photos"),
    path("/<str:key>", views.photo, name="photo"),
    path("/<str:key>/original", views.original, name="original"),
]

app_name = "api"
urlpatterns = [
    path("openapi.json", openapi.description, name="openapi"),
    path("slideshows", include(slideshows)),
    path("photos", include(photos)),
    # Everything else under /api/v1/ answers in JSON too, never an HTML page.
    re_path(r"^", views.not_found),
]
