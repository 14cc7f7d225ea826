"""The metadata mapping, against IPTC's reference image and fixtures written
with raw IIM and XMP keys."""

import json

import pytest

from picdesk.photos.ingest import ingest_bytes
from picdesk.photos.metadata import IIM, XMP, read_metadata
from tests.conftest import STANDARDS
from tests.factories import make_jpeg

REFERENCE = "iptc/IPTC-PhotometadataRef-Std2021.1.jpg"

# picdesk field -> key in expected-fields.json (exiftool's reading of the image).
EXPECTED = {
    "caption": ("caption", "XMP-dc:Description"),
    "headline": ("headline", "XMP-photoshop:Headline"),
    "title": ("title", "XMP-dc:Title"),
    "credit": ("credit_line", "XMP-photoshop:Credit"),
    "source": ("source", "XMP-photoshop:Source"),
    "copyright_notice": ("copyright_notice", "XMP-dc:Rights"),
    "usage_terms": ("rights_usage_terms", "XMP-xmpRights:UsageTerms"),
    "alt_text": ("alt_text_accessibility", "XMP-iptcCore:AltTextAccessibility"),
    "city": ("city", "XMP-photoshop:City"),
    "sublocation": ("sublocation", "XMP-iptcCore:Location"),
    "state": ("province_state", "XMP-photoshop:State"),
    "country": ("country", "XMP-photoshop:Country"),
    "country_code": ("country_code", "XMP-iptcCore:CountryCode"),
    "instructions": ("instructions", "XMP-photoshop:Instructions"),
    "job_id": ("job_id", "XMP-photoshop:TransmissionReference"),
    "keywords": ("keywords", "XMP-dc:Subject"),
    "persons_shown": ("persons_shown", "XMP-iptcExt:PersonInImage"),
    "bylines": ("creator", "XMP-dc:Creator"),
}


@pytest.fixture
def reference():
    expected = json.loads((STANDARDS / "iptc/expected-fields.json").read_text())["fields"]
    return (STANDARDS / REFERENCE).read_bytes(), expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reference_image_field(reference, name):
    data, expected = reference
    group, key = EXPECTED[name]
    assert getattr(read_metadata(data), name) == expected[group][key]


def test_reference_image_iim_and_xmp_agree_so_xmp_is_named_the_source(reference):
    data, expected = reference
    meta = read_metadata(data)
    assert expected["caption"]["IPTC:Caption-Abstract"] == meta.caption
    assert meta.sources["caption"] == XMP
    assert meta.sources["credit"] == XMP


def test_reference_image_date_created(reference):
    data, expected = reference
    exiftool_value = expected["date_created"]["XMP-photoshop:DateCreated"]  # 2021:10:20 21:01:01+00:00
    iso = exiftool_value.replace(":", "-", 2).replace(" ", "T")
    assert read_metadata(data).date_created == iso


@pytest.mark.django_db
def test_reference_image_imports_with_its_fields_and_size(reference):
    data, expected = reference
    photo = ingest_bytes(data, "IPTC-PhotometadataRef-Std2021.1.jpg").photo
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (
        expected["image_width"]["File:ImageWidth"],
        expected["image_height"]["File:ImageHeight"],
    )
    assert photo.byline == "Creator1 (ref2021.1)"
    assert photo.credit_line == "Credit Line (ref2021.1)/Creator1 (ref2021.1)"
    assert photo.alt == expected["alt_text_accessibility"]["XMP-iptcCore:AltTextAccessibility"]
    assert photo.keywords == expected["keywords"]["IPTC:Keywords"]
    assert photo.metadata_sources["headline"] == XMP


def test_iim_only():
    data = make_jpeg(
        iim={
            "Iptc.Envelope.CharacterSet": "\x1b%G",
            "Iptc.Application2.Headline": "Floods in Valencia",
            "Iptc.Application2.Caption": "VALENCIA, Spain — Water fills a street, Oct. 30, 2024.",
            "Iptc.Application2.Byline": ["Ana Ruiz"],
            "Iptc.Application2.Credit": "AGENCY",
            "Iptc.Application2.Keywords": ["flood", "weather"],
            "Iptc.Application2.City": "València",
            "Iptc.Application2.DateCreated": "2024-10-30",
            "Iptc.Application2.TimeCreated": "09:15:00+01:00",
            "Iptc.Application2.TransmissionReference": "VAL-123",
        }
    )
    meta = read_metadata(data)
    assert meta.headline == "Floods in Valencia"
    assert meta.caption.startswith("VALENCIA, Spain —")
    assert meta.bylines == ["Ana Ruiz"]
    assert meta.credit == "AGENCY"
    assert meta.keywords == ["flood", "weather"]
    assert meta.city == "València"
    assert meta.job_id == "VAL-123"
    assert meta.date_created == "2024-10-30T09:15:00+01:00"
    assert {meta.sources[f] for f in ("headline", "caption", "bylines", "city", "date_created")} == {IIM}


def test_undeclared_latin1_iim_is_read_as_latin1():
    data = make_jpeg()
    import pyexiv2

    with pyexiv2.ImageData(data) as img:
        img.modify_iptc({"Iptc.Application2.City": "Zürich"}, encoding="latin-1")
        data = img.get_bytes()
    assert read_metadata(data).city == "Zürich"


def test_xmp_only():
    data = make_jpeg(
        xmp={
            "Xmp.photoshop.Headline": "Election night",
            "Xmp.dc.description": {'lang="x-default"': "Supporters cheer."},
            "Xmp.dc.creator": ["Li Wei", "Sam Roe"],
            "Xmp.photoshop.Credit": "WIRE",
            "Xmp.iptcExt.PersonInImage": ["A. Candidate"],
            "Xmp.iptc.AltTextAccessibility": {'lang="x-default"': "A crowd waves flags."},
            "Xmp.xmpRights.UsageTerms": {'lang="x-default"': "EDITORIAL USE ONLY"},
            "Xmp.photoshop.DateCreated": "2024-11-05T23:10:00-05:00",
        }
    )
    meta = read_metadata(data)
    assert meta.caption == "Supporters cheer."
    assert meta.bylines == ["Li Wei", "Sam Roe"]
    assert meta.byline == "Li Wei, Sam Roe"
    assert meta.persons_shown == ["A. Candidate"]
    assert meta.alt_text == "A crowd waves flags."
    assert meta.usage_terms == "EDITORIAL USE ONLY"
    assert meta.date_created == "2024-11-05T23:10:00-05:00"
    assert set(meta.sources.values()) == {XMP}


def test_conflict_xmp_wins_and_iim_fills_gaps():
    data = make_jpeg(
        iim={
            "Iptc.Application2.Caption": "Old IIM caption, cut at 200 ch",
            "Iptc.Application2.Credit": "IIM CREDIT",
            "Iptc.Application2.City": "Lyon",
        },
        xmp={
            "Xmp.dc.description": {'lang="x-default"': "The full XMP caption."},
            "Xmp.photoshop.Credit": "XMP CREDIT",
        },
    )
    meta = read_metadata(data)
    assert (meta.caption, meta.sources["caption"]) == ("The full XMP caption.", XMP)
    assert (meta.credit, meta.sources["credit"]) == ("XMP CREDIT", XMP)
    assert (meta.city, meta.sources["city"]) == ("Lyon", IIM)


def test_control_characters_are_dropped():
    # IIM carries raw bytes (XML-based XMP cannot hold these characters at all).
    data = make_jpeg(iim={"Iptc.Application2.Headline": "Bad\x07 head\x00line\x1b"})
    assert read_metadata(data).headline == "Bad headline"


def test_exif_camera_time():
    data = make_jpeg(exif={"Exif.Photo.DateTimeOriginal": "2019:12:24 23:48:46"})
    meta = read_metadata(data)
    assert meta.camera_time == "2019-12-24T23:48:46"
    assert meta.sources["camera_time"] == "EXIF"
