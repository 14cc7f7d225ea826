"""Renditions: making and storing those the spec asks for (photos.spec), and
writing the rights metadata every rendition must carry.

Made in the background by ``photos.tasks``; a page never waits for them, and a
size asked for before the worker got to it is made on demand
(``ensure_rendition``), race-safe under the one-rendition-per-size constraint.
"""

from __future__ import annotations

import logging
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404

from picdesk.core.storage import remove_abandoned_partials
from picdesk.photos import crops, imaging, near_copies, public, signing
from picdesk.photos.licensing import Licence, licence_of
from picdesk.photos.metadata import PhotoMetadata, write_metadata
from picdesk.photos.models import Photo, Rendition
from picdesk.photos.spec import BACKGROUND_FORMATS, PUBLISHABLE_FORMATS, planned_widths
from picdesk.photos.storage_names import downloads_folder, public_name_of, rendition_name, rendition_url

logger = logging.getLogger(__name__)


def make_renditions(photo: Photo, formats=PUBLISHABLE_FORMATS) -> list[Rendition]:
    """Make every missing full-frame rendition of ``photo`` in ``formats``."""
    have = set(photo.renditions.filter(crop="").values_list("width", "format"))
    missing = [
        w for w in planned_widths(photo.width) if any((w, f) not in have for f in formats)
    ]
    if missing:
        rendered = imaging.render_set(_original_bytes(photo), missing, list(formats), photo_rights(photo))
        made = store_renditions(photo, [i for i in rendered.images if (i.width, i.format) not in have])
        logger.info("photo %s: made %d renditions", photo.pk, len(made))
    return list(photo.renditions.filter(crop=""))


def make_background_renditions(photo: Photo) -> list[Rendition]:
    """What follows the publishable set, from one more decode: the focus that
    crops keep (unless set already) and the WebP and AVIF renditions."""
    widths = planned_widths(photo.width)
    image = imaging.decode_for_width(_original_bytes(photo), max(widths))
    _remember_focus(photo, image)
    if not photo.picture_hash:  # a photo from before picture hashes
        photo.picture_hash = imaging.picture_hash(image)
        with transaction.atomic():
            Photo.objects.filter(pk=photo.pk).update(picture_hash=photo.picture_hash)
            near_copies.index_picture(photo)
    have = set(photo.renditions.filter(crop="").values_list("width", "format"))
    encoded = imaging.encode(imaging.cascade(image, widths), list(BACKGROUND_FORMATS), photo_rights(photo))
    return store_renditions(photo, [i for i in encoded if (i.width, i.format) not in have])


def _remember_focus(photo: Photo, image) -> crops.Focus:
    """The photo's focus, found in ``image`` (the photo decoded) the first time."""
    if photo.focus is None:
        photo.focus = crops.find_focus(image).as_dict()
        Photo.objects.filter(pk=photo.pk).update(focus=photo.focus)
    return crops.Focus.from_dict(photo.focus)


def rendition_widths(photo: Photo, crop: str = "") -> list[int]:
    """The widths ``photo`` is rendered at, whole or cropped to the aspect
    ``crop``: those of a photo as wide as the crop box."""
    if not crop:
        return planned_widths(photo.width)
    chosen = photo.crop_boxes.get(crop)
    box = crops.chosen_box(photo.width, photo.height, crop, chosen) if chosen else None
    return planned_widths(box[2] if box else crops.crop_size(photo.width, photo.height, crop)[0])


def nearest_width(photo: Photo, target: int, crop: str = "", among: list[int] | None = None) -> int:
    """The width of ``photo``'s renditions (cropped to ``crop``; only those
    ``among`` the widths given, where given) closest to ``target`` pixels."""
    return min(among or rendition_widths(photo, crop), key=lambda width: abs(width - target))


def largest_width(photo: Photo) -> int:
    return max(rendition_widths(photo))


def largest_jpeg_url(photo: Photo) -> str:
    """The largest full-frame JPEG: what feeds, sitemaps, JSON-LD and downloads offer."""
    return rendition_url(photo, largest_width(photo), "jpeg")


def ensure_rendition(photo: Photo, width: int, fmt: str, crop: str = "") -> Rendition:
    """The rendition of ``photo`` at ``width`` in ``fmt`` (cropped to the aspect
    ``crop``, if given), made now if missing."""
    existing = photo.renditions.filter(width=width, format=fmt, crop=crop).first()
    if existing:
        return existing
    data = _original_bytes(photo)
    if not crop:
        (encoded,) = imaging.render_set(data, [width], [fmt], photo_rights(photo)).images
        return store_renditions(photo, [encoded])[0]
    focus = (
        crops.Focus.from_dict(photo.focus)
        if photo.focus is not None
        else _remember_focus(photo, imaging.decode_for_width(data, 1024))
    )
    chosen = photo.crop_boxes.get(crop)
    _, _, box_width, _ = crops.crop_box(photo.width, photo.height, crop, focus, chosen)
    # Decode just wide enough that the crop box is at least ``width`` wide.
    image = imaging.decode_for_width(data, -(-width * photo.width // box_width))
    cropped = crops.crop_to(image, crop, focus, chosen)
    (encoded,) = imaging.encode(imaging.cascade(cropped, [width]), [fmt], photo_rights(photo))
    return store_renditions(photo, [encoded], crop)[0]


class OriginalMissing(Http404):
    """The photo's original is not in storage (`picdesk check` reports it):
    nothing can be made from it. Logged here; any view meeting it answers 404."""

    def __init__(self, photo: Photo):
        super().__init__(f"photo {photo.pk}: its original {photo.original} is missing")
        logger.error("%s (run picdesk check)", self)


def open_original(photo: Photo):
    """The stored original, open for reading; OriginalMissing if it is not there."""
    try:
        return default_storage.open(photo.original, "rb")
    except FileNotFoundError:
        raise OriginalMissing(photo) from None


def _original_bytes(photo: Photo) -> bytes:
    with open_original(photo) as original:
        return original.read()


def store_renditions(photo: Photo, images: list[imaging.EncodedImage], crop: str = "") -> list[Rendition]:
    """Store ``images`` as renditions of ``photo``, each signed by the
    publisher when signing is configured (photos.signing); copied to the
    public bucket at once when the photo's others are there (it is live)."""
    signer = signing.signer_for(photo) if images else None
    # A worker killed while writing here left its temporary file: this one is tidied now.
    for folder in {os.path.dirname(rendition_name(photo, image.width, image.format, crop)) for image in images}:
        remove_abandoned_partials(default_storage, folder)
    stored = [_store(photo, signer.sign(encoded, crop) if signer else encoded, crop) for encoded in images]
    if stored and public.public_storage() and photo.renditions.filter(public=True).exists():
        public.expose(stored)
    return stored


def _store(photo: Photo, encoded: imaging.EncodedImage, crop: str = "") -> Rendition:
    name = rendition_name(photo, encoded.width, encoded.format, crop)
    if default_storage.exists(name):
        # Another worker got here first, or a row was lost: same inputs, same bytes.
        default_storage.delete(name)
    stored_name = default_storage.save(name, ContentFile(encoded.data))
    fields = {"photo": photo, "crop": crop, "width": encoded.width, "format": encoded.format}
    try:
        with transaction.atomic():
            return Rendition.objects.create(
                **fields, height=encoded.height, file=stored_name, file_size=len(encoded.data)
            )
    except IntegrityError:
        # Lost the race under the unique constraint: the winner's row stands.
        return Rendition.objects.get(**fields)


# The fields of a photo that every rendition carries (``photo_rights``): a
# change to one remakes its renditions.
CARRIED_FIELDS = frozenset({"caption", "credit", "byline", "copyright_notice", "digital_source_type",
                            "web_statement", "licensor_name", "licensor_url", "data_mining"})


def rights_metadata(
    credit: str, byline: str, copyright_notice: str, caption: str = "", source_type: str = "",
    licence: Licence = Licence(), data_mining: str = "",
) -> dict[str, bytes]:
    """The XMP and IIM blocks every rendition carries: credit, by-line,
    copyright notice, caption, Digital Source Type, where its licence is
    (photos.licensing) and whether it may be mined (AI training), so a
    picture keeps its attribution, an AI-generated one its label and a
    protected one its reservation, wherever it travels.
    Renditions lose all other metadata (GPS, camera serials and other private
    fields must not travel)."""
    rights = PhotoMetadata(
        digital_source_type=source_type,
        credit=credit,
        bylines=[byline] if byline else [],
        copyright_notice=copyright_notice,
        # IIM's caption holds 2,000 bytes, and a JPEG's XMP segment 64 KB: a
        # longer caption travels cut, its whole text stays on the pages and API.
        caption=caption[:2000],
        web_statement=licence.terms_url,
        licensor_name=licence.licensor_name,
        licensor_url=licence.licensor_url,
        data_mining=data_mining,
    )
    return imaging.metadata_blocks(write_metadata(imaging.blank_jpeg(), rights))


def photo_rights(photo: Photo) -> dict[str, bytes]:
    return rights_metadata(photo.credit, photo.byline, photo.copyright_notice, photo.caption, photo.source_type,
                           licence_of(photo), photo.data_mining)


def discard_renditions(photo: Photo, crops_only: list[str] | None = None) -> int:
    """Delete every rendition of ``photo`` and the public copies of its
    original (photos.privacy), or only its renditions cropped to the aspects
    ``crops_only``; rows now and files once that is committed (a rolled-back
    kill or edit keeps them). They are remade on demand or by
    ``make_photo_renditions``; returns how many went. Call it before the
    photo changes what names them (its key, its crops)."""
    going = photo.renditions.filter(crop__in=crops_only) if crops_only is not None else photo.renditions.all()
    renditions = list(going)
    files = [r.file for r in renditions]
    public_names = [public_name_of(r) for r in renditions if r.public]
    downloads = _downloads_of(photo.public_key) if crops_only is None else []
    going.delete()

    def delete_files():
        public.delete_public_copies(public_names)  # first: what readers can reach
        for name in files + downloads:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
    return len(files)


def _downloads_of(key: str) -> list[str]:
    folder = downloads_folder(key)
    if not default_storage.exists(folder):
        return []
    return [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]
