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
from picdesk.core.config import setting
from picdesk.core.dates import parse_moment
from picdesk.audit.models import Actor
from picdesk.photos.ingest import FileTooLarge, IngestError, StorageFull, ingest_file
from picdesk.photos.models import Photo
from picdesk.core.ratelimit import rate_limited
from picdesk.core.storage import is_disk_full
from picdesk.slideshows.rights_gate import RightsRefused
from picdesk.slideshows.models import is_live
from picdesk.slideshows.publishing import WithdrawnPhotos, create_slideshow

CHUNK = 1024 * 1024
STATUS_OF = {FileTooLarge: 413, StorageFull: 507}


@require_POST  # first: a method no view takes is 405 with or without a token
@token_required("upload")
@rate_limited("api-write", "PICDESK_API_WRITE_RATE")
def upload_photo(request):
    """The request body is the image file; ``?name=`` labels it. The body is
    spooled to a temporary file as it arrives, never held whole in memory."""
    limit = setting("PICDESK_MAX_UPLOAD_BYTES")
    too_large = api_error(f"file too large: the limit is {limit} bytes ({filesizeformat(limit)}, "
                          "PICDESK_MAX_UPLOAD_BYTES)", 413)
    if int(request.headers.get("Content-Length") or 0) > limit:
        return too_large
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        return api_error("send the file with a Content-Length: chunked bodies are not read", 411)
    arrival = _sender(request)
    name = request.GET.get("name", "upload")
    try:
        with tempfile.NamedTemporaryFile(prefix="picdesk-upload-", dir=settings.FILE_UPLOAD_TEMP_DIR) as spool:
            if _spool(request, spool, limit) > limit:
                return too_large
            result = ingest_file(Path(spool.name), name, arrival=arrival)
    except OSError as exc:  # spooling the body
        if not is_disk_full(exc):
            raise
        return api_error(StorageFull(name).reason, 507)
    except IngestError as exc:
        return api_error(exc.reason, STATUS_OF.get(type(exc), 400))
    return JsonResponse(photo_document(request, result.photo, withheld=not is_live(result.photo)),
                        status=201 if result.created else 200)


def _sender(request) -> Actor:
    """Who makes a change through the API, for the record: its token."""
    return Actor("api", sender=request.api_token.sender)


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


# Bounds on what one request may ask for (400 beyond them, naming the field).
MAX_TITLE = 300  # Slideshow.title's length
MAX_SUMMARY = 5000
MAX_PHOTOS = 500
EXPECTED = 'expected JSON {"title": …, "photos": [photo keys], "summary"?, "publish"?, "published_at"?}'


class BadRequest(ValueError):
    """A request body the API refuses; the message names the field."""


def _slideshow_spec(body: bytes) -> dict:
    """The checked fields of a new slideshow's JSON, or BadRequest: strict
    types (``"publish": "false"`` is not false, it is refused), bounded
    lengths, photo keys de-duplicated in their order."""
    try:
        spec = json.loads(body)
    except (ValueError, RecursionError):
        raise BadRequest(EXPECTED) from None
    if not isinstance(spec, dict):
        raise BadRequest(EXPECTED)
    title, summary, keys = spec.get("title"), spec.get("summary", ""), spec.get("photos")
    publish, published_at = spec.get("publish", False), spec.get("published_at")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        raise BadRequest(f"title: a string of 1 to {MAX_TITLE} characters")
    if not isinstance(summary, str) or len(summary) > MAX_SUMMARY:
        raise BadRequest(f"summary: a string of at most {MAX_SUMMARY} characters")
    if not isinstance(keys, list) or not keys or not all(isinstance(key, str) for key in keys):
        raise BadRequest("photos: a list of photo keys (strings)")
    keys = list(dict.fromkeys(keys))
    if len(keys) > MAX_PHOTOS:
        raise BadRequest(f"photos: at most {MAX_PHOTOS} different photos")
    if not isinstance(publish, bool):
        raise BadRequest("publish: true or false")
    confirmed = spec.get("confirm_restrictions", False)
    if not isinstance(confirmed, bool):
        raise BadRequest("confirm_restrictions: true or false")
    if published_at is not None:
        if not isinstance(published_at, str):
            raise BadRequest("published_at: an ISO 8601 date-time")
        try:
            published_at = parse_moment(published_at)
        except ValueError as exc:
            raise BadRequest(f"published_at: {exc}") from None
    return {"title": title.strip(), "summary": summary, "keys": keys, "publish": publish,
            "published_at": published_at, "confirmed": confirmed}


@token_required("upload")
@require_POST
@rate_limited("api-write", "PICDESK_API_WRITE_RATE")
def create_slideshow_view(request):
    try:
        spec = _slideshow_spec(request.body)
    except BadRequest as exc:
        return api_error(str(exc))
    if spec["publish"] and not request.api_token.allows("publish"):
        return api_error("publish: this token has no 'publish' scope (it can make drafts)", 403)
    keys = spec["keys"]
    photos = Photo.objects.in_bulk(keys, field_name="public_key")
    missing = [key for key in keys if key not in photos]
    if missing:  # a reference to nothing: 404, as for a GET of it
        return api_error(f"photos: no photo has the key {', '.join(missing[:5])}", 404)
    try:
        show = create_slideshow(
            spec["title"], [photos[key] for key in keys], summary=spec["summary"],
            published_at=spec["published_at"], publish=spec["publish"],
            by=_sender(request), confirmed=spec["confirmed"],
        )
    except WithdrawnPhotos as exc:
        return api_error(f"photos: {exc}")
    except RightsRefused as refusal:
        return api_error(f"photos: {refusal}", 409)
    body = {"slug": show.slug, "status": show.status, "published_at": show.published_at.isoformat(),
            "url": request.build_absolute_uri(show.get_absolute_url())}
    return JsonResponse(body, status=201)
