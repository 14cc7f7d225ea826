"""AI-generated and composite pictures labelled wherever they appear, and the
Content Credentials disclosure on reader pages, in the API and the feeds."""

from __future__ import annotations

import random

import pytest
from lxml import etree, html

from picdesk.photos import provenance
from picdesk.photos.ingest import ingest_bytes
from picdesk.slideshows.caption_checks import check_slides
from tests.credentials import AI_GENERATED, camera_manifest, sign_jpeg
from tests.factories import agency_jpeg, make_jpeg, make_slideshow

pytestmark = pytest.mark.django_db
MEDIA = "{http://search.yahoo.com/mrss/}"


def ai_photo():
    data = make_jpeg(xmp={"Xmp.iptcExt.DigitalSourceType": AI_GENERATED, "Xmp.photoshop.Credit": "AGENCY",
                          "Xmp.dc.description": {'lang="x-default"': "An illustration of the summit."}})
    return ingest_bytes(data, "illustration.jpg").photo


@pytest.fixture
def shows():
    plain = make_slideshow("Plain pictures", photos=[ingest_bytes(agency_jpeg("A photograph."), "p.jpg").photo],
                           days_ago=1)
    labelled = make_slideshow("With an illustration", photos=[ai_photo()])
    return plain, labelled


def labels(page) -> list[str]:
    return [node.text_content() for node in html.fromstring(page.content).cssselect(".source-label")]


def test_the_label_is_on_every_reader_page_where_the_photo_appears(client, shows):
    plain, labelled = shows
    assert labels(client.get(labelled.get_absolute_url())) == ["AI-generated"]
    assert labels(client.get(f"{labelled.get_absolute_url()}1/")) == ["AI-generated"]
    assert labels(client.get(f"/embed/{labelled.slug}/")) == ["AI-generated"]
    assert labels(client.get("/")) == ["AI-generated"]  # the home page's card of its cover
    # The rails of the other slideshow's page name it too.
    assert "AI-generated" in labels(client.get(plain.get_absolute_url()))
    assert labels(client.get(f"{plain.get_absolute_url()}1/")).count("AI-generated") >= 1
    page = html.fromstring(client.get(labelled.get_absolute_url()).content)
    # The viewer's caption (JavaScript) reads its text from here.
    assert page.cssselect("figcaption")[0].get("data-full-text").startswith("AI-generated. ")
    assert page.cssselect(".credentials summary")[0].text_content() == "Content Credentials: AI-generated"


def test_the_api_and_the_feeds_label_it(client, shows):
    _, labelled = shows
    document = client.get(f"/api/v1/slideshows/{labelled.slug}").json()
    picture = document["associations"][0]
    assert picture["digitalsourcetype"] == {"uri": AI_GENERATED, "name": "AI-generated"}
    facts = client.get(picture["trustindicators"][0]["href"]).json()
    assert facts["label"] == "AI-generated" and facts["original_state"] == "none"
    for feed in ("/feeds/atom.xml", "/feeds/rss.xml"):
        root = etree.fromstring(client.get(feed).content)
        entries = root.findall(".//{http://www.w3.org/2005/Atom}entry") or root.findall(".//item")
        (entry,) = [e for e in entries if "illustration" in etree.tostring(e, encoding=str)]
        content = entry.find(f".//{MEDIA}content")
        assert content.find(f"{MEDIA}description").text.startswith("AI-generated. ")
        category = content.find(f"{MEDIA}category")
        assert category.get("scheme") + category.text == AI_GENERATED
        assert "Photo 1: AI-generated." in etree.tostring(entry, encoding=str)


def test_an_ordinary_unsigned_photo_claims_nothing(client, shows):
    plain, _ = shows
    page = html.fromstring(client.get(f"{plain.get_absolute_url()}1/").content)
    assert page.cssselect(".credentials") == [] and page.cssselect("figure .source-label") == []
    picture = client.get(f"/api/v1/slideshows/{plain.slug}").json()["associations"][0]
    assert "digitalsourcetype" not in picture and "trustindicators" not in picture


def test_the_disclosure_of_a_verified_photo_in_signed_renditions(client, signing, agency_pki):
    photo = ingest_bytes(sign_jpeg(agency_jpeg("Signed at the scene."), agency_pki), "DSC_0001.jpg").photo
    show = make_slideshow("Signed", photos=[photo])
    page = html.fromstring(client.get(show.get_absolute_url()).content)
    (details,) = page.cssselect("details.credentials")
    facts = dict(zip([dt.text_content() for dt in details.cssselect("dt")],
                     [dd.text_content() for dd in details.cssselect("dd")]))
    assert facts["Captured by"] == "AGENCY/Jane Doe · Test Camera 1.0"
    assert facts["Original"] == "Verified · signed by Test Agency"
    assert facts["Published by"] == "Test Publisher, who signed this picture"
    assert facts["What changed"] == "resized, re-encoded"
    assert details.cssselect("a")[0].get("href") == f"{show.get_absolute_url()}1/#content-credentials"
    photo_page = html.fromstring(client.get(f"{show.get_absolute_url()}1/").content)
    assert photo_page.cssselect("details#content-credentials[open]")
    api = client.get(f"/api/v1/photos/{photo.public_key}/credentials").json()
    assert api["original_state"] == "trusted" and api["published_by"] == "Test Publisher"
    assert api["original_actions"][0]["action"] == "c2pa.created"


def test_the_desk_and_the_caption_checker_warn(editor, trusted, agency_pki, stranger_pki):
    forged = bytearray(sign_jpeg(make_jpeg(400, 300, quality=95), agency_pki))
    forged[-300] ^= 0xFF
    broken = ingest_bytes(bytes(forged), "forged.jpg").photo
    unknown = ingest_bytes(sign_jpeg(agency_jpeg("Who?"), stranger_pki), "who.jpg").photo
    show = make_slideshow("Checked", photos=[broken, unknown, ai_photo()], publish=False)
    warnings = [str(w) for w in check_slides(list(show.slides.select_related("photo")))]
    assert any(w.startswith("Photo 1: its Content Credentials do not verify: assertion.dataHash.mismatch") for w in warnings)
    assert "Photo 2: its Content Credentials are signed by Unknown Signer, who is not among the trusted signers" in warnings
    assert "Photo 3: AI-generated (Digital Source Type): readers will see it labelled" in warnings
    page = html.fromstring(editor.get(f"/desk/photos/{broken.pk}/").content)
    alert = page.cssselect(".credentials [role=alert]")[0].text_content()
    assert "do not verify" in alert and "dataHash.mismatch" in alert
    page = html.fromstring(editor.get(f"/desk/photos/{unknown.pk}/").content)
    assert "Signed by Unknown Signer, who is not among the trusted signers" in page.cssselect(".credentials")[0].text_content()
    flags = [flag.text_content() for flag in html.fromstring(editor.get("/desk/").content).cssselect(".flag")]
    assert {"Content Credentials do not verify", "Signed by an unknown signer", "AI-generated"} <= set(flags)


def test_manifest_text_is_shown_inert(client, editor, agency_pki, trusted):
    hostile = '<img src=x onerror="alert(1)">'
    manifest = camera_manifest(AI_GENERATED, generator=hostile)
    photo = ingest_bytes(sign_jpeg(agency_jpeg("Hostile."), agency_pki, manifest), "h.jpg").photo
    show = make_slideshow("Hostile", photos=[photo])
    for page in (client.get(show.get_absolute_url()), editor.get(f"/desk/photos/{photo.pk}/")):
        assert hostile.encode() not in page.content and b"onerror=&quot;alert(1)&quot;" in page.content


def test_the_manifest_reader_takes_mutated_signed_files(agency_pki, trusted):
    """A bounded fuzz run, as the metadata reader's: 300 random mutations of a
    signed JPEG, most of them inside the manifest; every outcome is a record."""
    signed = sign_jpeg(agency_jpeg("Fuzzed.", width=160, height=120), agency_pki)
    start = signed.find(b"jumb") - 8  # the manifest's JUMBF box in APP11
    rng = random.Random(2026)
    states = {state: 0 for state in provenance.STATES}
    for _ in range(300):
        data = bytearray(signed)
        for _ in range(rng.randint(1, 8)):
            data[start + rng.randrange(min(6000, len(data) - start))] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data))]
        states[provenance.read_credentials(bytes(data)).state] += 1
    assert sum(states.values()) == 300 and states[provenance.INVALID] > 100


def test_what_a_failed_manifest_says_is_a_claim_not_a_fact(client, editor, trusted, agency_pki):
    forged = bytearray(sign_jpeg(make_jpeg(400, 300, quality=95), agency_pki))
    forged[-300] ^= 0xFF
    photo = ingest_bytes(bytes(forged), "forged.jpg").photo
    show = make_slideshow("Forged", photos=[photo])
    facts = html.fromstring(client.get(f"{show.get_absolute_url()}1/").content).cssselect(".credentials dd")
    original = [dd.text_content() for dd in facts if "Do not verify" in dd.text_content()][0]
    assert "· signed by" not in original
    assert "unverified claims: signed by Test Agency, made with Test Camera 1.0" in original
    captured = facts[[dd.text_content() for dd in facts].index(original) - 1].text_content()
    assert "Test Camera" not in captured
    api = client.get(f"/api/v1/photos/{photo.public_key}/credentials").json()
    assert (api["original_signer"], api["camera"]) == ("", "")
    assert (api["claimed_signer"], api["claimed_camera"]) == ("Test Agency", "Test Camera 1.0")
    assert (api["original_actions"], api["original_ingredients"]) == ([], [])
    assert api["claimed_actions"][0]["action"] == "c2pa.created"
    desk = html.fromstring(editor.get(f"/desk/photos/{photo.pk}/").content).cssselect(".credentials")[0]
    [claims] = desk.cssselect("dl")
    assert "claims" in claims.get("class") and "Test Agency" in claims.text_content()
    said = desk.get_element_by_id(claims.get("aria-describedby")).text_content()
    assert said.startswith("What the manifest claims, unverified")
