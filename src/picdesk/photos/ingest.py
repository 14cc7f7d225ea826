"""Ingest: turning the bytes of one file into a Photo.

Every way a photo enters picdesk (``picdesk import``, later uploads and the API)
goes through ``ingest_bytes``. It checks the file completely before anything is
written, stores the original once under its SHA-256, reads its metadata, and
enqueues its renditions when the row is committed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from picdesk.config import setting
from picdesk.photos import imaging
from picdesk.photos.metadata import MetadataError, read_metadata
from picdesk.photos.models import Photo
from picdesk.photos.renditions import (
    PUBLISHABLE_FORMATS,
    planned_widths,
    rights_metadata,
    store_renditions,
)
from picdesk.photos.tasks import make_photo_avif, make_photo_renditions

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".heic", ".heif", ".avif"}


class IngestError(ValueError):
    """A file that was not imported; ``reason`` says why, for people."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class IngestResult:
    photo: Photo
    created: bool  # False: the same bytes were imported before, and reused


def original_path(sha256: str, extension: str) -> str:
    return f"originals/{sha256[:2]}/{sha256}{extension}"


def ingest_bytes(data: bytes, name: str, *, render: bool = False) -> IngestResult:
    """Import one file's bytes. ``name`` is only a label (it is never used as a path).

    With ``render``, the publishable renditions are made here, from the same
    single decode that checks the file (``picdesk import`` runs this in a
    process per CPU); without, a tiny decode checks it and the worker makes
    them. Raises ``IngestError`` when the file cannot be taken; nothing is
    written then.
    """
    label = _safe_label(name)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Photo.objects.filter(sha256=sha256).first()
    if existing and existing.killed_at:
        raise IngestError(label, f"this picture was killed on {existing.killed_at:%Y-%m-%d}: "
                                 f"{existing.kill_reason or 'no reason given'}")
    if existing:
        return IngestResult(existing, created=False)
    try:
        info = imaging.probe(data, setting("PICDESK_MAX_PIXELS"))
        meta = read_metadata(data)
        if render:
            rights = rights_metadata(meta.credit, meta.byline, meta.copyright_notice, meta.caption)
            widths = planned_widths(info.width)
            rendered = imaging.render_set(data, widths, list(PUBLISHABLE_FORMATS), rights)
            placeholder = rendered.placeholder
        else:
            placeholder = imaging.placeholder_data_uri(data)
    except (imaging.ImageError, MetadataError) as exc:
        raise IngestError(label, str(exc)) from None

    path = original_path(sha256, info.extension)
    if not default_storage.exists(path):
        # Content-addressed: same name, same bytes. A file left by an import that
        # died before its row was committed is simply reused.
        default_storage.save(path, ContentFile(data))
    photo = Photo(
        sha256=sha256,
        original=path,
        original_name=label,
        mime_type=info.mime_type,
        file_size=len(data),
        width=info.width,
        height=info.height,
        orientation=info.orientation,
        placeholder=placeholder,
    )
    photo.apply_metadata(meta)
    try:
        with transaction.atomic():
            photo.save()
            if render:
                store_renditions(photo, rendered.images)
                transaction.on_commit(lambda: make_photo_avif.enqueue(photo.pk))
            else:
                transaction.on_commit(lambda: make_photo_renditions.enqueue(photo.pk))
    except IntegrityError:
        # Another import of the same bytes committed first.
        return IngestResult(Photo.objects.get(sha256=sha256), created=False)
    return IngestResult(photo, created=True)


def ingest_file(path: Path, *, render: bool = False) -> IngestResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(_safe_label(path.name), f"cannot read file: {exc.strerror}") from None
    return ingest_bytes(data, path.name, render=render)


def _safe_label(name: str) -> str:
    # File names come from strangers: keep them only as text, printable, bounded.
    label = "".join(ch for ch in str(name) if ch.isprintable())
    return label[:255] or "(unnamed)"


def find_images(paths: list[Path]) -> list[Path]:
    """Files named on the command line, and image files found under folders
    (recursively), in file-name order within each folder given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
                    key=lambda p: (p.name.lower(), str(p)),
                )
            )
        else:
            found.append(path)
    return found
