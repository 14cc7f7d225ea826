"""Real JPEGs with real metadata, and the photos and slideshows made from them.

Images are drawn with pyvips; metadata is written with exiv2 (pyexiv2) under
the raw IPTC/XMP/EXIF keys, independently of picdesk's own mapping, so the
tests check that mapping rather than mirror it.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pyexiv2
import pyvips
from django.utils import timezone

from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.models import Photo
from picdesk.slideshows.models import Slideshow
from picdesk.slideshows.publishing import create_slideshow

_serial = itertools.count(1)


def make_jpeg(
    width: int = 96,
    height: int = 64,
    *,
    iim: dict | None = None,
    xmp: dict | None = None,
    exif: dict | None = None,
    quality: int = 90,
) -> bytes:
    """A JPEG of a gradient unique to this call, with the given raw metadata."""
    n = next(_serial)
    x = pyvips.Image.xyz(width, height)
    image = (x[0] * 255 / width).bandjoin([x[1] * 255 / height, x[0] * 0 + (n * 37) % 256])
    data = image.cast("uchar").copy(interpretation="srgb").jpegsave_buffer(Q=quality)
    if not (iim or xmp or exif):
        return data
    with pyexiv2.ImageData(data) as img:
        if exif:
            img.modify_exif(exif)
        if xmp:
            img.modify_xmp(xmp)
        if iim:
            img.modify_iptc(iim)
        return img.get_bytes()


def agency_jpeg(caption: str = "", *, credit: str = "AGENCY", byline: str = "Jane Doe",
                headline: str = "", alt_text: str = "", usage_terms: str = "", width: int = 96,
                height: int = 64) -> bytes:
    xmp = {"Xmp.photoshop.Credit": credit, "Xmp.dc.creator": [byline]}
    if usage_terms:
        xmp["Xmp.xmpRights.UsageTerms"] = {'lang="x-default"': usage_terms}
    if caption:
        xmp["Xmp.dc.description"] = {'lang="x-default"': caption}
    if headline:
        xmp["Xmp.photoshop.Headline"] = headline
    if alt_text:
        xmp["Xmp.iptc.AltTextAccessibility"] = {'lang="x-default"': alt_text}
    return make_jpeg(width, height, xmp={k: v for k, v in xmp.items() if v})


def wire_sized_jpeg(caption: str = "A wire photo.", *, width: int = 3600, height: int = 2500) -> bytes:
    """A camera-sized JPEG (20 MB and more, as wire photos are): noise at a
    high quality, which no encoder can shrink, with agency metadata."""
    noise = pyvips.Image.gaussnoise(width, height, sigma=60, mean=128).cast("uchar")
    image = noise.bandjoin([noise.rot180(), noise.fliphor()]).copy(interpretation="srgb")
    with pyexiv2.ImageData(image.jpegsave_buffer(Q=97)) as img:
        img.modify_xmp({"Xmp.photoshop.Credit": "AGENCY", "Xmp.dc.creator": ["Jane Doe"],
                        "Xmp.dc.description": {'lang="x-default"': caption}})
        return img.get_bytes()


def make_photo(caption: str = "A caption.", **kwargs) -> Photo:
    return ingest_bytes(agency_jpeg(caption, **kwargs), "photo.jpg").photo


def make_slideshow(
    title: str = "A slideshow",
    *,
    photos: list[Photo] | None = None,
    days_ago: float = 0,
    publish: bool = True,
    summary: str = "",
) -> Slideshow:
    photos = photos if photos is not None else [make_photo()]
    return create_slideshow(
        title,
        photos,
        summary=summary or f"Summary of {title}",
        published_at=timezone.now() - dt.timedelta(days=days_ago),
        publish=publish,
    )
