from django.urls import path

from picdesk.reader import embeds, feeds, images, site, sitemaps, views

app_name = "reader"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("manifest.webmanifest", site.manifest, name="manifest"),
    path("logo", site.logo, name="logo"),
    path("oembed", embeds.oembed, name="oembed"),
    path("embed/<slug:slug>/", embeds.player, name="embed"),
    path("feeds/atom.xml", feeds.LatestSlideshows(), name="feed_atom"),
    path("feeds/rss.xml", feeds.LatestSlideshowsRss(), name="feed_rss"),
    path("feeds/series/<slug:slug>/atom.xml", feeds.SeriesSlideshows(), name="series_feed_atom"),
    path("feeds/series/<slug:slug>/rss.xml", feeds.SeriesSlideshowsRss(), name="series_feed_rss"),
    path("sitemap.xml", sitemaps.index, name="sitemap_index"),
    path("sitemaps/<number:year>-<number:month>.xml", sitemaps.month, name="sitemap"),
    path("fragments/more-in-pictures/", views.more_in_pictures_fragment, name="more_in_pictures"),
    path("fragments/more-in-pictures/<slug:slug>/", views.more_in_pictures_fragment, name="more_in_pictures_beside"),
    path("pictures/series/", views.all_series, name="all_series"),
    path("pictures/archive/", views.archive_index, name="archive_index"),
    path("pictures/series/<slug:slug>/", views.series, name="series"),
    path("pictures/<number:year>/<number:month>/", views.archive, name="archive"),
    path("pictures/<slug:slug>/", views.slideshow, name="slideshow"),
    path("pictures/<slug:slug>/<number:number>/", views.photo, name="photo"),
    path("media/r/<str:key>/<number:width>.<str:ext>", images.rendition, name="rendition"),
    path("media/r/<str:key>/<str:crop>/<number:width>.<str:ext>", images.rendition, name="cropped"),
]
