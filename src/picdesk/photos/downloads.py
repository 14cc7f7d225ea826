"""Downloading an original, streamed from storage (never read whole into a
web process's memory).

Readers and partners get the public copy (photos.privacy: no GPS, serials or
other private fields; the desk's caption, credit and rights written in),
only where the photo's terms allow reuse (``Photo.downloadable``, the rule
the reader's download link follows). The desk gets the original with what
the desk says of it now written in (every field, its rating, colour class
and pick: ``desk_copy_response``), as Photo Mechanic writes its edits into
the file, or exactly as stored, byte for byte, for evidence.
"""

from __future__ import annotations

import threading
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.core.files.base import ContentFile
from django.http import FileResponse

from picdesk.photos.metadata import MetadataError, write_metadata
from picdesk.photos.models import Photo
from picdesk.photos.privacy import public_original
from picdesk.photos.renditions import ensure_rendition, largest_width, open_original
from picdesk.photos.spec import MIME_TYPES


def stored_original_response(photo: Photo) -> FileResponse:
    """The original byte for byte: for the desk, and the quarantine's evidence
    copy; OriginalMissing if it is not in storage."""
    name = f"{photo.public_key}{PurePosixPath(photo.original).suffix}"
    return FileResponse(open_original(photo), as_attachment=True, filename=name, content_type=photo.mime_type)


# One desk copy made at a time in a process: each holds an original in memory.
MAKING = threading.Lock()


def desk_copy_response(photo: Photo) -> FileResponse:
    """The original with the desk's metadata and marks written over the
    file's own (the pixels and everything else untouched); the original as
    stored where exiv2 cannot rewrite its container (HEIF)."""
    with MAKING, open_original(photo) as stored:
        try:
            copy = write_metadata(stored.read(), photo.as_metadata(), clear_empty=True)
        except (RuntimeError, MetadataError):
            return stored_original_response(photo)
    name = f"{photo.public_key}{PurePosixPath(photo.original).suffix}"
    return FileResponse(ContentFile(copy), as_attachment=True, filename=name, content_type=photo.mime_type)


def public_original_response(photo: Photo) -> FileResponse:
    """The public copy of ``photo``'s original (the caller checks that it is
    live and downloadable); the largest JPEG rendition where no clean copy
    of the original's container can be made. OriginalMissing without one."""
    name = public_original(photo)
    if name is None:
        largest = ensure_rendition(photo, largest_width(photo), "jpeg")
        return _attachment(largest.file, MIME_TYPES["jpeg"], f"{photo.public_key}.jpg")
    return _attachment(name, photo.mime_type, f"{photo.public_key}{PurePosixPath(name).suffix}")


def _attachment(name: str, content_type: str, filename: str) -> FileResponse:
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename,
                        content_type=content_type)
