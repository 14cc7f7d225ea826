"""Atom and RSS 2.0 feeds of the latest slideshows, site-wide and per series,
each entry carrying its photos as Media RSS: a ``media:content`` per photo
(a ``media:group`` is for versions of one picture, which these are not) with
size, type, description, photographer, copyright and licence.

Django's syndication framework builds the feeds; the two generator subclasses
below only add the Media RSS namespace and elements.
"""

from __future__ import annotations

import copy

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from picdesk.core.config import setting
from picdesk.core.caching import LISTINGS, revalidated, tag, tag_photos, tag_slideshows
from picdesk.core.pagecache import cached_page
from picdesk.photos.licensing import licence_of
from picdesk.photos.models import Rendition
from picdesk.photos.storage_names import rendition_url
from picdesk.photos.renditions import largest_jpeg_url, largest_width, nearest_width
from picdesk.slideshows.models import Series, Slide, Slideshow

MEDIA_NS = "http://search.yahoo.com/mrss/"
ITEMS = 20
THUMBNAIL_WIDTH = 320


class MediaRssMixin:
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for photo in item["photos"]:
            handler.startElement("media:content", photo["content"])
            handler.addQuickElement("media:description", photo["description"], {"type": "plain"})
            if photo["source_type"]:
                # IPTC Digital Source Type, as Media RSS categories are: a scheme and a term.
                scheme, _, term = photo["source_type"].rpartition("/")
                handler.addQuickElement("media:category", term, {"scheme": scheme + "/"})
            if photo["credit"]:
                handler.addQuickElement("media:credit", photo["credit"], {"role": "photographer"})
            if photo["copyright"]:
                handler.addQuickElement("media:copyright", photo["copyright"])
            if photo["license"]:
                handler.addQuickElement("media:license", photo["license_name"],
                                        {"type": "text/html", "href": photo["license"]})
            handler.addQuickElement("media:thumbnail", "", photo["thumbnail"])
            handler.endElement("media:content")


class MediaAtomFeed(MediaRssMixin, Atom1Feed):
    pass


class MediaRssFeed(MediaRssMixin, Rss201rev2Feed):
    pass


class LatestSlideshows(Feed):
    """The latest live slideshows, newest first."""

    feed_type = MediaAtomFeed

    def title(self):
        return setting("PICDESK_SITE_NAME")

    def description(self):
        return setting("PICDESK_SITE_DESCRIPTION")

    def author_name(self):
        return f"{setting('PICDESK_SITE_NAME')} desk"

    def link(self):
        return reverse("reader:home")

    def slideshows(self, obj):
        return Slideshow.objects.live()

    def items(self, obj=None):
        slides = Slide.objects.select_related("photo").prefetch_related(
            Prefetch("photo__renditions", queryset=Rendition.objects.filter(crop="", format="jpeg"))
        )
        items = list(
            self.slideshows(obj)
            .prefetch_related(Prefetch("slides", queryset=slides), "corrections")
            .newest_first()[:ITEMS]
        )
        tag_slideshows(items)
        tag_photos(slide.photo for show in items for slide in show.slides.all())
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """The summary, then which photos are AI-generated or composites (a
        feed reader that ignores Media RSS still tells its readers), then
        each correction with its date."""
        labelled = [f"Photo {n}: {slide.photo.source_label}." for n, slide in enumerate(item.slides.all(), 1)
                    if slide.photo.source_label]
        corrections = [f"Correction ({c.created_at:%B} {c.created_at.day}, {c.created_at:%Y}): {c.note}"
                       for c in item.corrections.all()]
        return " ".join([item.summary, *labelled, *corrections]).strip()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """A correction is an update, whatever else changed."""
        return max([item.updated_at, item.published_at, *(c.created_at for c in item.corrections.all())])

    def item_extra_kwargs(self, item):
        return {"photos": [self._media(slide) for slide in item.slides.all()]}

    def _media(self, slide) -> dict:
        photo = slide.photo
        absolute = self.request.build_absolute_uri
        width = largest_width(photo)
        thumbnail = nearest_width(photo, THUMBNAIL_WIDTH)
        licence = licence_of(photo)
        return {
            "content": {
                "url": absolute(largest_jpeg_url(photo)),
                "type": "image/jpeg",
                "medium": "image",
                "width": str(width),
                "height": str(round(photo.height * width / photo.width)),
            },
            "description": " ".join(filter(None, [photo.source_label and f"{photo.source_label}.",
                                                  slide.display_caption])),
            "source_type": photo.source_type,
            "credit": photo.byline or photo.credit,
            "copyright": photo.copyright_notice,
            "license": licence.terms_url,
            "license_name": photo.usage_terms[:200] or "Terms of use",
            "thumbnail": {
                "url": absolute(rendition_url(photo, thumbnail, "jpeg")),
                "width": str(thumbnail),
                "height": str(round(photo.height * thumbnail / photo.width)),
            },
        }

    def __call__(self, request, *args, **kwargs):
        # The URLconf holds one instance for every thread: each request gets
        # a copy of its own, which ``_media`` asks for absolute addresses.
        return cached_page(copy.copy(self)._respond)(request, *args, **kwargs)

    def _respond(self, request, *args, **kwargs):
        self.request = request
        tag(LISTINGS)
        return revalidated(super().__call__(request, *args, **kwargs))


class LatestSlideshowsRss(LatestSlideshows):
    feed_type = MediaRssFeed


class SeriesSlideshows(LatestSlideshows):
    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)

    def title(self, obj):
        return obj.name

    def link(self, obj):
        return reverse("reader:series", kwargs={"slug": obj.slug})

    def slideshows(self, obj):
        return Slideshow.objects.live().filter(series=obj)


class SeriesSlideshowsRss(SeriesSlideshows):
    feed_type = MediaRssFeed
