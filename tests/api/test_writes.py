"""Token-authenticated writes for the desk's automation."""

import subprocess
import sys

import pytest

from picdesk.api.models import ApiToken
from picdesk.photos.models import Photo
from picdesk.slideshows.kills import kill_photo
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
    '{"title": "", "photos": []}',
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


def _new_slideshow(client, auth, **data):
    return client.post("/api/v1/slideshows", content_type="application/json", **auth, data=data)


@pytest.mark.parametrize("data, field", [
    ({"title": "Strict", "photos": ["KEY"], "publish": "false"}, "publish"),
    ({"title": "x" * 10_000, "photos": ["KEY"]}, "title"),
    ({"title": "Long summary", "summary": "x" * 10_000, "photos": ["KEY"]}, "summary"),
    ({"title": "Too many", "photos": [f"k{n}" for n in range(501)]}, "photos"),
    ({"title": "Odd date", "photos": ["KEY"], "published_at": 20240101}, "published_at"),
])
def test_slideshow_fields_are_typed_and_bounded(client, auth, data, field):
    key = upload(client, agency_jpeg("Typed."), auth).json()["uri"].rsplit("/", 1)[1]
    data["photos"] = [key if k == "KEY" else k for k in data["photos"]]
    made = _new_slideshow(client, auth, **data)
    assert made.status_code == 400 and made.json()["error"].startswith(field), made.json()
    assert not Slideshow.objects.exists()


def test_a_key_no_photo_has_is_a_404_that_names_it(client, auth):
    key = upload(client, agency_jpeg("Known."), auth).json()["uri"].rsplit("/", 1)[1]
    made = _new_slideshow(client, auth, title="Half known", photos=[key, "no-such-key"])
    assert made.status_code == 404 and made.json()["error"] == "photos: no photo has the key no-such-key"
    assert not Slideshow.objects.exists()


def test_a_key_repeated_makes_one_slide_and_deep_json_is_a_400(client, auth):
    key = upload(client, agency_jpeg("Once."), auth).json()["uri"].rsplit("/", 1)[1]
    made = _new_slideshow(client, auth, title="Once", photos=[key] * 20_000)
    assert made.status_code == 201 and Slideshow.objects.get().slides.count() == 1
    deep = client.post("/api/v1/slideshows", content_type="application/json", **auth,
                       data="[" * 100_000 + "]" * 100_000)
    assert deep.status_code == 400


def test_a_token_cannot_put_a_killed_photo_on_a_page(client, auth):
    from picdesk.photos.models import Photo
    from picdesk.slideshows.kills import kill_photo

    key = upload(client, agency_jpeg("Killed caption."), auth).json()["uri"].rsplit("/", 1)[1]
    kill_photo(Photo.objects.get(public_key=key), "Agency kill.")
    current = Photo.objects.get().public_key  # a kill gives the photo a new key
    made = _new_slideshow(client, auth, title="Back from the dead", photos=[current], publish=True)
    assert made.status_code == 400 and "killed" in made.json()["error"]
    assert not Slideshow.objects.exists()
    assert client.get(f"/api/v1/photos/{current}/original").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_kill_racing_a_new_slideshow_ends_with_the_photo_out(auth):
    """Two requests at once, each in its own transaction: whichever goes
    first, the photo ends in no slideshow."""
    import threading

    from django.db import connection
    from django.test import Client

    from picdesk.photos.models import Photo
    from picdesk.slideshows.kills import kill_photo
    from picdesk.slideshows.models import Slide

    key = upload(Client(), agency_jpeg("Raced."), auth).json()["uri"].rsplit("/", 1)[1]
    photo = Photo.objects.get()
    start = threading.Barrier(2)

    def create():
        start.wait()
        try:
            _new_slideshow(Client(), auth, title="Race", photos=[key], publish=True)
        finally:
            connection.close()

    def kill():
        start.wait()
        try:
            kill_photo(photo, "Raced kill.")
        finally:
            connection.close()

    threads = [threading.Thread(target=create), threading.Thread(target=kill)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Photo.objects.get().killed_at is not None
    assert not Slide.objects.filter(photo=photo).exists()


def test_every_channel_puts_a_new_slideshow_on_the_record(client, auth, signed_in, tmp_path):
    """The desk, the API, `picdesk import` and a routing rule each leave a
    "created" entry saying who, by which channel."""
    from picdesk.audit.models import AuditEntry
    from picdesk.ops.imports import import_paths
    from picdesk.photos.ingest import Arrival, ingest_bytes
    from picdesk.slideshows.models import RoutingRule

    key = upload(client, agency_jpeg("By API."), auth).json()["uri"].rsplit("/", 1)[1]
    _new_slideshow(client, auth, title="By the API", photos=[key])
    (tmp_path / "cli.jpg").write_bytes(agency_jpeg("By CLI."))
    import_paths([tmp_path / "cli.jpg"], title="By the command line", processes=1)
    RoutingRule.objects.create(name="Agency to draft", field="credit", value="AGENCY", add_to_draft="By a rule")
    ingest_bytes(agency_jpeg("By rule.", headline="Routed"), "routed.jpg", arrival=Arrival("ftp"))
    signed_in("editor").post("/desk/slideshows/", {"title": "By the desk"})
    created = {entry.slideshow.title: entry for entry in AuditEntry.objects.filter(action="created")}
    assert "via api" in created["By the API"].detail and "token" in created["By the API"].detail
    assert "via cli" in created["By the command line"].detail
    assert "via rule Agency to draft" in created["By a rule"].detail
    assert created["By the desk"].username


def test_an_uploaded_photo_answers_its_token_withheld_and_nobody_else(client, auth):
    sent = upload(client, agency_jpeg("Held back."), auth)
    assert sent.json()["pubstatus"] == "withheld" and "renditions" not in sent.json()
    uri = sent.json()["uri"]
    mine = client.get(uri, **auth)
    assert mine.status_code == 200 and mine.json()["pubstatus"] == "withheld"
    assert mine.json()["descriptions"][0]["value"] == "Held back."
    assert "private" in mine["Cache-Control"] and "no-store" in mine["Cache-Control"]
    assert "Surrogate-Key" not in mine and "Authorization" in mine["Vary"]
    three = client.get(uri, HTTP_ACCEPT="application/ninjs+json; version=3", **auth).json()
    assert three["pubStatus"] == "withheld"
    # Anyone else, another partner's token included, and after the token's
    # answer (nothing of it was kept by the page cache): 404.
    _, other = ApiToken.issue("another-partner", scopes=["read", "upload"])
    assert client.get(uri, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    assert client.get(uri).status_code == 404
    assert client.get(uri, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    key = uri.rsplit("/", 1)[1]
    made = client.post("/api/v1/slideshows", content_type="application/json", **auth,
                       data={"title": "Now live", "photos": [key], "publish": True})
    assert made.status_code == 201
    public = client.get(uri)
    assert public.status_code == 200 and "pubstatus" not in public.json()


def test_a_killed_upload_answers_nobody(client, auth):
    uri = upload(client, agency_jpeg("Killed before use."), auth).json()["uri"]
    kill_photo(Photo.objects.get(public_key=uri.rsplit("/", 1)[1]), "Wrong picture.")
    assert client.get(uri, **auth).status_code == 404


def test_its_sender_gets_the_credentials_and_original_of_an_upload_before_it_is_live(client):
    _, key = ApiToken.issue("sender", scopes=["read", "upload"])
    sender = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    data = agency_jpeg("Sent, not yet live.")
    uri = upload(client, data, sender).json()["uri"]
    facts = client.get(f"{uri}/credentials", **sender)
    assert facts.status_code == 200 and "private" in facts["Cache-Control"] and "Surrogate-Key" not in facts
    original = client.get(f"{uri}/original", **sender)
    assert original.status_code == 200 and b"".join(original.streaming_content) == data
    for path in (f"{uri}/credentials", f"{uri}/original"):
        assert client.get(path).status_code == 404
