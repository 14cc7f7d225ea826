"""Nothing private leaves the building: every file readers and partners can
fetch is read by an independent reader (exiftool), and none carries a GPS
position, a serial number, an owner's name, maker notes or a thumbnail. The
public original keeps its pixels and the desk's rights; the desk gets the
original byte for byte."""

import hashlib
import json
import re
import shutil
import subprocess

import pyexiv2
import pytest

from picdesk.photos.renditions import make_background_renditions, make_renditions, rendition_widths
from picdesk.photos.spec import ASPECTS, EXTENSIONS
from picdesk.photos.storage_names import rendition_url
from tests.factories import make_jpeg, make_slideshow
from picdesk.photos.ingest import ingest_bytes

pytestmark = pytest.mark.django_db
PRIVATE = re.compile(r"gps|serial|owner|makernote|artist|thumbnail|comment", re.IGNORECASE)


def private_tags(data: bytes, tmp_path) -> dict:
    if not shutil.which("exiftool"):
        pytest.fail("exiftool is missing: apt-get install libimage-exiftool-perl (.ci/run does)")
    path = tmp_path / "served"
    path.write_bytes(data)
    out = subprocess.run(["exiftool", "-json", "-a", "-u", "-G1", str(path)], capture_output=True, text=True,
                         check=True)
    tags = json.loads(out.stdout)[0]
    return {key: value for key, value in tags.items() if PRIVATE.search(key) and not key.startswith("System:")}


def camera_jpeg(usage_terms: str = "CC BY 4.0") -> bytes:
    """What a camera and an agency's software leave in a file: GPS, serials,
    the owner's name, a thumbnail with GPS of its own, an XMP copy of each."""
    with pyexiv2.ImageData(make_jpeg(80, 60, exif={"Exif.GPSInfo.GPSLatitudeRef": "N"})) as thumb:
        thumb.modify_exif({"Exif.GPSInfo.GPSLatitude": "15/1 50/1 8/1"})
        thumbnail = thumb.get_bytes()
    gps = {"Exif.GPSInfo.GPSLatitudeRef": "S", "Exif.GPSInfo.GPSLatitude": "15/1 50/1 8/1",
           "Exif.GPSInfo.GPSLongitudeRef": "W", "Exif.GPSInfo.GPSLongitude": "48/1 0/1 55/1"}
    exif = {**gps, "Exif.Photo.BodySerialNumber": "1130502473", "Exif.Photo.LensSerialNumber": "0000c1a2b3",
            "Exif.Photo.CameraOwnerName": "Jane Private", "Exif.Image.Artist": "Jane Private",
            "Exif.Image.Orientation": "1", "Exif.Image.Model": "Camera X"}
    xmp = {"Xmp.photoshop.Credit": "AGENCY", "Xmp.dc.creator": ["Jane Doe"],
           "Xmp.dc.description": {'lang="x-default"': "BRASÍLIA, Brazil - A protest, Nov. 26, 2026."},
           "Xmp.xmpRights.UsageTerms": {'lang="x-default"': usage_terms},
           "Xmp.exif.GPSLatitude": "15,50.13S", "Xmp.aux.SerialNumber": "1130502473"}
    with pyexiv2.ImageData(make_jpeg(1200, 800, exif=exif, xmp=xmp)) as image:
        image.modify_thumbnail(thumbnail)
        image.modify_comment("shot at Jane's home, 12 Rua X")
        return image.get_bytes()


@pytest.fixture
def published(tmp_path):
    data = camera_jpeg()
    assert private_tags(data, tmp_path), "the fixture must carry private tags to begin with"
    photo = ingest_bytes(data, "camera.jpg").photo
    make_renditions(photo)
    make_background_renditions(photo)
    make_slideshow(photos=[photo])
    return photo, data


def served_urls(photo) -> list[str]:
    urls = [f"/api/v1/photos/{photo.public_key}/original"]
    for crop in ["", *ASPECTS]:
        for fmt in EXTENSIONS:
            urls += [rendition_url(photo, width, fmt, crop) for width in rendition_widths(photo, crop)]
    return urls


def test_no_served_file_carries_gps_serials_owner_or_thumbnail(client, published, tmp_path):
    photo, _ = published
    urls = served_urls(photo)
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert private_tags(b"".join(response.streaming_content), tmp_path) == {}, url


def test_the_public_original_keeps_its_pixels_and_the_desks_rights(client, published, tmp_path):
    import pyvips

    photo, data = published
    photo.caption = "BRASÍLIA, Brazil - A protest outside Congress, Nov. 26, 2026."
    photo.save()
    response = client.get(f"/api/v1/photos/{photo.public_key}/original")
    copy = b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment;")
    original, public = (pyvips.Image.new_from_buffer(d, "") for d in (data, copy))
    assert original.write_to_memory() == public.write_to_memory()  # the very pixels
    path = tmp_path / "copy.jpg"
    path.write_bytes(copy)
    tags = json.loads(subprocess.run(["exiftool", "-json", "-G1", str(path)], capture_output=True,
                                     text=True, check=True).stdout)[0]
    assert tags["XMP-dc:Description"] == photo.caption and tags["IPTC:Caption-Abstract"] == photo.caption
    assert tags["XMP-photoshop:Credit"] == "AGENCY" and tags["XMP-xmpRights:UsageTerms"] == "CC BY 4.0"


def test_the_desk_gets_the_original_byte_for_byte(signed_in, published):
    photo, data = published
    response = signed_in("contributor").get(f"/desk/photos/{photo.pk}/original/")
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == hashlib.sha256(data).hexdigest()


def test_an_original_whose_terms_do_not_allow_reuse_is_not_downloadable(client):
    photo = ingest_bytes(camera_jpeg(usage_terms="Editorial use only"), "wire.jpg").photo
    make_slideshow(photos=[photo])
    response = client.get(f"/api/v1/photos/{photo.public_key}/original")
    assert response.status_code == 403 and "terms" in response.json()["error"]
