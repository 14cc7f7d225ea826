from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt as no_cookies

from picdesk.api import openapi, views, writes

# GET reads live content; POST, with a bearer token, writes. No view here
# reads a cookie, so CSRF protection has nothing to protect: exempt, a method
# no view takes (QUERY, PROPFIND) meets the view's own check, 405 with Allow,
# not the CSRF check's 403.
slideshow = [path("<str:slug>", no_cookies(views.slideshow), name="slideshow")]
photo = [
    path("<str:key>", no_cookies(views.photo), name="photo"),
    path("<str:key>/original", no_cookies(views.original), name="original"),
    path("<str:key>/credentials", no_cookies(views.credentials), name="credentials"),
]

app_name = "api"
urlpatterns = [
    path("openapi.json", no_cookies(openapi.description), name="openapi"),
    path("slideshows", views.slideshows, name="slideshows"),
    path("slideshows/", include(slideshow)),
    path("photos", writes.upload_photo, name="photos"),
    path("photos/", include(photo)),
    # Everything else under /api/v1/ answers in JSON too, never an HTML page.
    re_path(r"^", no_cookies(views.not_found)),
]
