"""All pixel work, through pyvips: probing a file, checking that it decodes,
the blur placeholder, and encoding renditions.

Nothing here touches the database or storage; ``photos.renditions`` does that.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pyvips

# pyvips loader name -> (file extension for the stored original, MIME type).
# Anything else pyvips can open (SVG, PDF, GIF, ImageMagick formats...) is
# refused: picdesk only takes photographs, and never serves what a browser
# could execute.
ACCEPTED_LOADERS = {
    "jpegload": (".jpg", "image/jpeg"),
    "pngload": (".png", "image/png"),
    "webpload": (".webp", "image/webp"),
    "tiffload": (".tif", "image/tiff"),
    "heifload": (".heif", "image/heif"),
}

# EXIF orientations 5-8 turn the picture a quarter, swapping width and height.
QUARTER_TURNS = {5, 6, 7, 8}

PLACEHOLDER_WIDTH = 16


class ImageError(ValueError):
    """The bytes are not a photo picdesk can take; the message says why, for people."""


@dataclass(frozen=True)
class ImageInfo:
    extension: str
    mime_type: str
    width: int  # as displayed, after EXIF orientation
    height: int
    orientation: int


def probe(data: bytes, max_pixels: int) -> ImageInfo:
    """Read the header only: format, pixel size, orientation. Refuses what picdesk
    does not take, before a single pixel is decoded."""
    if not data:
        raise ImageError("empty file (0 bytes)")
    try:
        image = pyvips.Image.new_from_buffer(data, "", access="sequential")
    except pyvips.Error as exc:
        if "not in a known format" in str(exc):
            raise ImageError("not an image picdesk can read") from None
        raise ImageError(f"damaged image data: {_first_reason(exc)}") from None
    loader = image.get("vips-loader").removesuffix("_buffer").removesuffix("_source")
    if loader not in ACCEPTED_LOADERS:
        kind = loader.removesuffix("load") or "unknown"
        raise ImageError(f"unsupported format ({kind}); picdesk takes JPEG, PNG, WebP, TIFF and HEIF")
    pixels = image.width * image.height
    if pixels > max_pixels:
        raise ImageError(
            f"too many pixels: {image.width} × {image.height} = {pixels / 1e6:.0f} MP, "
            f"the limit is {max_pixels / 1e6:.0f} MP"
        )
    orientation = image.get("orientation") if image.get_typeof("orientation") else 1
    width, height = image.width, image.height
    if orientation in QUARTER_TURNS:
        width, height = height, width
    extension, mime_type = ACCEPTED_LOADERS[loader]
    return ImageInfo(extension, mime_type, width, height, orientation)


def placeholder_data_uri(data: bytes) -> str:
    """Decode the whole file at a tiny size and return it as a WebP data URI.

    This doubles as the import's integrity check: libjpeg and friends only notice
    a truncated or corrupt file when they reach the broken part, so a header
    probe is not enough, and a shrink-on-load decode is the cheapest full pass.
    """
    try:
        tiny = pyvips.Image.thumbnail_buffer(
            data, PLACEHOLDER_WIDTH, height=PLACEHOLDER_WIDTH * 4, option_string="fail_on=error"
        )
        encoded = tiny.webpsave_buffer(Q=30, keep="none")
    except pyvips.Error as exc:
        raise ImageError(f"damaged image data: {_first_reason(exc)}") from None
    return "data:image/webp;base64," + base64.b64encode(encoded).decode("ascii")


def _first_reason(exc: pyvips.Error) -> str:
    # libvips stacks one line per layer; the last non-empty one names the cause.
    lines = [line.strip() for line in str(exc.detail or exc.message).splitlines() if line.strip()]
    return lines[-1] if lines else "decoder error"


def _as_srgb8(image: pyvips.Image) -> pyvips.Image:
    # Greyscale, 16-bit and images without a profile leave thumbnail() in their own
    # space; browsers want 8-bit sRGB, and JPEG has no alpha (flatten onto white).
    if image.interpretation != "srgb" or image.format != "uchar":
        image = image.colourspace("srgb")
    if image.hasalpha():
        image = image.flatten(background=[255, 255, 255])
    return image.cast("uchar")


@dataclass(frozen=True)
class EncodedImage:
    width: int
    height: int
    format: str  # "jpeg" or "webp"
    data: bytes


ENCODERS = {
    # Progressive JPEG with optimised Huffman tables: smaller, and paints early on
    # slow phones. Chroma subsampling stays on (the libjpeg default) for size.
    "jpeg": lambda image, quality: image.jpegsave_buffer(
        Q=quality, optimize_coding=True, interlace=True, keep="none"
    ),
    "webp": lambda image, quality: image.webpsave_buffer(Q=quality, effort=4, keep="none"),
}


def encode_widths(
    data: bytes, widths: list[int], formats: dict[str, int]
) -> list[EncodedImage]:
    """Every width in every format, from one decode.

    The file is decoded once, with shrink-on-load, at the largest width asked for,
    oriented upright and converted to sRGB with its embedded ICC profile; each
    smaller width is then downscaled from that image in memory. ``formats`` maps a
    format to its encoder quality. Metadata is stripped: ``photos.renditions``
    writes back only what a rendition should carry.
    """
    widths = sorted(set(widths), reverse=True)
    try:
        largest = pyvips.Image.thumbnail_buffer(
            data, widths[0], height=10_000_000, size="down", export_profile="srgb"
        )
        largest = _as_srgb8(largest).copy_memory()
        results = []
        for width in widths:
            image = largest if width >= largest.width else largest.thumbnail_image(
                width, height=10_000_000, size="down"
            )
            for fmt, quality in formats.items():
                encoded = ENCODERS[fmt](image, quality)
                results.append(EncodedImage(image.width, image.height, fmt, encoded))
    except pyvips.Error as exc:
        raise ImageError(f"damaged image data: {_first_reason(exc)}") from None
    return results
