"""Slideshows and photos as IPTC ninjs 2.2 documents.

A photo is a ``picture``; a slideshow is a ``composite`` whose
``associations`` are its photos in order. Every URL is absolute; every
document validates against IPTC's schema (tests/api/test_ninjs.py).
"""

from __future__ import annotations

from django.urls import reverse

from picdesk.photos.disclosure import disclosure_for
from picdesk.photos.models import Photo
from picdesk.photos.spec import MIME_TYPES
from picdesk.photos.provenance import source_type_name
from picdesk.slideshows.models import Slide, Slideshow

MEDIA_TYPE = "application/ninjs+json"


def _text(value: str) -> list[dict]:
    return [{"value": value}] if value else []


def photo_document(request, photo: Photo, caption: str = "") -> dict:
    """``caption``: the slideshow's caption for this photo, else its own."""
    absolute = request.build_absolute_uri
    renditions = [
        {
            "name": f"{r.format}-{r.width}",
            "href": absolute(r.url),
            "contenttype": MIME_TYPES[r.format],
            "width": r.width,
            "height": r.height,
            "sizeinbytes": r.file_size,
        }
        for r in photo.renditions.all()
        if not r.crop
    ]
    places = [
        {"name": name, "rel": rel}
        for name, rel in [(photo.sublocation, "sublocation"), (photo.city, "city"),
                          (photo.state, "province-state"), (photo.country, "country")]
        if name
    ]
    document = {
        "uri": absolute(reverse("api:photo", kwargs={"key": photo.public_key})),
        "type": "picture",
        "versioncreated": photo.imported_at.isoformat(),
        "headlines": _text(photo.headline),
        "descriptions": _text(caption or photo.caption),
        "by": photo.byline,
        "copyrightholder": photo.credit,
        "copyrightnotice": photo.copyright_notice,
        "usageterms": photo.usage_terms,
        "altids": [{"role": "jobid", "value": photo.job_id}] if photo.job_id else [],
        "located": ", ".join(p["name"] for p in places),
        "places": places,
        "subjects": [{"name": keyword} for keyword in photo.keywords],
        "people": [{"name": person} for person in photo.persons_shown],
        "renditions": renditions,
        "digitalsourcetype": _source_type(photo),
        "trustindicators": _trust_indicators(request, photo),
    }
    return {key: value for key, value in document.items() if value}


def _source_type(photo: Photo) -> dict:
    if not photo.source_type:
        return {}
    return {"uri": photo.source_type, "name": source_type_name(photo.source_type)}


def _trust_indicators(request, photo: Photo) -> list[dict]:
    """ninjs's place for "documents about trust indicators": the photo's
    Content Credentials, when there is something to say."""
    if not disclosure_for(photo).has_something_to_say:
        return []
    href = request.build_absolute_uri(reverse("api:credentials", kwargs={"key": photo.public_key}))
    return [{"role": "https://c2pa.org/", "title": "Content Credentials", "href": href}]


def credentials_document(photo: Photo) -> dict:
    """The disclosure readers see, and the original's manifest as validated."""
    credentials = photo.content_credentials
    return {
        **disclosure_for(photo).as_dict(),
        "original_actions": credentials.actions,
        "original_ingredients": credentials.ingredients,
        "original_problems": credentials.problems,
    }


def slideshow_document(request, show: Slideshow) -> dict:
    slides: list[Slide] = list(show.slides.all())
    document = {
        "uri": absolute_slideshow_uri(request, show),
        "type": "composite",
        "versioncreated": show.updated_at.isoformat(),
        "firstcreated": show.published_at.isoformat(),
        "headlines": _text(show.title),
        "descriptions": _text(show.summary),
        "language": "en",
        "associations": [
            {
                "name": f"photo-{n}",
                **photo_document(request, slide.photo, slide.caption),
            }
            for n, slide in enumerate(slides, start=1)
        ],
    }
    if show.series:
        document["subjects"] = [{"name": show.series.name, "rel": "series"}]
    return {key: value for key, value in document.items() if value}


def absolute_slideshow_uri(request, show: Slideshow) -> str:
    return request.build_absolute_uri(reverse("api:slideshow", kwargs={"slug": show.slug}))
