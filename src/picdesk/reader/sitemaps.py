"""Sitemaps for search engines: an index, and one sitemap per month of the
slideshow and photo pages published in it, each page with its image (Google's
image extension) and its last modification.

Written as two small views rather than with django.contrib.sitemaps, whose
sections are fixed when the URLconf loads (these are months, added as they
come) and whose templates know no images.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.db.models import Max, Prefetch
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from picdesk.core.caching import LISTINGS, revalidated, tag, tag_photos, tag_slideshows
from picdesk.core.pagecache import cached_page
from picdesk.photos.renditions import largest_jpeg_url
from picdesk.reader.views import live_in_month
from picdesk.slideshows.models import Slide, Slideshow


@require_safe
@cached_page
def index(request):
    tag(LISTINGS)
    months = (
        Slideshow.objects.live()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(lastmod=Max("updated_at"))
        .order_by("-month")
    )
    sitemaps = [
        {
            "location": request.build_absolute_uri(
                reverse("reader:sitemap", kwargs={"year": m["month"].year, "month": m["month"].month})
            ),
            "lastmod": m["lastmod"],
        }
        for m in months
    ]
    return _xml(request, "reader/sitemap_index.xml", {"sitemaps": sitemaps})


@require_safe
@cached_page
def month(request, year: int, month: int):
    """A month's slideshow and photo pages. Written without the template
    engine: an agency's month is thousands of URLs, and a template loop over
    them costs ten times the queries."""
    tag(LISTINGS)
    shows = list(live_in_month(year, month).only("slug", "updated_at").prefetch_related(
        Prefetch("slides", queryset=Slide.objects.select_related("photo").only(*SLIDE_FIELDS))
    ).order_by("published_at", "id"))
    if not shows:
        raise Http404("Nothing published that month")
    tag_slideshows(shows)
    tag_photos(slide.photo for show in shows for slide in show.slides.all())
    site = request.build_absolute_uri("/")[:-1]
    lines = [URLSET_START]
    for show in shows:
        slides = show.slides.all()
        images = [site + largest_jpeg_url(slide.photo) for slide in slides]
        lastmod = show.updated_at.isoformat()
        lines.append(_url(site + show.get_absolute_url(), lastmod, images))
        lines += [_url(site + slide.get_absolute_url(), lastmod, [image]) for slide, image in zip(slides, images)]
    lines.append("</urlset>\n")
    return revalidated(HttpResponse("".join(lines), content_type="application/xml; charset=utf-8"))


# What a sitemap entry needs of a slide and its photo (no captions, no JSON).
SLIDE_FIELDS = ("slideshow", "number", "position", "photo__public_key", "photo__width", "photo__height")
URLSET_START = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
                ' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n')


def _url(location: str, lastmod: str, images: list[str]) -> str:
    pictures = "".join(f"    <image:image><image:loc>{escape(image)}</image:loc></image:image>\n" for image in images)
    return f"  <url>\n    <loc>{escape(location)}</loc>\n    <lastmod>{lastmod}</lastmod>\n{pictures}  </url>\n"


def _xml(request, template: str, context: dict) -> HttpResponse:
    return revalidated(render(request, template, context, content_type="application/xml; charset=utf-8"))


@require_safe
def robots(request):
    sitemap = request.build_absolute_uri(reverse("reader:sitemap_index"))
    # Search result pages stay open to crawlers (each names its canonical,
    # normalised query); the desk and Django's admin do not.
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /desk/", "Disallow: /fragments/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
