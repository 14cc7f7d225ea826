from django.urls import path

from picdesk.reader import views

app_name = "reader"
urlpatterns = [
    path("", views.home, name="home"),
    path("pictures/<slug:slug>/", views.slideshow, name="slideshow"),
]
