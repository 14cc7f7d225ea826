"""Where every file lives, by one naming rule each: originals (by content),
the quarantine of killed photos, renditions in private storage, their copies
in the public bucket, the address readers fetch a rendition at, and the
copies of originals readers may download.

A rendition is named by its photo's random public key (a kill gives the
photo a new one, so no cached address ever leads to it again), its crop and
its width: ``KEY/[CROP-VERSION/]WIDTH.EXT`` under each of the three roots
below. A crop's VERSION is a digest of what places it (the box an editor
drew, else the focus): a changed crop is a new address, which no cache has.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath

from django.urls import get_script_prefix

from picdesk.photos.spec import EXTENSIONS


def original_path(sha256: str, extension: str) -> str:
    """Content-addressed: the same bytes always land on the same name."""
    return f"originals/{sha256[:2]}/{sha256}{extension}"


def quarantine_path(original: str) -> str:
    """Where a killed photo's original moves, seen only by admins."""
    return f"quarantine/{PurePosixPath(original).name}"


def public_original_name(key: str, version: str, original: str) -> str:
    """The copy of an original that readers may download (photos.privacy),
    one per photo key and ``version`` of the metadata it carries."""
    return f"{downloads_folder(key)}/{version}{PurePosixPath(original).suffix}"


def downloads_folder(key: str) -> str:
    return f"downloads/{key}"


def crop_folder(photo, crop: str) -> str:
    """``CROP-VERSION`` for a crop of ``photo``, "" for the full frame."""
    if not crop:
        return ""
    placed_by = photo.crop_boxes.get(crop) or photo.focus or {}
    digest = hashlib.sha256(json.dumps(placed_by, sort_keys=True).encode()).hexdigest()[:8]
    return f"{crop}-{digest}"


def _tail(photo, width: int, fmt: str, crop: str) -> str:
    folder = crop_folder(photo, crop)
    return f"{photo.public_key}/{folder + '/' if folder else ''}{width}.{EXTENSIONS[fmt]}"


def rendition_name(photo, width: int, fmt: str, crop: str = "") -> str:
    """A rendition's name in picdesk's own (private) storage."""
    return f"renditions/{_tail(photo, width, fmt, crop)}"


def public_name(photo, width: int, fmt: str, crop: str = "") -> str:
    """A rendition's name in the public bucket (photos.public)."""
    return f"r/{_tail(photo, width, fmt, crop)}"


def public_name_of(rendition) -> str:
    return public_name(rendition.photo, rendition.width, rendition.format, rendition.crop)


def rendition_url(photo, width: int, fmt: str, crop: str = "") -> str:
    """The URL of ``reader.images.rendition`` for one rendition."""
    return rendition_urls(photo, [width], fmt, crop)[0]


def rendition_urls(photo, widths: list[int], fmt: str, crop: str = "",
                   public: frozenset[int] = frozenset()) -> list[str]:
    """The URLs of ``photo``'s renditions at ``widths``: in the public bucket
    for the widths in ``public`` (copied there, photos.public), else picdesk's
    own rendition view, which makes, copies or serves what is asked for.

    A slideshow page lists hundreds of these; formatting strings costs a tenth
    of a reverse() or a storage's url() each. tests/photos/test_renditions.py
    and tests/test_object_storage.py check that they agree."""
    own = f"{get_script_prefix()}media/r/"
    if not public:
        return [own + _tail(photo, width, fmt, crop) for width in widths]
    from picdesk.photos.public import public_base_url

    base = public_base_url()
    return [
        base + public_name(photo, width, fmt, crop) if width in public
        else own + _tail(photo, width, fmt, crop)
        for width in widths
    ]
