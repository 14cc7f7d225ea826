"""Hostile and broken files, made here: each is refused with a specific reason,
or taken and rendered correctly, and a bad file leaves nothing behind."""

import struct
import subprocess
import sys
import zlib

import pyvips
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from picdesk.photos.ingest import IngestError, ingest_bytes
from picdesk.photos.metadata import MetadataError, read_metadata
from picdesk.photos.renditions import make_renditions
from tests.conftest import STANDARDS
from tests.factories import agency_jpeg, make_jpeg, make_slideshow

pytestmark = pytest.mark.django_db


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` × ``height`` (a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def corrupt_huffman() -> bytes:
    data = bytearray(make_jpeg(200, 150))
    table = data.find(b"\xff\xc4")
    data[table + 5 : table + 25] = b"\xff" * 20
    return bytes(data)


HOSTILE = {
    "zero.jpg": (b"", "empty file (0 bytes)"),
    "notes.jpg": (b"Just some text, not a photo.\n" * 20, "not an image picdesk can read"),
    "cut-10.jpg": (make_jpeg(800, 600)[:3000], "damaged image data"),
    "huffman.jpg": (corrupt_huffman(), "damaged image data: VipsJpeg: Bogus Huffman table"),
    "bomb.png": (png_declaring(60000, 60000), "too many pixels: 60000 × 60000"),
    "strip.png": (pyvips.Image.black(1, 100000).pngsave_buffer(), "too long and thin: 1 × 100000"),
    "vector.jpg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                   "unsupported format (svg)"),
    "page.jpg": (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
                 "not an image picdesk can read"),
}


def good_files() -> dict[str, bytes]:
    rgb = pyvips.Image.black(64, 48).new_from_image([200, 30, 30]).copy(interpretation="srgb")
    wide = pyvips.Image.xyz(64, 48).cast("ushort") * 900
    return {
        "cmyk.jpg": rgb.icc_transform("cmyk").jpegsave_buffer(),
        "sixteen-bit.tif": wide[0].bandjoin([wide[1], wide[0]]).copy(interpretation="rgb16").tiffsave_buffer(),
        "really-a-png.jpg": rgb.pngsave_buffer(),
        "Zürich 📷 — ünïcode.jpg": agency_jpeg("Unicode name."),
    }


def test_a_hostile_folder_imports_the_good_and_names_every_bad_file(tmp_path):
    from tests.test_cli import picdesk_env

    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, (data, _) in HOSTILE.items():
        (folder / name).write_bytes(data)
    for name, data in good_files().items():
        (folder / name).write_bytes(data)
    home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-m", "picdesk", "--home", str(home), "import", str(folder), "--slideshow", "Mixed"],
        capture_output=True, text=True, env=picdesk_env(), timeout=180,
    )
    assert result.returncode == 1
    for name, (_, reason) in HOSTILE.items():
        assert f"error: {name}: {reason}" in result.stderr, name
    assert "imported 4 photos" in result.stdout
    originals = [p for p in (home / "media" / "originals").rglob("*") if p.is_file()]
    assert len(originals) == 4  # nothing of a refused file was kept
    assert {p.suffix for p in originals} == {".jpg", ".tif", ".png"}


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.99])
def test_truncated_anywhere_is_refused(fraction):
    data = make_jpeg(640, 480)
    with pytest.raises(IngestError, match="damaged image data"):
        ingest_bytes(data[: int(len(data) * fraction)], "cut.jpg")


def test_sixteen_bit_tiff_renders_as_8_bit_srgb(monkeypatch):
    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "32")
    photo = ingest_bytes(good_files()["sixteen-bit.tif"], "16.tif").photo
    rendition = next(r for r in make_renditions(photo) if r.format == "jpeg")
    from django.core.files.storage import default_storage

    with default_storage.open(rendition.file, "rb") as f:
        image = pyvips.Image.new_from_buffer(f.read(), "")
    assert (image.format, image.interpretation, image.bands) == ("uchar", "srgb", 3)


# The eight EXIF orientations: the stored pixels of a picture that shows
# upright once the orientation is applied.
DIHEDRAL = {
    "identity": lambda im: im, "fliphor": lambda im: im.fliphor(), "rot180": lambda im: im.rot180(),
    "flipver": lambda im: im.flipver(), "rot90": lambda im: im.rot90(), "rot270": lambda im: im.rot270(),
    "transpose": lambda im: im.rot90().fliphor(), "transverse": lambda im: im.rot270().fliphor(),
}


def upright() -> pyvips.Image:
    """60 × 40, red in the top-left quarter, blue elsewhere."""
    blue = pyvips.Image.black(60, 40).new_from_image([20, 40, 220]).copy(interpretation="srgb")
    red = pyvips.Image.black(30, 20).new_from_image([220, 30, 30]).copy(interpretation="srgb")
    return blue.insert(red, 0, 0).cast("uchar")


def stored_for(orientation: int) -> pyvips.Image:
    for transform in DIHEDRAL.values():
        candidate = transform(upright()).copy()
        candidate.set_type(pyvips.GValue.gint_type, "orientation", orientation)
        shown = candidate.autorot()
        if (shown.width, shown.height) == (60, 40) and (shown - upright()).abs().max() == 0:
            return transform(upright())
    raise AssertionError(f"no stored form for orientation {orientation}")


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_renders_upright(orientation, monkeypatch, client):
    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "60")
    data = make_jpeg(exif={"Exif.Image.Orientation": str(orientation)})  # just for the tag layout
    stored = stored_for(orientation).jpegsave_buffer(Q=95)
    import pyexiv2

    with pyexiv2.ImageData(stored) as image:
        image.modify_exif({"Exif.Image.Orientation": str(orientation)})
        stored = image.get_bytes()
    assert data  # the factory accepts the tag too
    photo = ingest_bytes(stored, f"o{orientation}.jpg").photo
    assert (photo.width, photo.height) == (60, 40)
    rendition = next(r for r in make_renditions(photo) if r.format == "jpeg")
    from django.core.files.storage import default_storage

    with default_storage.open(rendition.file, "rb") as f:
        image = pyvips.Image.new_from_buffer(f.read(), "")
    assert (image.width, image.height) == (60, 40)
    top_left, bottom_right = image.getpoint(5, 5), image.getpoint(55, 35)
    assert top_left[0] > 150 and top_left[2] < 100, f"orientation {orientation}: {top_left}"
    assert bottom_right[2] > 150, f"orientation {orientation}: {bottom_right}"


def test_file_names_are_labels_never_paths():
    long_name = "ü" * 300 + ".jpg"
    photo = ingest_bytes(agency_jpeg("x"), long_name).photo
    assert len(photo.original_name) == 255 and photo.original.startswith("originals/")
    photo = ingest_bytes(agency_jpeg("y"), "../../../etc/passwd\x00.jpg").photo
    assert photo.original.startswith("originals/") and "\x00" not in photo.original_name


def test_a_60_kb_caption_is_kept_and_shown(client):
    # 60 KB: a JPEG's XMP segment holds 64 KB in all, packet included.
    caption = ("A very long caption sentence. " * 2100)[:60000]
    photo = ingest_bytes(agency_jpeg(caption), "long.jpg", render=True).photo
    assert len(photo.caption) > 59000
    show = make_slideshow(photos=[photo])
    html = client.get(show.get_absolute_url()).content.decode()
    assert "...more" in html and html.count("A very long caption sentence.") > 1900


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=300)


@given(headline=TEXT, caption=TEXT)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_metadata_string_is_shown_inert(client, headline, caption):
    data = make_jpeg(xmp={
        "Xmp.photoshop.Headline": f"<script>window.pwned=1</script>{headline}",
        "Xmp.dc.description": {'lang="x-default"': f'"><img src=x onerror=alert(1)>{caption}'},
    })
    photo = ingest_bytes(data, "random.jpg").photo
    show = make_slideshow(photos=[photo])
    for url in (show.get_absolute_url(), f"{show.get_absolute_url()}1/", "/search/?q=pwned"):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "<script>window.pwned" not in body and "<img src=x" not in body
    # JSON carries the text as data, exactly; escaping is the consumer's job there.
    document = client.get(f"/api/v1/slideshows/{show.slug}").json()
    assert document["associations"][0]["headlines"][0]["value"].startswith("<script>window.pwned")


@given(st.binary(max_size=4096))
@settings(max_examples=200, deadline=None)
def test_metadata_reader_takes_any_bytes(data):
    try:
        read_metadata(data)
    except MetadataError:
        pass  # a clean rejection is the only other outcome allowed


def test_metadata_reader_takes_mutated_real_files():
    """A bounded fuzz run: 1,000 random mutations of IPTC's reference image."""
    import random

    original = (STANDARDS / "iptc/IPTC-PhotometadataRef-Std2021.1.jpg").read_bytes()
    rng = random.Random(4287)
    outcomes = {"read": 0, "rejected": 0}
    for _ in range(1000):
        data = bytearray(original)
        for _ in range(rng.randint(1, 16)):
            data[rng.randrange(min(len(data), 60000))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        try:
            read_metadata(bytes(data))
            outcomes["read"] += 1
        except MetadataError:
            outcomes["rejected"] += 1
    assert outcomes["read"] + outcomes["rejected"] == 1000 and outcomes["read"] > 0
