"""The API's write operations, for the desk's automation: upload a photo, make a
slideshow of uploaded photos. Both go through the same code as the desk and
``picdesk import``."""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from picdesk.api.auth import token_required
from picdesk.api.ninjs import photo_document
from picdesk.config import setting
from picdesk.ratelimit import rate_limited
from picdesk.photos.ingest import IngestError, ingest_bytes
from picdesk.photos.models import Photo
from picdesk.slideshows.importer import parse_publication_time
from picdesk.slideshows.publishing import create_slideshow


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@token_required
@require_POST
@rate_limited("api-write", "PICDESK_API_WRITE_RATE")
def upload_photo(request):
    """The request body is the image file; ``?name=`` labels it."""
    if int(request.headers.get("Content-Length") or 0) > setting("PICDESK_MAX_UPLOAD_BYTES"):
        return _error("file too large", 413)
    try:
        result = ingest_bytes(request.body, request.GET.get("name", "upload"))
    except IngestError as exc:
        return _error(exc.reason)
    return JsonResponse(photo_document(request, result.photo), status=201 if result.created else 200)


@token_required
@require_POST
@rate_limited("api-write", "PICDESK_API_WRITE_RATE")
def create_slideshow_view(request):
    try:
        spec = json.loads(request.body)
        title = spec["title"].strip()
        keys = list(spec["photos"])
        published_at = parse_publication_time(spec.get("published_at"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _error('expected JSON {"title": …, "photos": [photo keys], '
                      '"summary"?, "publish"?, "published_at"?}')
    if not all(isinstance(key, str) for key in keys):
        return _error("photos must be a list of photo keys (strings)")
    photos = Photo.objects.in_bulk(keys, field_name="public_key")
    missing = [key for key in keys if key not in photos]
    if not title or not keys or missing:
        return _error(f"a title and known photos are needed (unknown: {missing[:5]})")
    show = create_slideshow(
        title, [photos[key] for key in keys], summary=str(spec.get("summary", "")),
        published_at=published_at, publish=bool(spec.get("publish", False)),
    )
    body = {"slug": show.slug, "status": show.status, "published_at": show.published_at.isoformat(),
            "url": request.build_absolute_uri(show.get_absolute_url())}
    return JsonResponse(body, status=201)
