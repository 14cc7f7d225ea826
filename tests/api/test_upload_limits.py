"""Wire-sized photos through the API and the desk, the upload limit, and JSON
for every API error."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from picdesk.audit.models import AuditEntry
from picdesk.photos.models import Photo
from tests.api.conftest import upload
from tests.factories import agency_jpeg, wire_sized_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def wire_photo() -> bytes:
    data = wire_sized_jpeg("Rescue workers at the harbour.")
    assert len(data) > 20 * 2**20
    return data


def test_a_wire_sized_photo_uploads_through_the_api(client, auth, wire_photo, media):
    response = upload(client, wire_photo, auth)
    assert response.status_code == 201, response.content
    photo = Photo.objects.get()
    assert (photo.width, photo.caption, photo.credit_line) == (3600, "Rescue workers at the harbour.", "AGENCY/Jane Doe")
    assert (media / photo.original).read_bytes() == wire_photo
    entry = AuditEntry.objects.get(photo=photo)
    assert entry.action == "imported" and "via api" in entry.detail and "token wire-ingest" in entry.detail


def test_the_api_never_holds_the_body_whole_in_memory(auth, wire_photo):
    """The body goes to a temporary file in chunks (Django's request.body would
    hold all of it, and the ingest before would have held it again)."""
    from django.test import RequestFactory
    from django.urls import resolve

    request = RequestFactory().post("/api/v1/photos?name=wire.jpg", data=wire_photo,
                                    content_type="image/jpeg", **auth)
    view = resolve("/api/v1/photos").func
    tracemalloc.start()
    try:
        response = view(request)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 201, response.content
    assert peak < len(wire_photo) / 4, f"peak {peak / 2**20:.1f} MiB of Python memory"


def test_a_wire_sized_photo_uploads_through_the_desk(signed_in, wire_photo):
    client = signed_in("contributor")
    response = client.post("/desk/upload/", {"files": [SimpleUploadedFile("wire.jpg", wire_photo, "image/jpeg")]},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert [f["status"] for f in response.json()["files"]] == ["added"]
    assert Photo.objects.get().file_size == len(wire_photo)


def test_over_the_limit_is_413_in_json_naming_the_limit(client, auth, monkeypatch):
    data = agency_jpeg("Small but over a tiny limit.")
    monkeypatch.setenv("PICDESK_MAX_UPLOAD_BYTES", str(len(data) - 1))
    response = upload(client, data, auth)
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert f"the limit is {len(data) - 1} bytes" in response.json()["error"]
    assert not Photo.objects.exists()


def test_the_limit_holds_for_every_ingest(signed_in, tmp_path, monkeypatch):
    """The desk and the CLI meet the same rule, from ingest itself."""
    from picdesk.photos.ingest import FileTooLarge, ingest_file

    data = agency_jpeg("Over the limit.")
    monkeypatch.setenv("PICDESK_MAX_UPLOAD_BYTES", "1000")
    path = tmp_path / "big.jpg"
    path.write_bytes(data)
    with pytest.raises(FileTooLarge, match="PICDESK_MAX_UPLOAD_BYTES"):
        ingest_file(path)
    response = signed_in("contributor").post(
        "/desk/upload/", {"files": [SimpleUploadedFile("big.jpg", data)]}, HTTP_ACCEPT="application/json")
    (outcome,) = response.json()["files"]
    assert outcome["status"] == "rejected" and "too large" in outcome["message"]


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("get", "/api/v1/no-such-thing", 404),
        ("get", "/api/v1/slideshows/no-such-show", 404),
        ("delete", "/api/v1/slideshows", 405),
        ("put", "/api/v1/photos/abc", 405),
        ("get", "/api/v1/slideshows?cursor=garbage", 400),
        ("get", "/api/v1/slideshows?since=yesterday", 400),
        ("post", "/api/v1/photos", 401),
    ],
)
def test_every_api_error_is_json(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]


def test_a_rate_limited_api_write_answers_json(client, auth, monkeypatch, fresh_rate_limits):
    monkeypatch.setenv("PICDESK_API_WRITE_RATE", "1")
    upload(client, agency_jpeg("One."), auth)
    response = upload(client, agency_jpeg("Two."), auth)
    assert response.status_code == 429 and response["Retry-After"]
    assert "try again" in response.json()["error"]


def test_a_bad_request_django_refuses_is_json_too(client, auth, settings):
    """Django's own 400 (here: a form body over its in-memory limit) is rewritten."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = client.post("/api/v1/slideshows", data='{"title": "x", "photos": ["a"]}',
                           content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["error"]


def test_a_chunked_upload_is_told_to_send_its_length(client, auth):
    response = client.post("/api/v1/photos?name=a.jpg", data=b"\xff\xd8", content_type="image/jpeg",
                           HTTP_TRANSFER_ENCODING="chunked", **auth)
    assert response.status_code == 411 and "Content-Length" in response.json()["error"]
