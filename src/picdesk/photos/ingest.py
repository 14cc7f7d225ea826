"""Ingest: turning one file into a Photo, whichever way it arrives.

``picdesk import``, the desk's upload and the API (and every channel to come)
call ``ingest_file`` or ``ingest_bytes``. Ingest owns every rule a new photo
must pass, so no channel can skip one. Four steps:

1. check: the size limit; the same bytes imported before (reused) or killed
   (refused);
2. decode: the header (format, pixel and shape limits), the metadata, and one
   full decode that proves the file whole (with ``render``, the publishable
   renditions come from that same decode);
3. store: the original once under its SHA-256, the row, the audit entry;
4. enqueue: the renditions still to make, once the row is committed.

Nothing is written before step 3; a file that is refused raises
``IngestError`` and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, transaction
from django.template.defaultfilters import filesizeformat

from picdesk.audit.models import Actor, record
from picdesk.core.config import setting
from picdesk.core.storage import STORAGE_ERRORS, is_disk_full
from picdesk.photos import codes, imaging, near_copies, provenance
from picdesk.core.folders import sidecar_of
from picdesk.photos.metadata import MetadataError, PhotoMetadata, bound, overlay, read_metadata, read_sidecar
from picdesk.photos.models import Photo
from picdesk.photos.licensing import licence_of
from picdesk.photos.renditions import rights_metadata, store_renditions
from picdesk.photos.spec import PUBLISHABLE_FORMATS, planned_widths
from picdesk.photos.storage_names import original_path, rendition_name
from picdesk.photos.signals import photo_ingested
from picdesk.photos.tasks import make_photo_modern_formats, make_photo_renditions

logger = logging.getLogger(__name__)


class IngestError(ValueError):
    """A file that was not imported; ``reason`` says why, for people."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class FileTooLarge(IngestError):
    """Over PICDESK_MAX_UPLOAD_BYTES (the API answers 413 for it)."""


class StorageFull(IngestError):
    """The disk (or the database's) is full: nothing of the file was kept
    (the API answers 507 for it)."""

    def __init__(self, name: str):
        super().__init__(name, "disk full, nothing kept: free some space and send it again")


@dataclass(frozen=True)
class IngestResult:
    photo: Photo
    created: bool  # False: the same bytes were imported before, and reused


# How a file came in is who brought it: the audit log's actor.
Arrival = Actor


@dataclass(frozen=True)
class _Decoded:
    info: imaging.ImageInfo
    meta: PhotoMetadata
    credentials: provenance.Credentials
    placeholder: str
    picture_hash: str
    renditions: list[imaging.EncodedImage]
    cuts: list[str]  # metadata values too long to keep whole (metadata.bound)


def ingest_bytes(data: bytes, name: str, *, arrival: Arrival = Arrival(), render: bool = False) -> IngestResult:
    """Import one file held in memory. ``name`` is only a label (never a path)."""
    return _ingest(data, len(data), _safe_label(name), arrival, render)


def ingest_file(path: Path, name: str = "", *, arrival: Arrival = Arrival(), render: bool = False) -> IngestResult:
    """Import the file at ``path``, streamed from disk, never read whole into
    memory. ``name`` labels it (default: the file's name). An XMP sidecar
    beside it (core.folders.sidecar_of) is read too, its values winning.

    With ``render``, the publishable renditions are made here, from the same
    single decode that checks the file (``picdesk import`` runs this in a
    process per CPU); without, a tiny decode checks it and the worker makes
    them. Raises ``IngestError`` when the file cannot be taken.
    """
    label = _safe_label(name or Path(path).name)
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise IngestError(label, f"cannot read file: {exc.strerror}") from None
    return _ingest(Path(path), size, label, arrival, render, sidecar_of(Path(path)))


def _ingest(source: imaging.ImageSource, size: int, label: str, arrival: Arrival, render: bool,
            sidecar: Path | None = None) -> IngestResult:
    sha256, existing = _check(source, size, label)
    if existing:
        return IngestResult(existing, created=False)
    decoded = _decode(source, label, render, sidecar)
    photo = _unsaved_photo(sha256, size, label, decoded)
    wrote = _keep_original(source, photo)
    try:
        with transaction.atomic():
            _store(photo, decoded, arrival)
            _enqueue_renditions(photo, rendered=bool(decoded.renditions))
    except IntegrityError:
        # Another import of the same bytes committed first.
        return IngestResult(Photo.objects.get(sha256=sha256), created=False)
    except (*STORAGE_ERRORS, OperationalError) as exc:
        _discard_files_of_nobody(photo, decoded, wrote)
        if isinstance(exc, STORAGE_ERRORS) or is_disk_full(exc):
            raise _not_stored(label, exc) from exc
        raise
    return IngestResult(photo, created=True)


def _check(source: imaging.ImageSource, size: int, label: str) -> tuple[str, Photo | None]:
    """The file's SHA-256 and the photo already made of these bytes, if any;
    refuses a file over the size limit or the bytes of a killed photo."""
    limit = setting("PICDESK_MAX_UPLOAD_BYTES")
    if size > limit:
        raise FileTooLarge(label, f"too large: {filesizeformat(size)}, the limit is "
                                 f"{filesizeformat(limit)} (PICDESK_MAX_UPLOAD_BYTES)")
    sha256 = _sha256(source)
    existing = Photo.objects.filter(sha256=sha256).first()
    if existing and existing.killed_at:
        raise IngestError(label, f"this picture was killed on {existing.killed_at:%Y-%m-%d}: "
                                 f"{existing.kill_reason or 'no reason given'}")
    return sha256, existing


def _sha256(source: imaging.ImageSource) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    with open(source, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _decode(source: imaging.ImageSource, label: str, render: bool, sidecar: Path | None = None) -> _Decoded:
    """Everything ingest learns from the file (and its sidecar), or
    ``IngestError`` saying why not."""
    try:
        info = imaging.probe(source, setting("PICDESK_MAX_PIXELS"))
        meta = read_metadata(source)
        if sidecar is not None:
            overlay(meta, read_sidecar(sidecar))
        codes.expand_metadata(meta)
        cuts = bound(meta)
        credentials = provenance.read_credentials(source, info.mime_type)
        if not render:
            return _Decoded(info, meta, credentials, *imaging.placeholder_and_hash(source), [], cuts)
        source_type = provenance.most_disclosing([meta.digital_source_type, credentials.source_type])
        rights = rights_metadata(meta.credit, meta.byline, meta.copyright_notice, meta.caption, source_type,
                                 licence_of(meta), meta.data_mining)
        rendered = imaging.render_set(source, planned_widths(info.width), list(PUBLISHABLE_FORMATS), rights)
    except (imaging.ImageError, MetadataError) as exc:
        raise IngestError(label, str(exc)) from None
    except OSError as exc:
        raise IngestError(label, f"cannot read file: {exc.strerror}") from None
    return _Decoded(info, meta, credentials, rendered.placeholder, rendered.picture_hash, rendered.images, cuts)


def _unsaved_photo(sha256: str, size: int, label: str, decoded: _Decoded) -> Photo:
    info = decoded.info
    photo = Photo(
        sha256=sha256, original=original_path(sha256, info.extension), original_name=label,
        mime_type=info.mime_type, file_size=size, width=info.width, height=info.height,
        orientation=info.orientation, placeholder=decoded.placeholder, picture_hash=decoded.picture_hash,
    )
    photo.apply_metadata(decoded.meta)
    photo.credentials = decoded.credentials.as_dict()
    return photo


def _discard_files_of_nobody(photo: Photo, decoded: _Decoded, wrote_original: bool) -> None:
    """After a failed store no row was committed: the renditions written for
    it, and the original if this import wrote it, belong to nobody."""
    for encoded in decoded.renditions:
        default_storage.delete(rendition_name(photo, encoded.width, encoded.format))
    if wrote_original and not Photo.objects.filter(sha256=photo.sha256).exists():
        default_storage.delete(photo.original)


def _keep_original(source: imaging.ImageSource, photo: Photo) -> bool:
    """Store the original under its content address, unless these very bytes
    are there already; True when this call wrote it."""
    try:
        if _stored_whole(photo.original, photo.sha256):
            return False
        if isinstance(source, bytes):
            default_storage.save(photo.original, ContentFile(source))
        else:
            with open(source, "rb") as file:
                default_storage.save(photo.original, File(file))
    except STORAGE_ERRORS as exc:
        raise _not_stored(photo.original_name, exc) from exc
    return True


def _not_stored(label: str, error: Exception) -> IngestError:
    """What a file that could not be stored is refused with: ``error`` is a
    full disk (a file's or the database's), or else an OSError whose reason
    is told."""
    if is_disk_full(error):
        return StorageFull(label)
    return IngestError(label, f"cannot store it ({getattr(error, 'strerror', None) or error}), nothing kept")


def _store(photo: Photo, decoded: _Decoded, arrival: Arrival) -> None:
    """The row, its renditions and the audit entry, inside the caller's transaction."""
    photo.channel, photo.sender = arrival.channel, arrival.sender[:200]
    photo.save()
    near_copies.index_picture(photo)
    store_renditions(photo, decoded.renditions)
    detail = " · ".join(filter(None, [photo.original_name, f"via {arrival.channel}", arrival.sender, *decoded.cuts]))
    record(arrival.user, "imported", photo=photo, detail=detail)
    photo_ingested.send(sender=Photo, photo=photo, arrival=arrival)


def _stored_whole(name: str, sha256: str) -> bool:
    """Whether ``name`` holds these very bytes. A file left by an import that
    died before its row was committed is reused only once its SHA-256 says
    it is whole; anything else under the name is replaced."""
    if not default_storage.exists(name):
        return False
    with default_storage.open(name, "rb") as stored:
        if hashlib.file_digest(stored, "sha256").hexdigest() == sha256:
            return True
    default_storage.delete(name)
    return False


def _enqueue_renditions(photo: Photo, rendered: bool) -> None:
    """What the worker still has to make, once the row is there for it to find."""
    task = make_photo_modern_formats if rendered else make_photo_renditions
    transaction.on_commit(lambda: _enqueue(task, photo))


def _enqueue(task, photo: Photo) -> None:
    """Queue ``task`` for ``photo``; a broker that does not answer loses the
    photo nothing: it is in, and ``picdesk serve``'s start, or ``picdesk
    check --repair``, queues the renditions it lacks."""
    try:
        task.enqueue(photo.pk)
    except Exception as error:  # whatever the broker's client raises
        logger.error("photo %s (%s) is in, but its renditions could not be queued (%s): "
                     "`picdesk check --repair` queues them", photo.pk, photo.original_name, error)


def _safe_label(name: str) -> str:
    # File names come from strangers: keep them only as text, printable, bounded.
    label = "".join(ch for ch in str(name) if ch.isprintable())
    return label[:255] or "(unnamed)"
