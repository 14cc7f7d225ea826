"""The API's write operations, for the desk's automation: upload a photo, make a
slideshow of uploaded photos. Both go through the same code as the desk and
``picdesk import``."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_POST

from picdesk.api.auth import token_required
from picdesk.api.errors import api_error
from picdesk.api.ninjs import photo_document
from picdesk.config import setting
from picdesk.dates import parse_moment
from picdesk.photos.ingest import Arrival, FileTooLarge, IngestError, ingest_file
from picdesk.photos.models import Photo
from picdesk.ratelimit import rate_limited
from picdesk.slideshows.publishing import create_slideshow

CHUNK = 1024 * 1024


@token_required
@require_POST
@rate_limited("api-write", "PICDESK_API_WRITE_RATE")
def upload_photo(request):
    """The request body is the image file; ``?name=`` labels it. The body is
    spooled to a temporary file as it arrives, never held whole in memory."""
    limit = setting("PICDESK_MAX_UPLOAD_BYTES")
    too_large = api_error(f"file too large: the limit is {limit} bytes ({filesizeformat(limit)}, "
                          "PICDESK_MAX_UPLOAD_BYTES)", 413)
    if int(request.headers.get("Content-Length") or 0) > limit:
        return too_large
    arrival = Arrival("api", sender=f"token {request.api_token.name}")
    with tempfile.NamedTemporaryFile(prefix="picdesk-upload-", dir=settings.FILE_UPLOAD_TEMP_DIR) as spool:
        if _spool(request, spool, limit) > limit:
            return too_large
        try:
            result = ingest_file(Path(spool.name), request.GET.get("name", "upload"), arrival=arrival)
        except IngestError as exc:
            return api_error(exc.reason, 413 if isinstance(exc, FileTooLarge) else 400)
    return JsonResponse(photo_document(request, result.photo), status=201 if result.created else 200)


def _spool(request, file, limit: int) -> int:
    """Copy the request body into ``file``, stopping once past ``limit``;
    returns how many bytes were copied."""
    copied = 0
    while chunk := request.read(CHUNK):
        copied += len(chunk)
        if copied > limit:
            break
        file.write(chunk)
    file.flush()
    return copied


@token_required
@require_POST
@rate_limited("api-write", "PICDESK_API_WRITE_RATE")
def create_slideshow_view(request):
    try:
        spec = json.loads(request.body)
        title = spec["title"].strip()
        keys = list(spec["photos"])
        published_at = parse_moment(spec["published_at"]) if spec.get("published_at") is not None else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return api_error('expected JSON {"title": …, "photos": [photo keys], '
                         '"summary"?, "publish"?, "published_at"?}')
    if not all(isinstance(key, str) for key in keys):
        return api_error("photos must be a list of photo keys (strings)")
    photos = Photo.objects.in_bulk(keys, field_name="public_key")
    missing = [key for key in keys if key not in photos]
    if not title or not keys or missing:
        return api_error(f"a title and known photos are needed (unknown: {missing[:5]})")
    show = create_slideshow(
        title, [photos[key] for key in keys], summary=str(spec.get("summary", "")),
        published_at=published_at, publish=bool(spec.get("publish", False)),
    )
    body = {"slug": show.slug, "status": show.status, "published_at": show.published_at.isoformat(),
            "url": request.build_absolute_uri(show.get_absolute_url())}
    return JsonResponse(body, status=201)
