"""Downloading an original: a copy carrying what the desk says of it now.

The stored original is never touched (it is content-addressed); the copy gets
the desk's caption, headline, credit, by-line and copyright notice written
into its XMP and IPTC-IIM, so an edit travels with the pixels.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.http import HttpResponse

from picdesk.photos.metadata import PhotoMetadata, write_metadata
from picdesk.photos.models import Photo

logger = logging.getLogger(__name__)


def desk_metadata(photo: Photo) -> PhotoMetadata:
    """What the desk says of a photo now, to write into copies of its original."""
    return PhotoMetadata(
        headline=photo.headline,
        caption=photo.caption,
        credit=photo.credit,
        bylines=[photo.byline] if photo.byline else [],
        copyright_notice=photo.copyright_notice,
    )


def original_response(photo: Photo, *, as_stored: bool = False) -> HttpResponse:
    """The original as an attachment: with the desk's metadata, or exactly as
    stored (``as_stored``: the quarantine's evidence copy)."""
    with default_storage.open(photo.original, "rb") as stored:
        data = stored.read()
    if not as_stored:
        try:
            data = write_metadata(data, desk_metadata(photo))
        except RuntimeError as exc:
            # exiv2 cannot write every container (HEIF): the original as stored.
            logger.info("photo %s: original sent without the desk's metadata: %s", photo.pk, exc)
    response = HttpResponse(data, content_type=photo.mime_type)
    name = f"{photo.public_key}{PurePosixPath(photo.original).suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
