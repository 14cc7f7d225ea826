"""Ingest: what is kept, what is refused, and that a refused file leaves nothing."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from picdesk.photos.ingest import IngestError, ingest_bytes
from picdesk.photos.models import Photo
from tests.factories import agency_jpeg, make_jpeg

pytestmark = pytest.mark.django_db


def test_original_is_kept_byte_identical_under_its_sha256():
    data = agency_jpeg("Caption.")
    photo = ingest_bytes(data, "a.jpg").photo
    sha = hashlib.sha256(data).hexdigest()
    assert photo.sha256 == sha
    assert photo.original == f"originals/{sha[:2]}/{sha}.jpg"
    with default_storage.open(photo.original, "rb") as f:
        assert f.read() == data


def test_same_bytes_twice_reuses_the_photo():
    data = agency_jpeg("Caption.")
    first = ingest_bytes(data, "a.jpg")
    second = ingest_bytes(data, "copy-of-a.jpg")
    assert first.created and not second.created
    assert second.photo.pk == first.photo.pk
    assert Photo.objects.count() == 1


def test_size_is_after_exif_orientation():
    # Orientation 6: the camera was turned; the picture displays 64 wide, 96 high.
    photo = ingest_bytes(make_jpeg(96, 64, exif={"Exif.Image.Orientation": "6"}), "r.jpg").photo
    assert (photo.width, photo.height, photo.orientation) == (64, 96, 6)


def test_placeholder_is_a_small_data_uri():
    photo = ingest_bytes(agency_jpeg("x", width=800, height=600), "p.jpg").photo
    assert photo.placeholder.startswith("data:image/webp;base64,")
    assert len(photo.placeholder) <= 400


def test_png_is_accepted():
    import pyvips

    data = pyvips.Image.black(40, 30).pngsave_buffer()
    photo = ingest_bytes(data, "drawing.png").photo
    assert photo.mime_type == "image/png" and photo.original.endswith(".png")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file (0 bytes)"),
        (b"This is a text file, not a photo.\n" * 10, "not an image picdesk can read"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>', "unsupported format (svg)"),
    ],
    ids=["zero-bytes", "text", "svg"],
)
def test_refused_files_say_why(data, reason):
    with pytest.raises(IngestError) as info:
        ingest_bytes(data, "bad.jpg")
    assert info.value.name == "bad.jpg"
    assert info.value.reason.startswith(reason)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.99])
def test_truncated_jpeg_is_refused_and_leaves_nothing(fraction, media):
    data = make_jpeg(640, 480)
    with pytest.raises(IngestError, match="damaged image data"):
        ingest_bytes(data[: int(len(data) * fraction)], "cut.jpg")
    assert Photo.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_pixel_limit_is_a_setting(monkeypatch):
    monkeypatch.setenv("PICDESK_MAX_PIXELS", "5000")
    with pytest.raises(IngestError, match=r"too many pixels: 96 × 64"):
        ingest_bytes(make_jpeg(96, 64), "big.jpg")
    monkeypatch.setenv("PICDESK_MAX_PIXELS", "10000")
    assert ingest_bytes(make_jpeg(96, 64), "fine.jpg").created


def test_file_name_is_only_a_label():
    photo = ingest_bytes(make_jpeg(), "../../etc/pass\x00wd.jpg").photo
    assert photo.original.startswith("originals/")
    assert "\x00" not in photo.original_name


def test_a_tiff_whose_directory_lies_past_the_first_64_kib_is_taken():
    """vips and ImageMagick write the directory after the pixels."""
    import pyvips

    from picdesk.photos.ingest import ingest_bytes

    image = pyvips.Image.xyz(400, 300).cast("uchar").bandjoin(0).copy(interpretation="srgb")
    data = image.tiffsave_buffer(compression="none")
    assert int.from_bytes(data[4:8], "little") > 64 * 1024  # where the first directory starts
    photo = ingest_bytes(data, "scan.tif").photo
    assert (photo.mime_type, photo.width, photo.height) == ("image/tiff", 400, 300)


def test_a_megabyte_caption_is_cut_at_a_word_and_the_cut_is_on_the_record():
    from picdesk.audit.models import AuditEntry
    from picdesk.photos.ingest import ingest_bytes
    from picdesk.photos.metadata import TEXT_LIMITS
    import pyexiv2
    import pyvips

    words = "Flood waters rise in the north. " * 33_000  # about a megabyte
    png = pyvips.Image.xyz(64, 48).cast("uchar").bandjoin(0).copy(interpretation="srgb").pngsave_buffer()
    with pyexiv2.ImageData(png) as image:  # a PNG's XMP has no 64 KB segment limit, as a JPEG's has
        image.modify_xmp({"Xmp.dc.description": {'lang="x-default"': words},
                          "Xmp.dc.subject": [f"keyword {n}" for n in range(1000)],
                          "Xmp.iptc.CountryCode": "X" * 500})
        data = image.get_bytes()
    photo = ingest_bytes(data, "huge.jpg").photo
    assert len(photo.caption) <= TEXT_LIMITS["caption"]
    assert words.startswith(photo.caption) and words[len(photo.caption)] == " "  # cut at a word
    assert len(photo.keywords) == 200 and len(photo.country_code) == 10
    photo.refresh_from_db()  # PostgreSQL held it: no value over its column's length
    record = AuditEntry.objects.get(photo=photo, action="imported").detail
    assert "caption cut from 1,05" in record and "to 64,000 characters" in record and "keywords cut" in record


def test_the_desk_refuses_an_edit_over_a_fields_bound(signed_in):
    from tests.factories import make_photo

    photo = make_photo("Short.")
    response = signed_in("editor").post(f"/desk/photos/{photo.pk}/", {"caption": "x" * 64_001, "credit": "A"})
    assert response.status_code == 200 and "at most 64000 characters" in response.content.decode()
    photo.refresh_from_db()
    assert photo.caption == "Short."
