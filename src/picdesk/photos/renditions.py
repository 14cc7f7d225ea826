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

# A slideshow is publishable once these exist; AVIF follows in the background.
PUBLISHABLE_FORMATS = ("jpeg", "webp")
BACKGROUND_FORMATS = ("avif",)


def planned_widths(width: int) -> list[int]:
    """For a photo ``width`` pixels wide: the configured widths narrower than it,
    plus its own width when narrower than the widest. Never upscaled."""
    widths = setting("PICDESK_RENDITION_WIDTHS")
    planned = [w for w in widths if w < width]
    if width <= widths[-1] and width not in planned:
        planned.append(width)
    return sorted(planned) or [width]


def make_renditions(photo: Photo, formats=PUBLISHABLE_FORMATS) -> list[Rendition]:
    """Make every missing rendition of ``photo`` in ``formats``, at all planned widths."""
    have = set(photo.renditions.values_list("width", "format"))
    missing = [
        w for w in planned_widths(photo.width) if any((w, f) not in have for f in formats)
    ]
    if missing:
        rendered = imaging.render_set(_original_bytes(photo), missing, list(formats))
        made = store_renditions(photo, [i for i in rendered.images if (i.width, i.format) not in have])
        logger.info("photo %s: made %d renditions", photo.pk, len(made))
    return list(photo.renditions.all())


def ensure_rendition(photo: Photo, width: int, fmt: str) -> Rendition:
    """The rendition of ``photo`` at ``width`` in ``fmt``, made now if missing."""
    existing = photo.renditions.filter(width=width, format=fmt).first()
    if existing:
        return existing
    (encoded,) = imaging.render_set(_original_bytes(photo), [width], [fmt]).images
    (stored,) = store_renditions(photo, [encoded])
    return stored


def _original_bytes(photo: Photo) -> bytes:
    with default_storage.open(photo.original, "rb") as original:
        return original.read()


def store_renditions(photo: Photo, images: list[imaging.EncodedImage]) -> list[Rendition]:
    return [_store(photo, encoded) for encoded in images]


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
    them as IIM and XMP, WebP and AVIF as XMP.
    """
    rights = PhotoMetadata(
        credit=photo.credit,
        bylines=[photo.byline] if photo.byline else [],
        copyright_notice=photo.copyright_notice,
    )
    # AVIF and WebP have no IIM block; exiv2 writes XMP into both.
    return write_metadata(data, rights, iim=fmt == "jpeg")
