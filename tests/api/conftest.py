"""API tests: a token for the writes."""

import pytest

from picdesk.api.models import ApiToken


@pytest.fixture
def auth():
    """The headers of a request made with a fresh API token."""
    _, key = ApiToken.issue("wire-ingest")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def upload(client, data, auth, name="photo.jpg"):
    """POST /api/v1/photos with ``data`` as the body."""
    return client.post(f"/api/v1/photos?name={name}", data=data, content_type="image/jpeg", **auth)
