"""The caption checker's warnings."""

import pytest

from picdesk.slideshows.caption_checks import check_slides
from tests.factories import make_photo, make_slideshow

pytestmark = pytest.mark.django_db

WIRE = "KYIV, Ukraine - Firefighters work at the site on Nov. 26, 2026."


def _warnings(*photos, captions=None):
    show = make_slideshow(photos=list(photos), publish=False)
    slides = list(show.slides.select_related("photo"))
    for slide, caption in zip(slides, captions or []):
        slide.caption = caption
    return [str(w) for w in check_slides(slides)]


def test_a_wire_caption_with_credit_and_byline_passes():
    assert _warnings(make_photo(WIRE)) == []


def test_missing_credit_byline_date_and_place():
    assert _warnings(make_photo("Firefighters at work.", credit="", byline="")) == [
        "Photo 1: no credit", "Photo 1: no by-line",
        "Photo 1: the caption gives no date", "Photo 1: the caption gives no place",
    ]


@pytest.mark.parametrize("caption", [
    "Firefighters work in Kyiv, Ukraine, on 26 November 2026.",  # place from the photo's City
    "Firefighters work in Kyiv on Wednesday.",
    "Firefighters work in Kyiv, 2026-11-26.",
])
def test_dates_and_places_in_other_styles(caption):
    photo = make_photo(caption)
    photo.city = "Kyiv"
    photo.save()
    assert _warnings(photo) == []


@pytest.mark.parametrize("terms, says", [
    ("EDITORIAL USE ONLY", ["restricted use: usage terms say “EDITORIAL USE ONLY”"]),
    ("No archives. No sales.", ["needs an editor's confirmation to publish: usage terms say “NO SALES”",
                                "restricted use: usage terms say “NO ARCHIVES”"]),
    ("MAGS OUT", ["restricted use: usage terms say “MAGS OUT”"]),
    ("Mandatory credit: AGENCY/Jane Doe", ["restricted use: usage terms say “MANDATORY CREDIT”"]),
    ("Not for publication", ["may not be published: usage terms say “NOT FOR PUBLICATION”"]),
])
def test_restrictive_usage_terms(terms, says):
    photo = make_photo(WIRE)
    photo.usage_terms = terms
    photo.save()
    assert _warnings(photo) == [f"Photo 1: {message}: {terms}" for message in says]


def test_a_lease_that_forbids_use_is_flagged():
    from picdesk.photos.rights import RightsLease

    photo = make_photo(WIRE)
    RightsLease.objects.create(photo=photo, access="deny", note="court order")
    assert _warnings(photo) == ["Photo 1: may not be published: a rights lease denies use: "
                                "Deny use from the start until for ever (court order)"]


def test_free_terms_are_not_restrictive():
    photo = make_photo(WIRE)
    photo.usage_terms = "CC BY 4.0, free to use with credit about the photographer"
    photo.save()
    assert _warnings(photo) == []


def test_inconsistent_bylines_and_credits_across_the_slideshow():
    warnings = _warnings(make_photo(WIRE, credit="AGENCY", byline="Jane Doe"),
                         make_photo(WIRE, credit="OTHER", byline="Jane  doe"))
    assert "by-line Jane  doe / Jane Doe is spelled differently across photos" in warnings
    assert "Jane  doe is credited to AGENCY, OTHER" in warnings


def test_the_slideshows_own_caption_is_the_one_checked():
    assert _warnings(make_photo("No date here."), captions=[WIRE]) == []


@pytest.mark.parametrize("headline, flagged", [
    ("IMG_4021.JPG", True), ("Benchmark corpus photo forensics__IMG_1054", True), ("DSC_0042", True),
    ("PXL_20240512_123456", True), ("Firefighters at the site", False), ("F-16 lands in 2024", False),
])
def test_a_headline_that_is_a_file_name_is_flagged(headline, flagged):
    warnings = _warnings(make_photo(WIRE, headline=headline))
    assert any("looks like a file name" in w for w in warnings) == flagged


def test_a_name_close_to_one_in_the_desks_dictionary_is_flagged(signed_in):
    editor = signed_in("editor")
    assert editor.post("/desk/names/", {"names": "Volodymyr Zelensky\nKYIV\nRoland Garros\n"}).status_code == 302
    warnings = _warnings(make_photo("KYIV, Ukraine - Volodymyr Zelenksy meets Roland Garros staff on Nov. 26, 2026."))
    assert warnings == ["Photo 1: “Zelenksy”: is it “Zelensky”, as the desk's names spell it?"]
    assert _warnings(make_photo(WIRE.replace("Firefighters", "Zelensky's guards"))) == []
