from django.urls import path

from picdesk.reader import sitemaps, views

app_name = "reader"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap_index"),
    path("sitemaps/<int:year>-<int:month>.xml", sitemaps.month, name="sitemap"),
    path("pictures/series/<slug:slug>/", views.series, name="series"),
    path("pictures/<int:year>/<int:month>/", views.archive, name="archive"),
    path("pictures/<slug:slug>/", views.slideshow, name="slideshow"),
    path("pictures/<slug:slug>/<int:number>/", views.photo, name="photo"),
]
