from django.urls import include, path, re_path

from picdesk.api import openapi, views, writes

# GET reads live content; POST, with a bearer token, writes.
slideshow = [path("<str:slug>", views.slideshow, name="slideshow")]
photo = [
    path("<str:key>", views.photo, name="photo"),
    path("<str:key>/original", views.original, name="original"),
    path("<str:key>/credentials", views.credentials, name="credentials"),
]

app_name = "api"
urlpatterns = [
    path("openapi.json", openapi.description, name="openapi"),
    path("slideshows", views.slideshows, name="slideshows"),
    path("slideshows/", include(slideshow)),
    path("photos", writes.upload_photo, name="photos"),
    path("photos/", include(photo)),
    # Everything else under /api/v1/ answers in JSON too, never an HTML page.
    re_path(r"^", views.not_found),
]
