"""Slideshows and photos as IPTC ninjs documents, 2.2 by default, 3.1 on request.

A photo is a ``picture``; a slideshow is a ``composite`` whose
``associations`` are its photos in order. Every URL is absolute; every
document validates against IPTC's schema of its version (tests/api/test_ninjs.py).
Documents are built once, in 2.2's names; 3.x renamed properties to camel
case and nothing else picdesk uses, so a 3.1 document is the same document
with its keys renamed (``in_version``).
"""

from __future__ import annotations

from django.urls import reverse

from picdesk.photos.disclosure import disclosure_for
from picdesk.photos.models import Photo
from picdesk.photos.spec import MIME_TYPES
from picdesk.photos.provenance import INVALID, source_type_name
from picdesk.slideshows.models import Slide, Slideshow

MEDIA_TYPE = "application/ninjs+json"
DEFAULT_VERSION, VERSIONS = "2.2", ("2.2", "3.1")
# 2.2's property names that ninjs 3 spells in camel case.
CAMEL_CASE = {
    "versioncreated": "versionCreated", "firstcreated": "firstCreated", "contentcreated": "contentCreated",
    "copyrightholder": "copyrightHolder", "copyrightnotice": "copyrightNotice", "usageterms": "usageTerms",
    "altids": "altIds", "trustindicators": "trustIndicators", "digitalsourcetype": "digitalSourceType",
    "contenttype": "contentType", "sizeinbytes": "sizeInBytes", "pubstatus": "pubStatus",
    "ednote": "edNote",
}


def requested_version(request) -> str:
    """The ninjs version asked for: ``?ninjs=3.1`` (or 3), else the version
    parameter of an ``application/ninjs+json`` Accept range, else 2.2.
    ValueError for a version picdesk does not make."""
    asked = request.GET.get("ninjs")
    if asked is None:
        asked = next((media.params.get("version") for media in request.accepted_types
                      if media.main_type == "application" and media.sub_type == "ninjs+json"), None)
    if asked is None:
        return DEFAULT_VERSION
    chosen = next((version for version in VERSIONS if asked in (version, version.split(".")[0])), None)
    if chosen is None:
        raise ValueError(f"ninjs version {asked[:10]!r}: this API makes {' and '.join(VERSIONS)}")
    return chosen


def in_version(document, version: str):
    """``document`` (built in 2.2's names) as ninjs ``version`` has it."""
    if version.startswith("2"):
        return document
    if isinstance(document, dict):
        return {CAMEL_CASE.get(key, key): in_version(value, version) for key, value in document.items()}
    if isinstance(document, list):
        return [in_version(item, version) for item in document]
    return document


def _text(value: str) -> list[dict]:
    return [{"value": value}] if value else []


def photo_document(request, photo: Photo, caption: str = "", *, withheld: bool = False) -> dict:
    """``caption``: the slideshow's caption for this photo, else its own.
    ``withheld``: a photo readers cannot see yet, shown to the token that
    sent it (pubstatus withheld, and no renditions: they do not answer yet)."""
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
        "copyrightholder": photo.copyright_owner,
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
        "pubstatus": "withheld" if withheld else "",
    }
    if withheld:
        document["renditions"] = []
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
    """The disclosure readers see, and the original's manifest as validated:
    what a manifest that failed validation says is a claim, never a fact."""
    credentials = photo.content_credentials
    verified = credentials.state != INVALID
    return {
        **disclosure_for(photo).as_dict(),
        "original_actions": credentials.actions if verified else [],
        "original_ingredients": credentials.ingredients if verified else [],
        "claimed_actions": [] if verified else credentials.actions,
        "claimed_ingredients": [] if verified else credentials.ingredients,
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
    if corrections := list(show.corrections.all()):
        # Each correction makes a new version; its note is for the receiving desk.
        document["version"] = str(len(corrections) + 1)
        document["ednote"] = " ".join(f"Correction ({c.created_at:%Y-%m-%d}): {c.note}" for c in corrections)
    return {key: value for key, value in document.items() if value}


def absolute_slideshow_uri(request, show: Slideshow) -> str:
    return request.build_absolute_uri(reverse("api:slideshow", kwargs={"slug": show.slug}))
