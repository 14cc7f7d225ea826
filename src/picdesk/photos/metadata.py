"""The one place where embedded photo metadata becomes picdesk's fields.

``read_metadata(data)`` reads IPTC-IIM, XMP and EXIF through exiv2 (the
``pyexiv2`` binding) and returns a typed ``PhotoMetadata``. Nothing else in
picdesk touches raw tags.

The mapping (``photos.iptc_fields``) follows the IPTC Photo Metadata Standard
(2025.1), which names for each property its IIM dataset and its XMP property. Where a file carries both
and they disagree, IPTC's guidance for readers is that the XMP value wins unless
it is absent ("Metadata Working Group guidelines", adopted by IPTC): XMP is
Unicode and newer, IIM is often a truncated legacy copy. ``sources`` records
which of them supplied each value, for the desk to show.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field, fields
from typing import Union

import pyexiv2

from picdesk.photos.iptc_fields import (
    IPTC_CV, IPTC_CV_HTTPS, LANG_ALT, LIST_FIELDS, LIST_LIMITS, STRUCTURES, TEXT_FIELDS, TEXT_LIMIT, TEXT_LIMITS,
    container_of, plain_key, with_files_prefix,
)
from picdesk.photos.marks import COLOR_CLASSES, MAX_RATING, PICKED, REJECTED, class_of_label, color_class_name

logger = logging.getLogger(__name__)

# exiv2's XMP toolkit is not thread-safe (its parser keeps global state), and
# the web server renders on-demand renditions on several threads at once: every
# call into exiv2 holds this lock. Each takes a millisecond or two.
EXIV2 = threading.Lock()

XMP, IIM, EXIF = "XMP", "IIM", "EXIF"
EDITED = "edited"  # a source the desk records: changed by an editor

# The culling marks (photos.marks), in XMP only: xmp:Rating (-1 is Bridge's
# and Lightroom's "rejected"), Photo Mechanic's colour class, else the
# xmp:Label it and Lightroom write, and Photo Mechanic's tag (a pick).
XMP_RATING, XMP_LABEL = "Xmp.xmp.Rating", "Xmp.xmp.Label"
PM_NAMESPACE = ("http://ns.camerabits.com/photomechanic/1.0/", "photomechanic")
PM_COLOR_CLASS, PM_TAGGED = "Xmp.photomechanic.ColorClass", "Xmp.photomechanic.Tagged"


@dataclass
class PhotoMetadata:
    """What picdesk knows of a photo from its embedded metadata. Empty string or
    empty list where the file says nothing."""

    headline: str = ""
    caption: str = ""
    title: str = ""
    credit: str = ""
    source: str = ""
    copyright_notice: str = ""
    city: str = ""
    sublocation: str = ""
    state: str = ""
    country_code: str = ""
    country: str = ""
    job_id: str = ""
    instructions: str = ""
    alt_text: str = ""
    usage_terms: str = ""
    digital_source_type: str = ""
    byline_title: str = ""
    description_writer: str = ""
    event: str = ""
    intellectual_genre: str = ""
    web_statement: str = ""
    copyright_owner: str = ""
    licensor_name: str = ""
    licensor_url: str = ""
    model_release_status: str = ""
    property_release_status: str = ""
    ai_system: str = ""
    ai_system_version: str = ""
    ai_prompt: str = ""
    ai_prompt_writer: str = ""
    extended_description: str = ""
    data_mining: str = ""
    other_constraints: str = ""
    image_supplier: str = ""
    image_creator: str = ""
    digital_image_guid: str = ""
    creator_address: str = ""
    creator_city: str = ""
    creator_region: str = ""
    creator_postcode: str = ""
    creator_country: str = ""
    creator_email: str = ""
    creator_phone: str = ""
    creator_url: str = ""
    location_created_name: str = ""
    location_created_sublocation: str = ""
    location_created_city: str = ""
    location_created_state: str = ""
    location_created_country: str = ""
    location_created_country_code: str = ""
    location_created_world_region: str = ""
    location_shown_name: str = ""
    location_shown_sublocation: str = ""
    location_shown_city: str = ""
    location_shown_state: str = ""
    location_shown_country: str = ""
    location_shown_country_code: str = ""
    location_shown_world_region: str = ""
    artwork_title: str = ""
    artwork_date: str = ""
    artwork_source: str = ""
    artwork_inventory_number: str = ""
    artwork_copyright_notice: str = ""
    person_name: str = ""
    person_description: str = ""
    bylines: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    persons_shown: list[str] = field(default_factory=list)
    organisations_shown: list[str] = field(default_factory=list)
    artwork_creators: list[str] = field(default_factory=list)
    # ISO 8601 as the file gives it, possibly only a date: IPTC allows partial dates.
    date_created: str = ""
    camera_time: str = ""
    # Read to group a burst of frames; never shown to readers, never written
    # into a rendition (renditions carry no EXIF at all).
    camera_serial: str = ""
    rating: int = 0
    color_class: int = 0
    pick: int = 0
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def byline(self) -> str:
        return ", ".join(self.bylines)


class MetadataError(ValueError):
    """The file's metadata blocks could not be parsed at all."""


def read_metadata(source: Union[bytes, os.PathLike]) -> PhotoMetadata:
    """Read the embedded IPTC-IIM, XMP and EXIF of an image held in memory
    (bytes) or in a file (a path: exiv2 reads only the metadata blocks)."""
    try:
        with EXIV2, quiet_image(source) as image:
            xmp = image.read_xmp()
            exif = image.read_exif()
            iim = _read_iim(image)
    except (RuntimeError, UnicodeDecodeError) as exc:
        raise MetadataError(f"unreadable metadata: {exc}") from exc
    return _map(iim, xmp, exif)


def write_metadata(data: bytes, meta: PhotoMetadata, *, clear_empty: bool = False) -> bytes:
    """A copy of the encoded image ``data`` with the non-empty fields of ``meta``
    written as XMP and IPTC-IIM, through the same mapping the reader uses;
    with ``clear_empty``, the fields ``meta`` leaves empty are removed from
    the file (the desk emptied them), so that it reads back as ``meta``."""
    xmp_values, iim_values = _values(meta, clear_empty)
    with EXIV2, quiet_image(data) as image:
        present = image.read_xmp()
        xmp_values = with_files_prefix(xmp_values, present)
        declared, emptied = _structures(xmp_values, present, clear_empty)
        if declared:
            image.modify_xmp(declared)
        if xmp_values:
            image.modify_xmp({**xmp_values, **emptied})  # a structure after its members: exiv2 wants that order
        if iim_values:
            # IIM 1:90 "ESC % G" declares the values UTF-8.
            image.modify_iptc({"Iptc.Envelope.CharacterSet": "\x1b%G", **iim_values})
        if any(xmp_values.values()) and not image.read_xmp():
            # exiv2 answers a value it cannot encode by dropping all XMP, quietly.
            raise MetadataError("the XMP could not be written; nothing was changed")
        return image.get_bytes()


def _values(meta: PhotoMetadata, clear_empty: bool) -> tuple[dict, dict]:
    """The XMP and IIM values to write for ``meta`` (None: remove)."""
    xmp_values, iim_values = {}, {}
    for name, (iim_key, xmp_key) in {**TEXT_FIELDS, **LIST_FIELDS}.items():
        value = getattr(meta, name)
        if not value:
            if clear_empty:
                xmp_values.update({xmp_key: None} if xmp_key else {})
                iim_values.update({iim_key: None} if iim_key else {})
            continue
        if xmp_key:
            xmp_values[xmp_key] = {'lang="x-default"': value} if xmp_key in LANG_ALT else value
        if iim_key:
            iim_values[iim_key] = value
    if meta.date_created:
        xmp_values["Xmp.photoshop.DateCreated"] = meta.date_created
    xmp_values.update(_marks_xmp(meta, clear_empty))
    return xmp_values, iim_values


def _structures(values: dict, present: dict, clear_empty: bool) -> tuple[dict, dict]:
    """The structures whose members ``values`` writes: those to declare (new
    ones with a value: exiv2 quietly drops every later change to a file whose
    existing structure is declared again) and, with ``clear_empty``, those
    left with no member at all, to remove (a member picdesk does not map,
    such as a location's GPS, keeps its structure)."""
    declared, emptied = {}, {}
    ours = {plain_key(key) for key in values}
    for name in sorted({container_of(key) for key in values} - {""}):
        kind = STRUCTURES.get(name, "Seq")
        if any(value for key, value in values.items() if container_of(key) == name):
            declared.update({} if name in present else {name: f'type="{kind}"'})
        elif clear_empty and not any(container_of(key) == name and plain_key(key) not in ours for key in present):
            emptied.update({name: None} if kind == "Struct" else {f"{name}[1]": None, name: None})
    return declared, emptied


SIDECAR = "XMP sidecar"
SIDECAR_LIMIT = 5 * 1024 * 1024  # a sidecar carries text: megabytes of it is no sidecar


def read_sidecar(path: os.PathLike) -> PhotoMetadata:
    """What an XMP sidecar file says, through the same mapping (MetadataError
    when it is too large or no XMP)."""
    if os.stat(path).st_size > SIDECAR_LIMIT:
        raise MetadataError("XMP sidecar over 5 MB")
    with open(path, "rb") as file:
        data = file.read().strip()
    if not data.startswith((b"<?xpacket", b"<?xml")):
        # exiv2 knows a bare <x:xmpmeta> for XMP only inside a packet
        data = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + data + b'\n<?xpacket end="w"?>'
    try:
        with EXIV2, quiet_image(data) as image:
            xmp = image.read_xmp()
    except (RuntimeError, UnicodeDecodeError) as exc:
        raise MetadataError(f"unreadable XMP sidecar: {exc}") from exc
    meta = _map({}, xmp, {})
    meta.sources = {name: SIDECAR for name in meta.sources}
    return meta


def overlay(meta: PhotoMetadata, sidecar: PhotoMetadata) -> None:
    """The sidecar's values over the embedded ones, field by field: the
    sidecar is the photographer's or editor's later word (IPTC's guidance)."""
    for name in sidecar.sources:
        setattr(meta, name, getattr(sidecar, name))
        meta.sources[name] = SIDECAR


def _marks_xmp(meta: PhotoMetadata, clear_empty: bool) -> dict[str, str | None]:
    """The XMP of the culling marks, where any is set (a public copy has none)."""
    if not (meta.rating or meta.color_class or meta.pick):
        return dict.fromkeys([XMP_RATING, XMP_LABEL, PM_COLOR_CLASS, PM_TAGGED]) if clear_empty else {}
    values = {XMP_RATING: str(REJECTED if meta.pick == REJECTED else meta.rating),
              PM_TAGGED: "True" if meta.pick == PICKED else "False"}
    if meta.color_class:
        values[PM_COLOR_CLASS] = str(meta.color_class)
        values[XMP_LABEL] = color_class_name(meta.color_class)
    elif clear_empty:
        values.update(dict.fromkeys([PM_COLOR_CLASS, XMP_LABEL]))
    return values


def quiet_image(source: Union[bytes, os.PathLike]) -> pyexiv2.ImageData | pyexiv2.Image:
    pyexiv2.set_log_level(4)
    # Registered before each use, as the process may be a fresh fork; cheap.
    pyexiv2.registerNs(*PM_NAMESPACE)  # exiv2 would print every oddity it parses to stderr
    if isinstance(source, bytes):
        return pyexiv2.ImageData(source)
    return pyexiv2.Image(os.fspath(source))


def _read_iim(image: pyexiv2.ImageData) -> dict:
    # IIM predates Unicode: 1:90 declares UTF-8 when present, but wire photos often
    # carry undeclared Latin-1. Try UTF-8 first, which fails loudly on Latin-1 bytes.
    try:
        return image.read_iptc(encoding="utf-8")
    except UnicodeDecodeError:
        return image.read_iptc(encoding="latin-1")


def _map(iim: dict, xmp: dict, exif: dict) -> PhotoMetadata:
    meta = PhotoMetadata()
    xmp = {plain_key(key): value for key, value in xmp.items()}
    for name, (iim_key, xmp_key) in TEXT_FIELDS.items():
        _choose(meta, name, _text(xmp.get(plain_key(xmp_key or ""))), _text(iim.get(iim_key)))
    for name, (iim_key, xmp_key) in LIST_FIELDS.items():
        _choose(meta, name, _list(xmp.get(plain_key(xmp_key or ""))), _list(iim.get(iim_key)))
    if meta.digital_source_type.startswith(IPTC_CV_HTTPS):
        meta.digital_source_type = IPTC_CV + meta.digital_source_type[len(IPTC_CV_HTTPS):]
    _choose(meta, "date_created", _text(xmp.get("Xmp.photoshop.DateCreated")), _iim_date(iim))
    camera_time = _exif_time(exif.get("Exif.Photo.DateTimeOriginal"))
    if camera_time:
        meta.camera_time = camera_time
        meta.sources["camera_time"] = EXIF
    serial = _text(exif.get("Exif.Photo.BodySerialNumber"))
    if serial:
        meta.camera_serial = serial
        meta.sources["camera_serial"] = EXIF
    _read_marks(meta, xmp)
    return meta


def _read_marks(meta: PhotoMetadata, xmp: dict) -> None:
    rating = _number(xmp.get(XMP_RATING))
    if rating is not None and rating < 0:
        meta.pick = REJECTED
    elif rating is not None:
        meta.rating = min(rating, MAX_RATING)
    color_class = _number(xmp.get(PM_COLOR_CLASS))
    if color_class is None:
        color_class = class_of_label(_text(xmp.get(XMP_LABEL)))
    meta.color_class = color_class if color_class in COLOR_CLASSES else 0
    if _text(xmp.get(PM_TAGGED)).casefold() == "true" and meta.pick != REJECTED:
        meta.pick = PICKED
    for name in ("rating", "color_class", "pick"):
        if getattr(meta, name):
            meta.sources[name] = XMP


def _number(value) -> int | None:
    try:
        return round(float(_text(value)))
    except (ValueError, OverflowError):
        return None


def _choose(meta: PhotoMetadata, name: str, from_xmp, from_iim) -> None:
    if from_xmp:
        setattr(meta, name, from_xmp)
        meta.sources[name] = XMP
    elif from_iim:
        setattr(meta, name, from_iim)
        meta.sources[name] = IIM


def _text(value) -> str:
    """One string from an exiv2 value: XMP lang-alt dicts give their x-default
    entry (else the first language), repeatable values are joined."""
    if value is None:
        return ""
    if isinstance(value, dict):
        value = value.get('lang="x-default"') or next(iter(value.values()), "")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return _clean(str(value))


def _list(value) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [text for text in (_clean(str(v)) for v in items) if text]


def _clean(text: str) -> str:
    # Control characters other than newline and tab have no place in a caption;
    # NUL in particular breaks databases and terminals downstream.
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " " and ch != "\x7f")
    return text.strip()


def _iim_date(iim: dict) -> str:
    # IIM 2:55 Date Created is CCYYMMDD (exiv2 shows CCYY-MM-DD); 2:60 Time
    # Created is HHMMSS±HHMM (exiv2 shows HH:MM:SS±HH:MM).
    date = _text(iim.get("Iptc.Application2.DateCreated"))
    time = _text(iim.get("Iptc.Application2.TimeCreated"))
    if date and time:
        return f"{date}T{time}"
    return date


def _exif_time(value) -> str:
    # EXIF DateTimeOriginal is "YYYY:MM:DD HH:MM:SS" in camera-local time.
    text = _text(value)
    if len(text) >= 19 and text[4] == ":" and text[7] == ":":
        return f"{text[0:4]}-{text[5:7]}-{text[8:10]}T{text[11:19]}"
    return ""


def limit_of(name: str) -> int:
    return TEXT_LIMITS.get(name, TEXT_LIMIT)


def bound(meta: PhotoMetadata) -> list[str]:
    """Cut every value of ``meta`` longer than its limit (at a word where one
    is near); returns what was cut, for the photo's record."""
    cuts = []
    for name, limit in ((f.name, limit_of(f.name)) for f in fields(meta) if f.type == "str"):
        value = getattr(meta, name)
        if len(value) > limit:
            setattr(meta, name, _cut(value, limit))
            cuts.append(f"{name} cut from {len(value):,} to {limit:,} characters")
    for name, (items, limit) in LIST_LIMITS.items():
        values = getattr(meta, name)
        kept = [_cut(value, limit) for value in values[:items]]
        if kept != values:
            setattr(meta, name, kept)
            cuts.append(f"{name} cut to {items} of at most {limit} characters")
    return cuts


def _cut(text: str, limit: int) -> str:
    cut = text[:limit]
    at_word = cut.rsplit(" ", 1)[0]
    return at_word if len(at_word) > limit * 0.9 else cut
