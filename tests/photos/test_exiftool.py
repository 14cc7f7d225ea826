"""An independent reader, exiftool (Debian libimage-exiftool-perl), finds the
credit, by-line, copyright notice and caption in every served rendition."""

import json
import shutil
import subprocess

import pytest

from picdesk.photos.storage_names import rendition_url
from picdesk.photos.renditions import make_background_renditions, make_renditions
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db


def exiftool(path):
    if not shutil.which("exiftool"):
        pytest.fail("exiftool is missing: apt-get install libimage-exiftool-perl (.ci/run does)")
    out = subprocess.run(["exiftool", "-json", "-G1", str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


def test_every_format_carries_the_rights_and_caption(client, tmp_path):
    photo = make_photo("PARIS — Rain on the Seine, Nov. 26, 2026.", credit="WIRE", byline="Léa Martin",
                       width=700, height=400)
    photo.copyright_notice = "© Wire 2026"
    photo.save()
    make_renditions(photo)
    make_background_renditions(photo)
    make_slideshow(photos=[photo])
    for fmt, ext in (("jpeg", "jpg"), ("webp", "webp"), ("avif", "avif")):
        response = client.get(rendition_url(photo, 320, fmt))
        assert response.status_code == 200
        path = tmp_path / f"r.{ext}"
        path.write_bytes(b"".join(response.streaming_content))
        tags = exiftool(path)
        assert tags["XMP-photoshop:Credit"] == "WIRE", fmt
        assert tags["XMP-dc:Creator"] in ("Léa Martin", ["Léa Martin"]), fmt
        assert tags["XMP-dc:Rights"] == "© Wire 2026", fmt
        assert tags["XMP-dc:Description"] == "PARIS — Rain on the Seine, Nov. 26, 2026.", fmt
        if fmt == "jpeg":
            assert tags["IPTC:Credit"] == "WIRE" and tags["IPTC:By-line"] == "Léa Martin"
            assert tags["IPTC:Caption-Abstract"].startswith("PARIS")
        assert not any(key.startswith("GPS") for key in tags)


def test_download_original_writes_the_desks_caption_into_a_copy(client, tmp_path):
    import hashlib

    from django.core.files.storage import default_storage

    photo = make_photo("Wire caption as sent.", credit="WIRE", byline="Li Wei", usage_terms="CC BY 4.0",
                       width=300, height=200)
    make_slideshow(photos=[photo])
    photo.caption = "Corrected caption from the desk."
    photo.credit = "PICDESK"
    photo.save()
    response = client.get(f"/api/v1/photos/{photo.public_key}/original")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    path = tmp_path / "original.jpg"
    path.write_bytes(b"".join(response.streaming_content))
    tags = exiftool(path)
    assert tags["XMP-dc:Description"] == "Corrected caption from the desk."
    assert tags["IPTC:Caption-Abstract"] == "Corrected caption from the desk."
    assert tags["XMP-photoshop:Credit"] == "PICDESK" and tags["IPTC:By-line"] == "Li Wei"
    with default_storage.open(photo.original, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == photo.sha256  # untouched
    draft_photo = make_photo("Draft.")
    make_slideshow(photos=[draft_photo], publish=False)
    assert client.get(f"/api/v1/photos/{draft_photo.public_key}/original").status_code == 404


def _served(client, url, path):
    response = client.get(url)
    assert response.status_code == 200, url
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    return exiftool(path)


def test_every_copy_says_where_its_licence_is(client, monkeypatch, tmp_path):
    """The site's licence page and licensor, read back by exiftool from each
    rendition format and the public original; a photo's own Web Statement
    and licensor win."""
    monkeypatch.setenv("PICDESK_LICENSE_URL", "https://pictures.example/licence")
    monkeypatch.setenv("PICDESK_LICENSOR_URL", "https://pictures.example/buy")
    monkeypatch.setenv("PICDESK_SITE_NAME", "Example Pictures")
    ours = make_photo("Ours, Dec. 4, 2026.", usage_terms="CC BY 4.0", width=600, height=400)
    theirs = make_photo("Theirs, Dec. 4, 2026.", width=600, height=400)
    theirs.web_statement, theirs.licensor_name = "https://wire.example/terms", "Wire Licensing"
    theirs.licensor_url = "https://wire.example/licensing"
    theirs.save()
    for photo in (ours, theirs):
        make_renditions(photo)
        make_background_renditions(photo)
    make_slideshow(photos=[ours, theirs])
    for fmt in ("jpeg", "webp", "avif"):
        tags = _served(client, rendition_url(ours, 320, fmt), tmp_path / f"ours.{fmt}")
        assert tags["XMP-xmpRights:WebStatement"] == "https://pictures.example/licence", fmt
        assert tags["XMP-plus:LicensorURL"] == "https://pictures.example/buy", fmt
        assert tags["XMP-plus:LicensorName"] == "Example Pictures", fmt
    original = _served(client, f"/api/v1/photos/{ours.public_key}/original", tmp_path / "original.jpg")
    assert original["XMP-xmpRights:WebStatement"] == "https://pictures.example/licence"
    assert original["XMP-plus:LicensorURL"] == "https://pictures.example/buy"
    tags = _served(client, rendition_url(theirs, 320, "jpeg"), tmp_path / "theirs.jpg")
    assert tags["XMP-xmpRights:WebStatement"] == "https://wire.example/terms"
    assert (tags["XMP-plus:LicensorName"], tags["XMP-plus:LicensorURL"]) == ("Wire Licensing",
                                                                             "https://wire.example/licensing")
