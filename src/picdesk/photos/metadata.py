"""The one place where embedded photo metadata becomes picdesk's fields.

``read_metadata(data)`` reads IPTC-IIM, XMP and EXIF through exiv2 (the
``pyexiv2`` binding) and returns a typed ``PhotoMetadata``. Nothing else in
picdesk touches raw tags.

The mapping follows the IPTC Photo Metadata Standard (2021.1+), which names for
each property its IIM dataset and its XMP property. Where a file carries both
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

logger = logging.getLogger(__name__)

# exiv2's XMP toolkit is not thread-safe (its parser keeps global state), and
# the web server renders on-demand renditions on several threads at once: every
# call into exiv2 holds this lock. Each takes a millisecond or two.
EXIV2 = threading.Lock()

XMP, IIM, EXIF = "XMP", "IIM", "EXIF"
EDITED = "edited"  # a source the desk records: changed by an editor

# field name -> (IIM dataset key, XMP property key); None where the standard
# defines no such representation. Dataset numbers are IIM 4.2 record 2.
TEXT_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "headline": ("Iptc.Application2.Headline", "Xmp.photoshop.Headline"),  # 2:105
    "caption": ("Iptc.Application2.Caption", "Xmp.dc.description"),  # 2:120
    "title": ("Iptc.Application2.ObjectName", "Xmp.dc.title"),  # 2:05
    "credit": ("Iptc.Application2.Credit", "Xmp.photoshop.Credit"),  # 2:110
    "source": ("Iptc.Application2.Source", "Xmp.photoshop.Source"),  # 2:115
    "copyright_notice": ("Iptc.Application2.Copyright", "Xmp.dc.rights"),  # 2:116
    "city": ("Iptc.Application2.City", "Xmp.photoshop.City"),  # 2:90
    "sublocation": ("Iptc.Application2.SubLocation", "Xmp.iptc.Location"),  # 2:92
    "state": ("Iptc.Application2.ProvinceState", "Xmp.photoshop.State"),  # 2:95
    "country_code": ("Iptc.Application2.CountryCode", "Xmp.iptc.CountryCode"),  # 2:100
    "country": ("Iptc.Application2.CountryName", "Xmp.photoshop.Country"),  # 2:101
    "job_id": (  # 2:103 Original Transmission Reference
        "Iptc.Application2.TransmissionReference",
        "Xmp.photoshop.TransmissionReference",
    ),
    "instructions": ("Iptc.Application2.SpecialInstructions", "Xmp.photoshop.Instructions"),
    "alt_text": (None, "Xmp.iptc.AltTextAccessibility"),
    "usage_terms": (None, "Xmp.xmpRights.UsageTerms"),
    # Iptc4xmpExt:DigitalSourceType, a URI of IPTC's digitalsourcetype
    # vocabulary: whether the picture is a capture, a composite or AI-generated.
    "digital_source_type": (None, "Xmp.iptcExt.DigitalSourceType"),
}
LIST_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "bylines": ("Iptc.Application2.Byline", "Xmp.dc.creator"),  # 2:80, repeatable
    "keywords": ("Iptc.Application2.Keywords", "Xmp.dc.subject"),  # 2:25, repeatable
    "persons_shown": (None, "Xmp.iptcExt.PersonInImage"),
}


# The longest value each field keeps, in characters (a list: its items, and
# each item's characters); a caption as long as a JPEG's XMP can carry. No
# wire sends more; a file that does (a 1 MB caption in a PNG made a 3.2 MB
# page and 12.6 MB feeds) has it cut at a word, and the cut is on the
# photo's record (``bound``). The desk's edits meet the same bounds.
TEXT_LIMIT = 500
TEXT_LIMITS = {"caption": 64_000, "headline": 1_000, "title": 1_000, "instructions": 5_000,
               "usage_terms": 5_000, "alt_text": 2_000, "copyright_notice": 1_000, "country_code": 10,
               "digital_source_type": 200, "date_created": 40, "camera_time": 40, "camera_serial": 80}
LIST_LIMITS = {"bylines": (20, 200), "keywords": (200, 100), "persons_shown": (100, 200)}


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
    bylines: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    persons_shown: list[str] = field(default_factory=list)
    # ISO 8601 as the file gives it, possibly only a date: IPTC allows partial dates.
    date_created: str = ""
    camera_time: str = ""
    # Read to group a burst of frames; never shown to readers, never written
    # into a rendition (renditions carry no EXIF at all).
    camera_serial: str = ""
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


# XMP properties of type Lang Alt (one text per language).
LANG_ALT = {"Xmp.dc.description", "Xmp.dc.title", "Xmp.dc.rights", "Xmp.iptc.AltTextAccessibility",
            "Xmp.xmpRights.UsageTerms"}


def write_metadata(data: bytes, meta: PhotoMetadata) -> bytes:
    """A copy of the encoded image ``data`` with the non-empty fields of ``meta``
    written as XMP and IPTC-IIM, through the same mapping the reader uses."""
    xmp_values, iim_values = {}, {}
    for name, (iim_key, xmp_key) in {**TEXT_FIELDS, **LIST_FIELDS}.items():
        value = getattr(meta, name)
        if not value:
            continue
        if xmp_key:
            xmp_values[xmp_key] = {'lang="x-default"': value} if xmp_key in LANG_ALT else value
        if iim_key:
            iim_values[iim_key] = value
    with EXIV2, quiet_image(data) as image:
        if xmp_values:
            image.modify_xmp(xmp_values)
        if iim_values:
            # IIM 1:90 "ESC % G" declares the values UTF-8.
            image.modify_iptc({"Iptc.Envelope.CharacterSet": "\x1b%G", **iim_values})
        return image.get_bytes()


def quiet_image(source: Union[bytes, os.PathLike]) -> pyexiv2.ImageData | pyexiv2.Image:
    pyexiv2.set_log_level(4)  # exiv2 would print every oddity it parses to stderr
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
    for name, (iim_key, xmp_key) in TEXT_FIELDS.items():
        _choose(meta, name, _text(xmp.get(xmp_key)), _text(iim.get(iim_key)))
    for name, (iim_key, xmp_key) in LIST_FIELDS.items():
        _choose(meta, name, _list(xmp.get(xmp_key)), _list(iim.get(iim_key)))
    _choose(meta, "date_created", _text(xmp.get("Xmp.photoshop.DateCreated")), _iim_date(iim))
    camera_time = _exif_time(exif.get("Exif.Photo.DateTimeOriginal"))
    if camera_time:
        meta.camera_time = camera_time
        meta.sources["camera_time"] = EXIF
    serial = _text(exif.get("Exif.Photo.BodySerialNumber"))
    if serial:
        meta.camera_serial = serial
        meta.sources["camera_serial"] = EXIF
    return meta


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
