"""The JSON API: every ninjs document it emits validates against IPTC's ninjs
2.2 schema (the default) and, asked for 3.1, against 3.1's, walking the whole
API over the demo's slideshows."""

import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from picdesk.ops.demo.build import build_demo
from picdesk.slideshows.models import Series, Slideshow
from tests.factories import make_photo, make_slideshow
from tests.conftest import STANDARDS

pytestmark = pytest.mark.django_db


def validator_of(version: str) -> Draft202012Validator:
    folder = STANDARDS / "ninjs"
    schema = json.loads((folder / f"ninjs-schema_{version}.json").read_text())
    geojson = json.loads((folder / "GeoJSON-schema.json").read_text())
    registry = Registry().with_resource(geojson["$id"], Resource.from_contents(geojson))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def ninjs_validator():
    return validator_of("2.2")


def errors(validator, document):
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]


def test_the_validator_agrees_with_iptcs_own_examples(ninjs_validator):
    suite = STANDARDS / "ninjs" / "test_suite_2.2"
    for example in (suite / "should_pass").glob("*.json"):
        assert errors(ninjs_validator, json.loads(example.read_text())) == [], example.name
    for example in (suite / "should_fail").glob("*.json"):
        assert errors(ninjs_validator, json.loads(example.read_text())), example.name


def get_json(client, url, content_type="application/json"):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == content_type
    return response.json()


def test_every_document_of_the_whole_api_validates(client, ninjs_validator):
    build_demo()
    url, slideshows, photos = "/api/v1/slideshows", [], set()
    while url:
        page = get_json(client, url)
        slideshows += page["items"]
        url = page["next"]
    assert len(slideshows) == Slideshow.objects.live().count() == 5
    for listed in slideshows:
        assert errors(ninjs_validator, listed) == []
        document = get_json(client, listed["uri"], "application/ninjs+json")
        assert document == listed
        photos |= {association["uri"] for association in document["associations"]}
    for uri in sorted(photos):
        assert errors(ninjs_validator, get_json(client, uri, "application/ninjs+json")) == []
    assert len(photos) == 15


# How a partner asks for 3.1: the query, or the Accept header.
ASK_FOR_3 = [({"ninjs": "3.1"}, {}), ({}, {"HTTP_ACCEPT": "application/ninjs+json; version=3"}),
             ({"ninjs": "3"}, {"HTTP_ACCEPT": "application/json"})]


@pytest.mark.parametrize("query, headers", ASK_FOR_3)
def test_every_document_of_the_whole_api_validates_against_ninjs_3_1(client, query, headers):
    from picdesk.photos.models import Photo
    from picdesk.photos.renditions import make_renditions

    validator = validator_of("3.1")
    build_demo()
    make_renditions(Photo.objects.in_use().filter(slides__isnull=False).first())
    url, slideshows, photos = "/api/v1/slideshows", [], set()
    while url:
        page = client.get(url, query, **headers).json()
        slideshows += page["items"]
        url = page["next"]
    assert len(slideshows) == 5
    for listed in slideshows:
        assert errors(validator, listed) == []
        response = client.get(listed["uri"], query, **headers)
        assert response["Content-Type"] == "application/ninjs+json; version=3.1"
        assert "Accept" in response["Vary"]
        document = response.json()
        assert document == listed and "versionCreated" in document and "versioncreated" not in document
        photos |= {association["uri"] for association in document["associations"]}
    renditions = []
    for uri in sorted(photos):
        picture = client.get(uri, query, **headers).json()
        assert errors(validator, picture) == []
        renditions += picture.get("renditions", [])
    assert len(photos) == 15
    assert renditions and all(r["contentType"].startswith("image/") and r["sizeInBytes"] > 0 for r in renditions)


def test_both_versions_are_cached_apart(client):
    show = make_slideshow("Cached twice")
    url = f"/api/v1/slideshows/{show.slug}"
    for _ in range(2):  # the second round comes from the page cache
        assert "versioncreated" in client.get(url).json()
        assert "versionCreated" in client.get(url, HTTP_ACCEPT="application/ninjs+json; version=3.1").json()


def test_a_version_not_made_is_406(client):
    show = make_slideshow("Not acceptable")
    response = client.get(f"/api/v1/slideshows/{show.slug}", {"ninjs": "9"})
    assert response.status_code == 406 and "2.2 and 3.1" in response.json()["error"]


def test_a_slideshow_is_a_composite_of_its_photos_in_order(client):
    first = make_photo("First.", headline="One", byline="Ana Ruiz")
    second = make_photo("Second.", headline="Two")
    show = make_slideshow("Two photos", photos=[first, second], summary="In order.")
    document = get_json(client, f"/api/v1/slideshows/{show.slug}", "application/ninjs+json")
    assert document["type"] == "composite"
    assert document["headlines"] == [{"value": "Two photos"}]
    assert [a["headlines"][0]["value"] for a in document["associations"]] == ["One", "Two"]
    picture = document["associations"][0]
    assert picture["type"] == "picture" and picture["by"] == "Ana Ruiz"
    assert "copyrightholder" not in picture  # the credit line names who supplied it, not who owns it
    assert picture["descriptions"] == [{"value": "First."}]


def test_pictures_carry_rights_places_people_subjects_job_id_and_renditions(client, ninjs_validator):
    from picdesk.photos.ingest import ingest_bytes
    from picdesk.photos.renditions import make_renditions
    from tests.factories import make_jpeg

    data = make_jpeg(900, 600, iim={"Iptc.Application2.TransmissionReference": "JOB-42"}, xmp={
        "Xmp.photoshop.Credit": "WIRE", "Xmp.dc.creator": ["Li Wei"],
        "Xmp.dc.rights": {'lang="x-default"': "© Wire 2026"},
        "Xmp.xmpRights.UsageTerms": {'lang="x-default"': "EDITORIAL USE ONLY"},
        "Xmp.photoshop.City": "Lyon", "Xmp.photoshop.Country": "France",
        "Xmp.iptcExt.PersonInImage": ["A. Mayor"], "Xmp.dc.subject": ["politics"],
    })
    photo = ingest_bytes(data, "p.jpg").photo
    make_renditions(photo)
    make_slideshow(photos=[photo])
    document = get_json(client, f"/api/v1/photos/{photo.public_key}", "application/ninjs+json")
    assert errors(ninjs_validator, document) == []
    assert document["copyrightnotice"] == "© Wire 2026" and document["usageterms"] == "EDITORIAL USE ONLY"
    assert document["altids"] == [{"role": "jobid", "value": "JOB-42"}]
    assert {"name": "Lyon", "rel": "city"} in document["places"] and document["located"] == "Lyon, France"
    assert document["people"] == [{"name": "A. Mayor"}] and document["subjects"] == [{"name": "politics"}]
    jpeg = next(r for r in document["renditions"] if r["contenttype"] == "image/jpeg" and r["width"] == 640)
    assert jpeg["height"] == 427
    assert client.get(jpeg["href"].removeprefix("http://testserver")).status_code == 200


def test_drafts_and_embargoed_content_are_absent(client):
    secret = make_photo("Secret.")
    draft = make_slideshow("Draft", photos=[secret], publish=False)
    embargoed = make_slideshow("Embargoed", photos=[secret], days_ago=-1)
    make_slideshow("Live")
    listed = [d["headlines"][0]["value"] for d in get_json(client, "/api/v1/slideshows")["items"]]
    assert listed == ["Live"]
    for url in (f"/api/v1/slideshows/{draft.slug}", f"/api/v1/slideshows/{embargoed.slug}",
                f"/api/v1/photos/{secret.public_key}"):
        assert client.get(url).status_code == 404


def test_cursor_pagination_is_complete_and_newest_first(client, monkeypatch):
    monkeypatch.setenv("PICDESK_API_PAGE_SIZE", "2")
    photo = make_photo()
    for n in range(5):
        make_slideshow(f"Day {n}", photos=[photo], days_ago=n)
    url, titles = "/api/v1/slideshows", []
    while url:
        page = get_json(client, url)
        titles += [d["headlines"][0]["value"] for d in page["items"]]
        url = page["next"]
    assert titles == [f"Day {n}" for n in range(5)]


def test_filters_by_date_series_and_update(client):
    week = Series.objects.create(name="Photos of the week")
    photo = make_photo()
    old = make_slideshow("Old", photos=[photo], days_ago=30)
    recent = make_slideshow("Recent", photos=[photo], days_ago=1)
    recent.series = week
    recent.save()

    def titles(query):
        return [d["headlines"][0]["value"] for d in get_json(client, f"/api/v1/slideshows?{query}")["items"]]

    assert titles(f"series={week.slug}") == ["Recent"]
    assert titles(f"until={recent.published_at.date()}") == ["Old"]
    assert titles(f"since={old.published_at.date()}") == ["Recent", "Old"]
    assert titles(f"updated_since={recent.updated_at.isoformat().replace('+00:00', 'Z')}") == ["Recent"]
    assert client.get("/api/v1/slideshows?since=yesterday").status_code == 400
    assert client.get("/api/v1/slideshows?cursor=garbage").status_code == 400
    assert client.get("/api/v1/slideshows?cursor=").status_code == 400
    for slug in ("", "no spaces", "ünï"):  # what no series slug can be, as the OpenAPI says
        assert client.get("/api/v1/slideshows", {"series": slug}).status_code == 400, slug


@pytest.mark.parametrize("version, note", [("2.2", "ednote"), ("3.1", "edNote")])
def test_a_correction_is_a_new_version_with_its_note(client, version, note):
    from picdesk.slideshows.publishing import correct

    show = make_slideshow("Corrected", photos=[make_photo()])
    first = client.get(f"/api/v1/slideshows/{show.slug}", {"ninjs": version}).json()
    assert "version" not in first and note not in first
    correct(show, "Corrects the name of the river.")
    document = client.get(f"/api/v1/slideshows/{show.slug}", {"ninjs": version}).json()
    assert document["version"] == "2" and "Corrects the name of the river." in document[note]
    assert errors(validator_of(version), document) == []
