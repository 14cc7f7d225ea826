"""What of a photo leaves the building: one rule for every copy readers and
partners get, renditions and the public original alike.

Travels: what describes the picture and its rights, as the desk says it now
(headline, caption, credit, by-line, copyright notice, usage terms, Digital
Source Type, where its licence is: photos.licensing), and the orientation its
pixels need.
Stays inside: everything else the camera or an earlier editor wrote: GPS
position, camera and lens serial numbers, maker notes (which hide both), owner
and artist names, embedded thumbnails (which carry EXIF of their own),
software history, comments.

Renditions are re-encoded and start from nothing (``renditions.rights_metadata``
writes the travelling fields). The public original keeps its pixels byte for
byte: ``public_copy`` removes every metadata block, then writes the travelling
fields back. A container exiv2 cannot rewrite (HEIF) is never sent as is:
the caller sends the largest JPEG rendition instead. Desk users and admins
get the original exactly as stored.
"""

from __future__ import annotations

import hashlib
import json
import threading

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from picdesk.photos.licensing import licence_of
from picdesk.photos.metadata import EXIV2, PhotoMetadata, quiet_image, write_metadata
from picdesk.photos.models import Photo
from picdesk.photos.renditions import open_original
from picdesk.photos.storage_names import public_original_name

ORIENTATION = "Exif.Image.Orientation"
# One public copy made at a time in a process: each holds an original in memory.
MAKING = threading.Lock()


def travelling_metadata(photo: Photo) -> PhotoMetadata:
    """What the desk says of ``photo`` now, as every public copy carries it."""
    licence = licence_of(photo)
    return PhotoMetadata(
        web_statement=licence.terms_url,
        licensor_name=licence.licensor_name,
        licensor_url=licence.licensor_url,
        headline=photo.headline,
        caption=photo.caption,
        credit=photo.credit,
        bylines=[photo.byline] if photo.byline else [],
        copyright_notice=photo.copyright_notice,
        usage_terms=photo.usage_terms,
        digital_source_type=photo.source_type,
    )


def public_copy(data: bytes, meta: PhotoMetadata) -> bytes | None:
    """``data`` with every metadata block removed, then ``meta`` and the
    orientation written; None when exiv2 cannot rewrite the container."""
    try:
        with EXIV2, quiet_image(data) as image:
            orientation = image.read_exif().get(ORIENTATION)
            for clear in (image.clear_exif, image.clear_xmp, image.clear_iptc, image.clear_comment):
                clear()
            if orientation:
                image.modify_exif({ORIENTATION: orientation})
            stripped = image.get_bytes()
    except RuntimeError:
        return None
    return write_metadata(stripped, meta)


def public_original(photo: Photo) -> str | None:
    """The storage name of the copy of ``photo``'s original readers may have,
    made once per photo key and desk metadata (an edit makes a new one; a
    kill's new key orphans the old); None where it cannot be made (the
    caller sends the largest JPEG rendition); OriginalMissing without an
    original. Rebuildable, like renditions."""
    meta = travelling_metadata(photo)
    digest = hashlib.sha256(json.dumps(vars(meta), sort_keys=True).encode()).hexdigest()[:16]
    name = public_original_name(photo.public_key, digest, photo.original)
    if default_storage.exists(name):
        return name
    with MAKING:
        if default_storage.exists(name):
            return name
        with open_original(photo) as stored:
            copy = public_copy(stored.read(), meta)
        if copy is None:
            return None
        default_storage.save(name, ContentFile(copy))
    return name
