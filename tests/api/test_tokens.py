"""API tokens: scopes, expiry and revocation, from the command line to the API."""

import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone

from picdesk.api.models import ApiToken
from tests.api.conftest import upload
from tests.factories import agency_jpeg, make_photo, make_slideshow
from tests.test_cli import picdesk

pytestmark = pytest.mark.django_db


def bearer(scopes=("upload",), **options) -> dict:
    _, key = ApiToken.issue(f"token-{ApiToken.objects.count()}", scopes, **options)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def new_slideshow(client, auth, publish: bool):
    key = upload(client, agency_jpeg("One."), auth).json()["uri"].rstrip("/").rsplit("/", 1)[-1]
    return client.post("/api/v1/slideshows", content_type="application/json", **auth,
                       data=json.dumps({"title": "From the wire", "photos": [key], "publish": publish}))


def test_a_token_without_the_publish_scope_makes_drafts_only(client):
    auth = bearer(("upload",))
    refused = new_slideshow(client, auth, publish=True)
    assert refused.status_code == 403 and "publish" in refused.json()["error"]
    assert new_slideshow(client, auth, publish=False).json()["status"] == "draft"
    assert new_slideshow(client, bearer(("upload", "publish")), publish=True).json()["status"] == "published"


def test_a_token_without_the_upload_scope_sends_nothing(client):
    response = upload(client, agency_jpeg("One."), bearer(("read",)))
    assert response.status_code == 403 and "upload" in response.json()["error"]


@pytest.mark.parametrize("gone", ["revoked", "expired"])
def test_a_revoked_or_expired_token_works_no_more(client, gone):
    token, key = ApiToken.issue("robot", ("upload",),
                                expires_at=timezone.now() - dt.timedelta(seconds=1) if gone == "expired" else None)
    if gone == "revoked":
        token.revoke()
    response = upload(client, agency_jpeg("One."), {"HTTP_AUTHORIZATION": f"Bearer {key}"})
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_a_read_token_gets_the_original_byte_for_byte_whatever_its_public_terms(client):
    photo = make_photo("Editorial only.")  # no free licence: the public gets no original
    make_slideshow(photos=[photo])
    url = f"/api/v1/photos/{photo.public_key}/original"
    assert client.get(url).status_code == 403
    response = client.get(url, **bearer(("read",)))
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == photo.sha256
    assert "no-store" in response["Cache-Control"] and "Surrogate-Key" not in response
    assert client.get(url, **bearer(("upload",))).status_code == 403
    assert client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401


def test_tokens_are_made_listed_and_revoked_from_the_command_line(tmp_path):
    home = tmp_path / "home"
    made = picdesk(home, "tokens", "create", "partner", "--scope", "read", "--expires-in", "30")
    assert made.returncode == 0 and len(made.stdout.strip()) >= 40
    assert picdesk(home, "tokens", "create", "partner").returncode == 2
    assert picdesk(home, "tokens", "create", "odd", "--scope", "admin").returncode == 2
    listed = picdesk(home, "tokens").stdout
    assert "partner\tread\tlast used never\texpires " in listed
    assert picdesk(home, "tokens", "revoke", "partner").returncode == 0
    assert "partner\tread\tlast used never\trevoked " in picdesk(home, "tokens", "list").stdout
    assert picdesk(home, "tokens", "revoke", "nobody").returncode == 2
