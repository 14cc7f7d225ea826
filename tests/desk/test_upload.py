"""Uploading in the browser goes through the same ingest as `picdesk import`."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from picdesk.audit.models import AuditEntry
from picdesk.photos.models import Photo
from tests.factories import agency_jpeg

pytestmark = pytest.mark.django_db


def _file(name, data, kind="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=kind)


def test_a_batch_arrives_with_its_metadata_and_the_bad_files_say_why(signed_in, media):
    client = signed_in("contributor")
    good = [agency_jpeg(f"Caption {n}.", credit="AGENCY", byline="Jane Doe") for n in range(3)]
    response = client.post("/desk/upload/", {"files": [
        _file("one.jpg", good[0]), _file("notes.jpg", b"just some text\n", "text/plain"),
        _file("two.jpg", good[1]), _file("empty.jpg", b""), _file("three.jpg", good[2]),
    ]}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    outcome = {f["name"]: (f["status"], f["message"]) for f in response.json()["files"]}
    assert [outcome[n][0] for n in ("one.jpg", "two.jpg", "three.jpg")] == ["added"] * 3
    assert outcome["notes.jpg"][0] == "rejected" and "not an image" in outcome["notes.jpg"][1]
    assert outcome["empty.jpg"][0] == "rejected" and "empty" in outcome["empty.jpg"][1]
    photos = Photo.objects.order_by("pk")
    assert [p.caption for p in photos] == ["Caption 0.", "Caption 1.", "Caption 2."]
    assert {p.credit_line for p in photos} == {"AGENCY/Jane Doe"}
    # Byte-identical, content-addressed originals, and nothing else written.
    for photo, data in zip(photos, good):
        assert (media / photo.original).read_bytes() == data
        assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert len(list((media / "originals").rglob("*.jpg"))) == 3
    entries = AuditEntry.objects.filter(action="imported")
    assert entries.count() == 3
    assert {(e.username, e.detail.split(" · ")[1]) for e in entries} == {("contributor-user", "via desk")}


def test_an_exact_duplicate_offers_the_existing_photo(signed_in):
    client = signed_in("contributor")
    data = agency_jpeg("Once.")
    client.post("/desk/upload/", {"files": [_file("a.jpg", data)]})
    again = client.post("/desk/upload/", {"files": [_file("copy-of-a.jpg", data)]}, HTTP_ACCEPT="application/json")
    (result,) = again.json()["files"]
    photo = Photo.objects.get()
    assert result["status"] == "duplicate"
    assert result["url"] == f"/desk/photos/{photo.pk}/"


def test_without_javascript_the_form_lists_each_outcome(signed_in):
    client = signed_in("contributor")
    page = client.post("/desk/upload/", {"files": [_file("ok.jpg", agency_jpeg("Fine.")),
                                                   _file("bad.jpg", b"<svg onload=alert(1)>")]})
    html = page.content.decode()
    assert "ok.jpg</strong>: added" in html
    assert "bad.jpg</strong>: rejected" in html
    assert "<svg onload" not in html


def test_size_and_count_limits(signed_in, monkeypatch):
    client = signed_in("contributor")
    monkeypatch.setenv("PICDESK_MAX_UPLOAD_BYTES", "2000")
    big = agency_jpeg("Big.", width=400, height=300)
    assert len(big) > 2000
    response = client.post("/desk/upload/", {"files": [_file("big.jpg", big)]}, HTTP_ACCEPT="application/json")
    assert response.status_code == 413 and response.json()["error"].startswith("big.jpg: too large")
    monkeypatch.setenv("PICDESK_MAX_UPLOAD_BYTES", "200000")
    monkeypatch.setenv("PICDESK_UPLOAD_MAX_FILES", "2")
    three = [_file(f"{n}.jpg", agency_jpeg(f"{n}")) for n in range(3)]
    refused = client.post("/desk/upload/", {"files": three}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and "Too many files" in refused.json()["error"]
    assert not Photo.objects.exists()


def test_uploads_are_rate_limited(signed_in, monkeypatch, fresh_rate_limits):
    monkeypatch.setenv("PICDESK_UPLOAD_RATE", "2")
    client = signed_in("contributor")
    codes = [client.post("/desk/upload/", {"files": [_file("x.jpg", agency_jpeg("x"))]}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_hostile_corpus_through_the_web_upload(signed_in, media):
    """The same hostile files as `picdesk import` gets, in one browser upload:
    each bad one named with its reason, the good ones in, nothing else written."""
    from tests.photos.test_hostile import HOSTILE, good_files

    client = signed_in("contributor")
    files = [_file(name, data) for name, (data, _) in HOSTILE.items()]
    files += [_file(name, data) for name, data in good_files().items()]
    response = client.post("/desk/upload/", {"files": files}, HTTP_ACCEPT="application/json")
    outcome = {f["name"]: (f["status"], f["message"]) for f in response.json()["files"]}
    for name, (_, reason) in HOSTILE.items():
        status, message = outcome[name]
        assert status == "rejected" and message.startswith(reason), name
    assert [outcome[name][0] for name in good_files()] == ["added"] * 4
    assert Photo.objects.count() == 4
    assert len([p for p in (media / "originals").rglob("*") if p.is_file()]) == 4


def test_a_body_too_large_for_any_upload_is_refused_before_it_is_read(signed_in, monkeypatch, media, tmp_path):
    monkeypatch.setenv("PICDESK_MAX_UPLOAD_BYTES", "2000")
    monkeypatch.setenv("PICDESK_UPLOAD_MAX_FILES", "2")
    monkeypatch.setattr("django.conf.settings.FILE_UPLOAD_TEMP_DIR", str(tmp_path))
    client = signed_in("contributor")
    said_huge = client.post("/desk/upload/", {"files": [_file("a.jpg", agency_jpeg("a"))]},
                            HTTP_ACCEPT="application/json", CONTENT_LENGTH=str(10 ** 9))
    assert said_huge.status_code == 413 and "at most 2 files" in said_huge.json()["error"]
    chunked = client.post("/desk/upload/", {"files": [_file("a.jpg", agency_jpeg("a"))]},
                          HTTP_ACCEPT="application/json", HTTP_TRANSFER_ENCODING="chunked")
    assert chunked.status_code == 411 and "Content-Length" in chunked.json()["error"]
    three_big = [_file(f"{n}.jpg", agency_jpeg(f"{n}", width=400, height=300)) for n in range(2)]
    refused = client.post("/desk/upload/", {"files": three_big}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 413 and refused.json()["error"].startswith("0.jpg: too large")
    assert not Photo.objects.exists() and list(tmp_path.iterdir()) == []


def test_the_upload_form_still_needs_its_csrf_token(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("contributor"))
    assert client.post("/desk/upload/", {"files": [_file("a.jpg", agency_jpeg("a"))]}).status_code == 403
