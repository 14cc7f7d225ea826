"""Renditions: sizes, formats, orientation, colour, metadata kept and stripped,
and the view that serves them."""

import pyexiv2
import pyvips
import pytest
from django.core.files.storage import default_storage

from picdesk.photos.storage_names import crop_folder, rendition_url
from picdesk.photos.renditions import make_background_renditions, make_renditions
from picdesk.photos.spec import planned_widths
from picdesk.slideshows.models import Slideshow
from tests.conftest import DEMO_PHOTOS
from tests.factories import make_jpeg, make_photo, make_slideshow

pytestmark = pytest.mark.django_db


def _read(rendition):
    with default_storage.open(rendition.file, "rb") as f:
        return f.read()


def test_widths_are_never_upscaled(monkeypatch):
    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "320,640,1024")
    assert planned_widths(800) == [320, 640, 800]
    assert planned_widths(200) == [200]
    assert planned_widths(2000) == [320, 640, 1024]
    assert planned_widths(1024) == [320, 640, 1024]


def test_jpeg_at_every_width_then_webp_and_avif_in_the_background(monkeypatch):
    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "320,640")
    photo = make_photo(width=1000, height=500)
    made = make_renditions(photo)
    assert sorted((r.format, r.width, r.height) for r in made) == [("jpeg", 320, 160), ("jpeg", 640, 320)]
    made += make_background_renditions(photo)
    assert sorted((r.format, r.width) for r in made) == [
        ("avif", 320), ("avif", 640), ("jpeg", 320), ("jpeg", 640), ("webp", 320), ("webp", 640)]
    for r in made:
        image = pyvips.Image.new_from_buffer(_read(r), "")
        assert (image.width, image.height) == (r.width, r.height)
        assert image.get("vips-loader").startswith({"avif": "heifload"}.get(r.format, f"{r.format}load"))
    assert len(make_renditions(photo, formats=("jpeg", "webp", "avif"))) == 6  # nothing made twice


@pytest.mark.parametrize("width, height", [(1, 1), (2, 3), (5, 1)])
def test_a_photo_a_pixel_or_two_across_gets_every_format_and_a_focus(width, height):
    """Anyone with an upload token can send a 1 x 1 JPEG: its background
    work must not fail (a failed task is retried, then reported for ever)."""
    photo = make_photo(width=width, height=height)
    made = make_renditions(photo) + make_background_renditions(photo)
    assert {r.format for r in made} == {"jpeg", "webp", "avif"}
    photo.refresh_from_db()
    assert photo.focus and 0 <= photo.focus["x"] <= 1 and 0 <= photo.focus["y"] <= 1


def test_orientation_applied_and_private_metadata_stripped(monkeypatch):
    from picdesk.photos.ingest import ingest_bytes

    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "32")
    data = make_jpeg(
        96,
        64,
        exif={
            "Exif.Image.Orientation": "6",
            "Exif.Photo.BodySerialNumber": "SN-12345",
            "Exif.GPSInfo.GPSLatitude": "48/1 8/1 49/1",
            "Exif.GPSInfo.GPSLatitudeRef": "N",
        },
        xmp={"Xmp.photoshop.Credit": "AGENCY", "Xmp.dc.creator": ["Jane Doe"],
             "Xmp.dc.rights": {'lang="x-default"': "© Agency 2026"},
             "Xmp.photoshop.Instructions": "private note"},
    )
    photo = ingest_bytes(data, "turned.jpg").photo
    jpeg = next(r for r in make_renditions(photo) if r.format == "jpeg")
    assert (jpeg.width, jpeg.height) == (32, 48)  # upright: portrait
    with pyexiv2.ImageData(_read(jpeg)) as img:
        exif, xmp, iim = img.read_exif(), img.read_xmp(), img.read_iptc()
    assert not any(k.startswith("Exif.GPSInfo") for k in exif)
    assert "Exif.Photo.BodySerialNumber" not in exif
    assert "Xmp.photoshop.Instructions" not in xmp
    assert xmp["Xmp.photoshop.Credit"] == "AGENCY"
    assert xmp["Xmp.dc.creator"] == ["Jane Doe"]
    assert iim["Iptc.Application2.Credit"] == "AGENCY"
    assert iim["Iptc.Application2.Copyright"] == "© Agency 2026"


def test_converted_to_srgb_from_an_embedded_profile(monkeypatch):
    from picdesk.photos.ingest import ingest_bytes

    monkeypatch.setenv("PICDESK_RENDITION_WIDTHS", "48")
    # A CMYK JPEG with a CMYK profile: browsers want sRGB.
    rgb = pyvips.Image.black(64, 48).new_from_image([200, 30, 30]).copy(interpretation="srgb")
    cmyk = rgb.icc_transform("cmyk")
    photo = ingest_bytes(cmyk.jpegsave_buffer(), "cmyk.jpg").photo
    rendition = next(r for r in make_renditions(photo) if r.format == "jpeg")
    image = pyvips.Image.new_from_buffer(_read(rendition), "")
    assert image.bands == 3 and image.interpretation == "srgb"
    red, green, blue = (image.extract_band(b).avg() for b in range(3))
    assert red > 150 and green < 80 and blue < 80


def test_rendition_view_serves_live_photos_and_makes_missing_sizes(client):
    photo = make_photo(width=700, height=350)
    make_slideshow(photos=[photo])
    response = client.get(rendition_url(photo, 320, "webp"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert photo.renditions.filter(width=320, format="webp").exists()


def test_rendition_view_hides_photos_only_in_drafts(client):
    photo = make_photo(width=700, height=350)
    make_slideshow(photos=[photo], publish=False)
    assert client.get(rendition_url(photo, 320, "jpeg")).status_code == 404
    Slideshow.objects.update(status=Slideshow.Status.PUBLISHED)
    assert client.get(rendition_url(photo, 320, "jpeg")).status_code == 200


def test_rendition_view_refuses_sizes_that_are_not_planned(client):
    photo = make_photo(width=700, height=350)
    make_slideshow(photos=[photo])
    assert client.get(rendition_url(photo, 321, "jpeg")).status_code == 404


def test_rendition_urls_agree_with_the_url_patterns():
    from django.urls import reverse

    photo = make_photo()
    key = photo.public_key
    assert rendition_url(photo, 640, "webp") == reverse(
        "reader:rendition", kwargs={"key": key, "width": 640, "ext": "webp"}
    )
    assert rendition_url(photo, 320, "jpeg", "16x9") == reverse(
        "reader:cropped", kwargs={"key": key, "crop": crop_folder(photo, "16x9"), "width": 320, "ext": "jpg"}
    )


@pytest.mark.parametrize("fmt", ["jpeg", "webp", "avif"])
def test_encoder_quality_is_a_setting(monkeypatch, fmt):
    from picdesk.photos import imaging

    image = pyvips.Image.new_from_file(str(DEMO_PHOTOS / "espresso.jpg")).copy_memory()
    sizes = {}
    for quality in ("30", "90"):
        monkeypatch.setenv(f"PICDESK_{fmt.upper()}_QUALITY", quality)
        (encoded,) = imaging.encode([image], [fmt])
        sizes[quality] = len(encoded.data)
    assert sizes["30"] < sizes["90"]
