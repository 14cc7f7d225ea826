"""schema.org JSON-LD for slideshow and photo pages (ImageGallery, ImageObject).

Search engines and link previews read these; every value is metadata from a
file, so the serialised JSON is escaped for safe embedding in a <script>.
"""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from picdesk.photos.licensing import licence_of
from picdesk.photos.spec import ASPECTS
from picdesk.photos.models import Photo
from picdesk.photos.storage_names import rendition_url
from picdesk.photos.renditions import largest_jpeg_url, nearest_width
from picdesk.slideshows.models import Slide, Slideshow

SOCIAL_WIDTH = 1200  # what Open Graph consumers ask for
SOCIAL_ASPECT = "191x100"

# The characters that could end a <script> element or open a comment.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def as_script(data: dict) -> SafeString:
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))


def social_image(request, photo: Photo) -> dict:
    """Absolute URL and size of a photo's 1.91:1 crop nearest 1200 px wide."""
    width = nearest_width(photo, SOCIAL_WIDTH, SOCIAL_ASPECT)
    ratio_w, ratio_h = ASPECTS[SOCIAL_ASPECT]
    return {
        "url": request.build_absolute_uri(rendition_url(photo, width, "jpeg", SOCIAL_ASPECT)),
        "width": width,
        "height": round(width * ratio_h / ratio_w),
    }


def _image(request, slideshow: Slideshow, slide: Slide) -> dict:
    photo = slide.photo
    licence = licence_of(photo)
    data = {
        "@type": "ImageObject",
        "contentUrl": request.build_absolute_uri(largest_jpeg_url(photo)),
        "url": request.build_absolute_uri(slide.get_absolute_url()),
        "caption": slide.display_caption,
        "creditText": photo.credit_line,
        "copyrightNotice": photo.copyright_notice,
        "datePublished": slideshow.published_at.isoformat(),
        "dateCreated": photo.date_created,
        # Google Images shows a picture with these as licensable.
        "license": licence.terms_url,
        "acquireLicensePage": licence.licensor_url,
        # Only where readers see a label (photos.provenance): AI-made, composite...
        "digitalSourceType": photo.source_type if photo.source_label else "",
        "width": photo.width,
        "height": photo.height,
    }
    if photo.byline:
        data["creator"] = {"@type": "Person", "name": photo.byline}
    return {key: value for key, value in data.items() if value}


def gallery(request, slideshow: Slideshow) -> SafeString:
    slides = list(slideshow.slides.all())
    return as_script({
        "@context": "https://schema.org",
        "@type": "ImageGallery",
        "name": slideshow.title,
        "description": slideshow.summary,
        "url": request.build_absolute_uri(slideshow.get_absolute_url()),
        "datePublished": slideshow.published_at.isoformat(),
        "associatedMedia": [_image(request, slideshow, slide) for slide in slides],
    })


def image_object(request, slideshow: Slideshow, slide: Slide) -> SafeString:
    return as_script({"@context": "https://schema.org", **_image(request, slideshow, slide)})
