"""Renditions: which sizes a photo gets, making and storing them, and writing
the rights metadata every rendition must carry.

Made in the background by ``photos.tasks``; a page never waits for them, and a
size asked for before the worker got to it is made on demand
(``ensure_rendition``), race-safe under the one-rendition-per-size constraint.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from picdesk.config import setting
from picdesk.photos import imaging
from picdesk.photos.metadata import PhotoMetadata, write_metadata
from picdesk.photos.models import EXTENSIONS, Photo, Rendition

logger = logging.getLogger(__name__)

PUBLISHABLE_FORMATS = ("jpeg", "webp")


def planned_widths(photo: Photo) -> list[int]:
    """The configured widths narrower than the photo, plus the photo's own width
    when it is narrower than the widest: renditions are never upscaled."""
    widths = setting("PICDESK_RENDITION_WIDTHS")
    planned = [w for w in widths if w < photo.width]
    if photo.width <= widths[-1] and photo.width not in planned:
        planned.append(photo.width)
    return sorted(planned) or [photo.width]


def qualities() -> dict[str, int]:
    return {"jpeg": setting("PICDESK_JPEG_QUALITY"), "webp": setting("PICDESK_WEBP_QUALITY")}


def make_renditions(photo: Photo, widths: list[int] | None = None) -> list[Rendition]:
    """Make every missing rendition of ``photo`` (all planned widths, JPEG and WebP)."""
    widths = widths or planned_widths(photo)
    have = set(photo.renditions.values_list("width", "format"))
    missing = [w for w in widths if any((w, f) not in have for f in PUBLISHABLE_FORMATS)]
    if not missing:
        return list(photo.renditions.all())
    with default_storage.open(photo.original, "rb") as original:
        data = original.read()
    made = []
    for encoded in imaging.encode_widths(data, missing, qualities()):
        if (encoded.width, encoded.format) not in have:
            made.append(_store(photo, encoded))
    logger.info("photo %s: made %d renditions", photo.pk, len(made))
    return list(photo.renditions.all())


def ensure_rendition(photo: Photo, width: int, fmt: str) -> Rendition:
    """The rendition of ``photo`` at ``width`` in ``fmt``, made now if missing."""
    existing = photo.renditions.filter(width=width, format=fmt).first()
    if existing:
        return existing
    with default_storage.open(photo.original, "rb") as original:
        data = original.read()
    (encoded,) = imaging.encode_widths(data, [width], {fmt: qualities()[fmt]})
    return _store(photo, encoded)


def _store(photo: Photo, encoded: imaging.EncodedImage) -> Rendition:
    name = f"renditions/{photo.public_key}/{encoded.width}.{EXTENSIONS[encoded.format]}"
    data = with_rights_metadata(encoded.data, encoded.format, photo)
    if default_storage.exists(name):
        # Another worker got here first, or a row was lost: same inputs, same bytes.
        default_storage.delete(name)
    stored_name = default_storage.save(name, ContentFile(data))
    try:
        with transaction.atomic():
            return Rendition.objects.create(
                photo=photo,
                width=encoded.width,
                height=encoded.height,
                format=encoded.format,
                file=stored_name,
                file_size=len(data),
            )
    except IntegrityError:
        # Lost the race under the unique constraint: the winner's row stands.
        return Rendition.objects.get(photo=photo, width=encoded.width, format=encoded.format)


def with_rights_metadata(data: bytes, fmt: str, photo: Photo) -> bytes:
    """Write credit, by-line and copyright notice into an encoded rendition.

    Renditions are encoded with all metadata stripped (GPS, camera serials and
    other private fields must not travel); the rights statements must. JPEG gets
    them as IIM and XMP, WebP (which has no IIM) as XMP.
    """
    rights = PhotoMetadata(
        credit=photo.credit,
        bylines=[photo.byline] if photo.byline else [],
        copyright_notice=photo.copyright_notice,
    )
    return write_metadata(data, rights, iim=fmt == "jpeg")
