"""All pixel work, through pyvips: probing a file, checking that it decodes,
the blur placeholder, and encoding renditions.

Nothing here touches the database or storage; ``photos.renditions`` does that.
"""

from __future__ import annotations

import base64
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Union

import pyvips
from pyvips import ffi, vips_lib

from picdesk.core.config import setting

# pyvips loader name -> (file extension for the stored original, MIME type).
# Anything else pyvips can open (SVG, PDF, GIF, ImageMagick formats...) is
# refused: picdesk only takes photographs, and never serves what a browser
# could execute.
ACCEPTED_LOADERS = {
    "jpeg": (".jpg", "image/jpeg"),
    "png": (".png", "image/png"),
    "webp": (".webp", "image/webp"),
    "tiff": (".tif", "image/tiff"),
    "heif": (".heif", "image/heif"),
}

# EXIF orientations 5-8 turn the picture a quarter, swapping width and height.
QUARTER_TURNS = {5, 6, 7, 8}

PLACEHOLDER_WIDTH = 16
# The picture hash is taken from a reduction at least this wide (a cheap
# shrink-on-load where no rendition decode happens).
HASH_SOURCE_WIDTH = 64


# What a photo is read from: its bytes in memory, or the path of a file, which
# libvips then streams (an upload spooled to disk never has to fit in memory).
ImageSource = Union[bytes, os.PathLike]

# Enough of a file's start for every accepted format's magic number.
HEADER_BYTES = 64 * 1024
# Little- and big-endian TIFF, and BigTIFF.
TIFF_MAGIC = {b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"}


class ImageError(ValueError):
    """The bytes are not a photo picdesk can take; the message says why, for people."""


@dataclass(frozen=True)
class ImageInfo:
    extension: str
    mime_type: str
    width: int  # as displayed, after EXIF orientation
    height: int
    orientation: int


def open_image(source: ImageSource, **options) -> pyvips.Image:
    """The image in ``source``, loaded lazily with the loader ``options``."""
    if isinstance(source, bytes):
        return pyvips.Image.new_from_buffer(source, "", **options)
    return pyvips.Image.new_from_source(pyvips.Source.new_from_file(os.fspath(source)), "", **options)


def _thumbnail(source: ImageSource, width: int, **options) -> pyvips.Image:
    # Shrink-on-load, which only the thumbnail operations do from a file or buffer.
    if isinstance(source, bytes):
        return pyvips.Image.thumbnail_buffer(source, width, **options)
    return pyvips.Image.thumbnail_source(pyvips.Source.new_from_file(os.fspath(source)), width, **options)


def _header(source: ImageSource) -> bytes:
    if isinstance(source, bytes):
        return source[:HEADER_BYTES]
    with open(source, "rb") as file:
        return file.read(HEADER_BYTES)


def probe(source: ImageSource, max_pixels: int) -> ImageInfo:
    """Read the header only: format, pixel size, orientation. Refuses what picdesk
    does not take, before a single pixel is decoded."""
    header = _header(source)
    if not header:
        raise ImageError("empty file (0 bytes)")
    kind = _format_of(header)
    if kind is None:
        raise ImageError("not an image picdesk can read")
    if kind not in ACCEPTED_LOADERS:
        raise ImageError(f"unsupported format ({kind}); picdesk takes JPEG, PNG, WebP, TIFF and HEIF")
    try:
        image = open_image(source, access="sequential")
    except pyvips.Error as exc:
        raise ImageError(f"damaged image data: {_first_reason(exc)}") from None
    _check_shape(image.width, image.height, max_pixels)
    orientation = image.get("orientation") if image.get_typeof("orientation") else 1
    width, height = image.width, image.height
    if orientation in QUARTER_TURNS:
        width, height = height, width
    extension, mime_type = ACCEPTED_LOADERS[kind]
    return ImageInfo(extension, mime_type, width, height, orientation)


def _check_shape(width: int, height: int, max_pixels: int) -> None:
    pixels = width * height
    if pixels > max_pixels:
        raise ImageError(
            f"too many pixels: {width} × {height} = {pixels / 1e6:.0f} MP, "
            f"the limit is {max_pixels / 1e6:.0f} MP (PICDESK_MAX_PIXELS)"
        )
    longest = setting("PICDESK_MAX_ASPECT")
    if max(width, height) > min(width, height) * longest:
        raise ImageError(
            f"too long and thin: {width} × {height} "
            f"(picdesk takes photos up to 1:{longest:g}, PICDESK_MAX_ASPECT)"
        )


def _format_of(data: bytes) -> str | None:
    """The format libvips recognises in the first bytes ("jpeg", "svg", ...), or
    None. Nothing is parsed beyond the magic numbers: an SVG or PDF is refused
    before its loader (a whole renderer) ever sees it."""
    if data[:4] in TIFF_MAGIC:
        # libtiff's own sniffing reads the first directory, which vips and
        # ImageMagick write after the pixels, far past the header: the magic
        # number decides, and the loader then reads the whole file.
        return "tiff"
    loader = vips_lib.vips_foreign_find_load_buffer(data, len(data))
    if loader == ffi.NULL:
        return None
    name = ffi.string(loader).decode()  # e.g. VipsForeignLoadJpegBuffer
    kind = name.removeprefix("VipsForeignLoad").removesuffix("Buffer").lower()
    return {"nsgif": "gif", "pdfium": "pdf"}.get(kind, kind)


def placeholder_and_hash(source: ImageSource) -> tuple[str, str]:
    """Decode the whole file at a small size: its blur placeholder and its
    picture hash.

    For ingest that leaves renditions to the background worker: libjpeg and
    friends only notice a truncated or corrupt file when they reach the broken
    part, so a header probe is not enough, and a shrink-on-load decode is the
    cheapest full pass.
    """
    try:
        small = _thumbnail(source, HASH_SOURCE_WIDTH, height=HASH_SOURCE_WIDTH * 4,
                           option_string="fail_on=error").copy_memory()
        return placeholder_from(small), picture_hash(small)
    except pyvips.Error as exc:
        raise ImageError(f"damaged image data: {_first_reason(exc)}") from None


def _first_reason(exc: pyvips.Error) -> str:
    # libvips stacks one line per layer; the last non-empty one names the cause.
    lines = [line.strip() for line in str(exc.detail or exc.message).splitlines() if line.strip()]
    return lines[-1] if lines else "decoder error"


def _as_srgb8(image: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB without alpha, converted with the file's own ICC profile where it
    has one other than sRGB. Greyscale, CMYK and 16-bit images leave the loader
    in their own space; browsers want sRGB, and JPEG has no alpha (flattened
    onto white). Returns ``image`` itself when it is that already."""
    if image.get_typeof("icc-profile-data"):
        if not _is_srgb_profile(image.get("icc-profile-data")):
            image = image.icc_transform("srgb", embedded=True, intent="perceptual")
    elif image.interpretation != "srgb":
        image = image.colourspace("srgb")
    if image.hasalpha():
        image = image.flatten(background=[255, 255, 255])
    return image if image.format == "uchar" else image.cast("uchar")


def _is_srgb_profile(profile: bytes) -> bool:
    # Most cameras and phones embed an sRGB profile (IEC 61966-2.1), whose
    # transform to sRGB changes nothing and costs a tenth of the decode. Its
    # description tag names it; Display P3, Adobe RGB and CMYK profiles do not.
    return b"sRGB" in profile[:2048]


@dataclass(frozen=True)
class EncodedImage:
    width: int
    height: int
    format: str  # "jpeg", "webp" or "avif"
    data: bytes


# Encoder settings (qualities are settings, defaulting to these), chosen with benchmarks/encoders.py (bytes against SSIM over
# ../shared/corpus at 1024 px; README's performance section has the table).
# JPEG Q80 (SSIM 0.966), baseline: optimised Huffman tables save 2 % of the
# bytes for twice the time, progressive 5 % for four times.
# WebP Q82 matches that SSIM. Effort 0 saves 6 % of the JPEG's bytes; effort 2
# would save 19 % for 1.5x the time and effort 4 28 % for 3.4x, but WebP is
# already most of the publishable set's cost, and the AVIF that follows in the
# background saves a third: the publishable WebP is the fast bridge to it.
# AVIF Q65, effort 0: SSIM 0.964 at 66 % of the JPEG's bytes.
# Only the XMP and IIM blocks that ``with_metadata`` attaches are written: EXIF
# (GPS, camera serials), ICC profiles and everything else are dropped.
ENCODERS = {
    "jpeg": lambda image: image.jpegsave_buffer(Q=setting("PICDESK_JPEG_QUALITY"), keep="xmp,iptc"),
    "webp": lambda image: image.webpsave_buffer(
        Q=setting("PICDESK_WEBP_QUALITY"), effort=0, keep="xmp"
    ),
    "avif": lambda image: image.heifsave_buffer(
        Q=setting("PICDESK_AVIF_QUALITY"), effort=0, compression="av1", keep="xmp"
    ),
}
METADATA_BLOCKS = ("xmp-data", "iptc-data")


def metadata_blocks(tagged_jpeg: bytes) -> dict[str, bytes]:
    """The XMP and IIM blocks of a JPEG, as libvips holds them, for ``encode``."""
    image = pyvips.Image.new_from_buffer(tagged_jpeg, "")
    return {name: image.get(name) for name in METADATA_BLOCKS if image.get_typeof(name)}


def blank_jpeg() -> bytes:
    """A 1 × 1 JPEG for exiv2 to write metadata blocks into."""
    return pyvips.Image.black(1, 1).jpegsave_buffer()


def with_metadata(image: pyvips.Image, blocks: dict[str, bytes]) -> pyvips.Image:
    """``image`` carrying exactly ``blocks`` (none of the original's XMP or IIM)."""
    tagged = image.copy()
    for name in METADATA_BLOCKS:
        if tagged.get_typeof(name):
            tagged.remove(name)
    for name, block in blocks.items():
        tagged.set_type(pyvips.GValue.blob_type, name, block)
    return tagged


def decode_for_width(source: ImageSource, width: int) -> pyvips.Image:
    """The photo upright, in 8-bit sRGB, ``width`` pixels wide (or its own width
    if narrower), in memory: the one full decode a photo's renditions need.

    JPEGs shrink on load (libjpeg's DCT scaling by 2, 4 or 8) to the smallest
    size still at least ``width`` wide; the rest is a linear-kernel reduce. Over
    ../shared/corpus that decode costs 1.03x a plain libjpeg-turbo decode, where
    thumbnail() (lanczos3) costs 1.47x. Damaged data fails here
    (``fail_on="error"``), so this decode is also the integrity check.
    """
    header = open_image(source, access="sequential")
    orientation = header.get("orientation") if header.get_typeof("orientation") else 1
    stored_width = header.height if orientation in QUARTER_TURNS else header.width
    options = {"access": "sequential", "fail_on": "error"}
    shrink = 1
    if header.get("vips-loader").startswith("jpegload"):
        while shrink < 8 and stored_width // (shrink * 2) >= width:
            shrink *= 2
        options["shrink"] = shrink
    try:
        image = open_image(source, **options)
        loaded_width = image.height if orientation in QUARTER_TURNS else image.width
        if loaded_width > width:
            image = image.resize(width / loaded_width, kernel="linear")
        image = image.copy_memory()
        # Rotate after the reduce: rotation needs the whole image, a small one.
        converted = _as_srgb8(image.autorot() if orientation != 1 else image)
        if converted is not image:
            image = converted.copy_memory()
    except pyvips.Error as exc:
        raise ImageError(f"damaged image data: {_first_reason(exc)}") from None
    return image


@dataclass(frozen=True)
class RenderedSet:
    images: list[EncodedImage]
    placeholder: str
    picture_hash: str


def render_set(
    source: ImageSource, widths: list[int], formats: list[str], metadata: dict[str, bytes] | None = None
) -> RenderedSet:
    """Every width in every format, from one decode, and the blur placeholder.
    Each carries only the ``metadata`` blocks given (see ``encode``)."""
    sizes = cascade(decode_for_width(source, max(widths)), widths)
    return RenderedSet(encode(sizes, formats, metadata), placeholder_from(sizes[-1]), picture_hash(sizes[-1]))


def cascade(image: pyvips.Image, widths: list[int]) -> list[pyvips.Image]:
    """``image`` at each of ``widths`` (none wider than it is), largest first: each
    reduced from the one above it, a cascade of cheap steps."""
    widths = sorted({min(w, image.width) for w in widths}, reverse=True)
    if image.width > widths[0]:
        image = image.resize(widths[0] / image.width, kernel="cubic").copy_memory()
    sizes = [image]
    for width in widths[1:]:
        above = sizes[-1]
        sizes.append(above.resize(width / above.width, kernel="cubic").copy_memory())
    return sizes


def encode(
    sizes: list[pyvips.Image], formats: list[str], metadata: dict[str, bytes] | None = None
) -> list[EncodedImage]:
    """Each image in each format, on PICDESK_ENCODE_THREADS threads (libvips
    releases the GIL), largest first, so one photo's set uses every core.

    ``metadata`` holds the XMP and IIM blocks (``metadata_blocks``) every output
    carries, written by the encoder itself: no second pass over the bytes.
    """
    jobs = [(with_metadata(image, metadata or {}), fmt) for image in sizes for fmt in formats]
    with ThreadPoolExecutor(max_workers=setting("PICDESK_ENCODE_THREADS")) as pool:
        encoded = list(pool.map(lambda job: ENCODERS[job[1]](job[0]), jobs))
    return [EncodedImage(im.width, im.height, fmt, out) for (im, fmt), out in zip(jobs, encoded)]


# The picture hash holds a difference hash of the whole picture and of its
# centre with these fractions cut from each side: a cropped copy then meets
# the original at about the same framing (tests/photos/test_bursts.py measures
# precision and recall).
HASH_CROPS = (0, 0.04, 0.08, 0.12)


def picture_hash(image: pyvips.Image) -> str:
    """The photo's picture hash: one 64-bit difference hash (dHash) per
    framing in HASH_CROPS, 16 hex digits each. A dHash bit says whether a cell
    of a 9 × 8 greyscale reduction is brighter than its right-hand neighbour:
    re-encoding, resizing and exposure change a few; another picture about half."""
    grey = image.colourspace("b-w")[0]
    hashes = []
    for cut in HASH_CROPS:
        left, top = int(grey.width * cut), int(grey.height * cut)
        framed = grey.crop(left, top, grey.width - 2 * left, grey.height - 2 * top)
        cells = bytes(framed.thumbnail_image(9, height=8, size="force").cast("uchar").write_to_memory())
        bits = "".join("1" if cells[row * 9 + col] > cells[row * 9 + col + 1] else "0"
                       for row in range(8) for col in range(8))
        hashes.append(f"{int(bits, 2):016x}")
    return "".join(hashes)


def picture_distance(a: str, b: str) -> int:
    """How far apart two pictures are: the fewest of 64 bits in which any
    framing of one differs from any framing of the other (64 when unknown)."""
    if not a or not b:
        return 64
    ours = [int(a[i:i + 16], 16) for i in range(0, len(a), 16)]
    theirs = [int(b[i:i + 16], 16) for i in range(0, len(b), 16)]
    return min((x ^ y).bit_count() for x in ours for y in theirs)


def placeholder_from(image: pyvips.Image) -> str:
    """A tiny blurred preview of a decoded photo, as a WebP data URI (≈150 bytes)."""
    tiny = image.thumbnail_image(PLACEHOLDER_WIDTH, height=PLACEHOLDER_WIDTH * 4)
    encoded = tiny.webpsave_buffer(Q=30, keep="none")
    return "data:image/webp;base64," + base64.b64encode(encoded).decode("ascii")
