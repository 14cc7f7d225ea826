"""The public, read-only JSON API under /api/v1/: slideshows and photos as ninjs.

Only live content is ever listed or served, except that a photo sent
through the API answers its sender's token before then. Lists are newest first, cursor
paginated (stable while slideshows are published), filterable by publication
date, series and last update.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import wraps

from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe

from picdesk.api.errors import api_error
from picdesk.api.ninjs import (MEDIA_TYPE, credentials_document, in_version, photo_document, requested_version,
                               slideshow_document)
from picdesk.api.writes import create_slideshow_view
from picdesk.api.auth import BadToken, bearer_token, unauthorized
from picdesk.core.caching import LISTINGS, revalidated, tag, tag_photos, tag_slideshows
from picdesk.core.pagecache import cached_page
from picdesk.core.config import setting
from picdesk.core.ratelimit import rate_limited
from picdesk.core.dates import EXPECTED, parse_moment
from picdesk.photos.downloads import public_original_response, stored_original_response
from picdesk.photos.models import Photo, Rendition
from picdesk.slideshows.models import Slide, Slideshow, live_photos


class BadRequest(ValueError):
    pass


def _live_with_photos():
    renditions = Rendition.objects.filter(crop="")
    slides = Slide.objects.select_related("photo").prefetch_related(
        Prefetch("photo__renditions", queryset=renditions)
    )
    return (
        Slideshow.objects.live()
        .select_related("series")
        .prefetch_related(Prefetch("slides", queryset=slides), "corrections")
    )


def _version(request) -> str:
    """The page cache's variant: the ninjs version this request gets."""
    try:
        return requested_version(request)
    except ValueError:
        return "refused"


def _versioned(view):
    """``view(request, version, ...)`` gets the ninjs version asked for; one
    not made answers 406. Every answer varies by Accept."""

    @wraps(view)
    def negotiate(request, *args, **kwargs):
        try:
            version = requested_version(request)
        except ValueError as exc:
            response = api_error(str(exc), 406)
        else:
            response = view(request, version, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response

    return negotiate


def _ninjs(document: dict, version: str, *, shared: bool = True) -> JsonResponse:
    """The document in ``version``, kept by shared caches till purged
    (unless not ``shared``)."""
    content_type = MEDIA_TYPE if version.startswith("2") else f"{MEDIA_TYPE}; version={version}"
    response = JsonResponse(in_version(document, version), content_type=content_type,
                            json_dumps_params={"ensure_ascii": False})
    return revalidated(response) if shared else response


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt
@cached_page(variant=_version)  # GET only
@_versioned
def slideshows(request, version: str):
    """GET: the list. POST (with a token): a new slideshow (``api.writes``)."""
    if request.method == "POST":
        return create_slideshow_view(request)
    if any("\x00" in value for value in request.GET.values()):
        return api_error("query parameters cannot contain NUL characters")
    try:
        shows = _filtered(_live_with_photos().order_by("-published_at", "-id"), request.GET)
        shows = _after_cursor(shows, request.GET.get("cursor"))
    except BadRequest as exc:
        return api_error(str(exc))
    size = setting("PICDESK_API_PAGE_SIZE")
    page = list(shows[: size + 1])
    tag(LISTINGS)
    _tag_shown(page[:size])
    body = {"items": [in_version(slideshow_document(request, show), version) for show in page[:size]], "next": None}
    if len(page) > size:
        query = request.GET.copy()
        query["cursor"] = _cursor(page[size - 1])
        body["next"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    return revalidated(response)


def _filtered(shows, params):
    if "since" in params:
        shows = shows.filter(published_at__gte=_moment(params["since"], "since"))
    if "until" in params:
        shows = shows.filter(published_at__lt=_moment(params["until"], "until"))
    if "updated_since" in params:
        shows = shows.filter(updated_at__gte=_moment(params["updated_since"], "updated_since"))
    if "series" in params:
        if not SERIES_SLUG.match(params["series"]):
            raise BadRequest("series must be a series' slug: letters, digits, '-' and '_'")
        shows = shows.filter(series__slug=params["series"])
    return shows


def _moment(text: str, name: str) -> dt.datetime:
    try:
        return parse_moment(text)
    except ValueError:
        raise BadRequest(f"{name} must be {EXPECTED}") from None


SERIES_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")  # as Django's slugs are made; nothing else names a series

# A page's place in the list: the last slideshow's publication time, in
# microseconds since 1970, and its id. Any such pair is a place in the list,
# so every cursor CURSOR matches is valid (the OpenAPI says so, and a
# partner's tool generating one gets a page, not an error).
CURSOR = re.compile(r"^(\d{1,16})\.(\d{1,18})$")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _cursor(show: Slideshow) -> str:
    return f"{(show.published_at - EPOCH) // dt.timedelta(microseconds=1)}.{show.pk}"


def _after_cursor(shows, cursor: str | None):
    if cursor is None:
        return shows
    found = CURSOR.match(cursor)
    if not found:
        raise BadRequest("cursor is not one this API gave out (digits, a dot, digits)")
    published = EPOCH + dt.timedelta(microseconds=int(found[1]))
    pk = min(int(found[2]), 2**63 - 1)
    return shows.filter(Q(published_at__lt=published) | Q(published_at=published, pk__lt=pk))


def _tag_shown(shows) -> None:
    tag_slideshows(shows)
    tag_photos(slide.photo for show in shows for slide in show.slides.all())


@require_safe
@cached_page(variant=_version)
@_versioned
def slideshow(request, version: str, slug: str):
    found = _live_with_photos().filter(slug=slug).first()
    if found is None:
        return api_error("no such live slideshow", 404)
    _tag_shown([found])
    return _ninjs(slideshow_document(request, found), version)


def _live_photo(key: str) -> Photo | None:
    return (
        live_photos().filter(public_key=key)
        .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.filter(crop="")))
        .first()
    )


@require_safe
@cached_page(variant=_version)
@_versioned
def photo(request, version: str, key: str):
    found = _live_photo(key)
    if found is None:
        return _for_its_sender(request, key, lambda sent: _ninjs(
            photo_document(request, sent, withheld=True), version, shared=False))
    tag_photos([found])
    return _ninjs(photo_document(request, found), version)


def _uploaded_by(token, key: str) -> Photo | None:
    """The photo ``key`` if ``token`` uploaded it and it is not killed."""
    if token is None:
        return None
    return Photo.objects.in_use().filter(public_key=key, channel="api", sender=token.sender).first()


def _for_its_sender(request, key: str, answer):
    """A photo no reader sees yet is shown to the token that uploaded it
    (the ``uri`` of its upload works at once), as ``answer(photo)`` makes
    it, never from or into a cache; anyone else gets 404."""
    try:
        sent = _uploaded_by(bearer_token(request), key)
    except BadToken:
        return unauthorized()
    if sent is None:
        return api_error("no such photo in a live slideshow", 404)
    response = answer(sent)
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Authorization"])
    return response


@require_safe
def credentials(request, key: str):
    found = _live_photo(key)
    if found is None:
        return _for_its_sender(request, key, _credentials)
    tag_photos([found])
    return revalidated(_credentials(found))


def _credentials(photo: Photo) -> JsonResponse:
    return JsonResponse(credentials_document(photo), json_dumps_params={"ensure_ascii": False})


@require_safe
@rate_limited("api-original", "PICDESK_ORIGINAL_RATE")
def original(request, key: str):
    """A copy of the original, where its terms allow reuse: its pixels as
    they arrived, no private metadata (photos.privacy), the desk's current
    caption, credit and rights written in; streamed. With a token of the
    ``read`` scope, the original itself (of a photo it uploaded, too, before
    readers see it)."""
    try:
        token = bearer_token(request)
    except BadToken:
        return unauthorized()
    found = _live_photo(key) or _uploaded_by(token, key)
    if found is None:
        return api_error("no such photo in a live slideshow", 404)
    if token is not None:
        return _original_for(token, found)
    if not found.downloadable:
        return api_error("this photo's terms do not allow downloading its original", 403)
    tag_photos([found])  # a kill or an unpublication purges it from shared caches too
    return revalidated(public_original_response(found))


def _original_for(token, photo):
    """A partner's token with the ``read`` scope gets the original byte for
    byte, whatever its terms say to the public; never from a shared cache."""
    if not token.allows("read"):
        return api_error("this token has no 'read' scope", 403)
    response = stored_original_response(photo)
    add_never_cache_headers(response)
    return response


def not_found(request, *args, **kwargs):
    return api_error("no such API resource", 404)
