"""Token-authenticated writes for the desk's automation."""

import subprocess
import sys

import pytest

from picdesk.slideshows.models import Slideshow
from tests.api.conftest import upload
from tests.factories import agency_jpeg, make_jpeg

pytestmark = pytest.mark.django_db


def test_writes_need_a_valid_token(client):
    response = upload(client, agency_jpeg("x"), {})
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert upload(client, agency_jpeg("x"), {"HTTP_AUTHORIZATION": "Bearer not-a-token"}).status_code == 401
    assert client.post("/api/v1/slideshows", data={}, content_type="application/json").status_code == 401


def test_upload_then_publish_a_slideshow(client, auth):
    first = upload(client, agency_jpeg("First caption.", headline="One"), auth)
    second = upload(client, agency_jpeg("Second caption.", headline="Two"), auth)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["type"] == "picture" and first.json()["headlines"] == [{"value": "One"}]
    keys = [r.json()["uri"].rsplit("/", 1)[1] for r in (first, second)]
    made = client.post("/api/v1/slideshows", content_type="application/json", **auth, data={
        "title": "Wire pictures", "photos": keys, "summary": "From the wire.", "publish": True})
    assert made.status_code == 201
    slug = made.json()["slug"]
    assert client.get(f"/pictures/{slug}/").status_code == 200
    listed = client.get(f"/api/v1/slideshows/{slug}").json()
    assert [a["headlines"][0]["value"] for a in listed["associations"]] == ["One", "Two"]


def test_a_draft_unless_published(client, auth):
    key = upload(client, agency_jpeg("x"), auth).json()["uri"].rsplit("/", 1)[1]
    made = client.post("/api/v1/slideshows", content_type="application/json", **auth,
                       data={"title": "Held back", "photos": [key]})
    assert made.json()["status"] == "draft"
    assert Slideshow.objects.get(slug=made.json()["slug"]).status == Slideshow.Status.DRAFT
    assert client.get(f"/api/v1/photos/{key}").status_code == 404  # not public yet


def test_duplicates_bad_files_and_size_limit(client, auth, monkeypatch):
    data = agency_jpeg("Same.")
    assert upload(client, data, auth).status_code == 201
    assert upload(client, data, auth).status_code == 200
    broken = upload(client, make_jpeg(400, 300)[:500], auth, name="cut.jpg")
    assert broken.status_code == 400 and "damaged" in broken.json()["error"]
    monkeypatch.setenv("PICDESK_MAX_UPLOAD_BYTES", "100")
    assert upload(client, agency_jpeg("Big."), auth).status_code == 413


@pytest.mark.parametrize("body", [
    "not json", "[]", '{"title": "x"}', '{"title": "x", "photos": [1]}',
    '{"title": "x", "photos": ["no-such-key"]}', '{"title": "", "photos": []}',
    '{"title": "x", "photos": [], "published_at": "soon"}',
])
def test_bad_slideshow_requests_say_why(client, auth, body):
    response = client.post("/api/v1/slideshows", data=body, content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["error"]


def test_createtoken_prints_a_working_key_once(tmp_path):
    from tests.test_cli import picdesk_env

    command = [sys.executable, "-m", "picdesk", "--home", str(tmp_path), "createtoken", "automation"]
    first = subprocess.run(command, capture_output=True, text=True, env=picdesk_env(), timeout=60)
    assert first.returncode == 0 and len(first.stdout.strip()) >= 40
    again = subprocess.run(command, capture_output=True, text=True, env=picdesk_env(), timeout=60)
    assert again.returncode == 2 and "exists already" in again.stderr


def test_the_hostile_corpus_through_the_api(client, auth, media):
    """Each hostile file answers 400 with its specific reason and writes
    nothing; the good ones arrive."""
    from picdesk.photos.models import Photo
    from tests.photos.test_hostile import HOSTILE, good_files

    for name, (data, reason) in HOSTILE.items():
        response = upload(client, data, auth, name=name)
        assert response.status_code == 400 and response.json()["error"].startswith(reason), name
    assert not Photo.objects.exists() and not (media / "originals").exists()
    for name, data in good_files().items():
        assert upload(client, data, auth, name=name).status_code == 201, name
    assert Photo.objects.count() == 4


def test_a_future_publication_is_scheduled_in_the_api_and_on_the_desk(client, auth, signed_in):
    photo = upload(client, agency_jpeg("Tomorrow's picture."), auth).json()
    made = client.post("/api/v1/slideshows", content_type="application/json", **auth, data={
        "title": "Embargoed", "photos": [photo["uri"].rsplit("/", 1)[1]], "publish": True,
        "published_at": "2099-01-01T06:00:00Z"})
    assert made.status_code == 201 and made.json()["status"] == "scheduled"
    assert client.get(made.json()["url"]).status_code == 404
    desk = signed_in("editor").get("/desk/slideshows/").content.decode()
    row = desk.split(">Embargoed<", 1)[1].split("</tr>", 1)[0]
    assert ">Scheduled<" in row and "Published" not in row
