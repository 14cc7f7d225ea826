"""Search and API writes are rate-limited per client address."""

import pytest

from picdesk.api.models import ApiToken
from tests.factories import agency_jpeg

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


def test_search_answers_429_past_the_allowance(client, monkeypatch):
    monkeypatch.setenv("PICDESK_SEARCH_RATE", "3")
    codes = [client.get("/search/", {"q": "x"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    limited = client.get("/search/", {"q": "x"})
    assert 0 < int(limited["Retry-After"]) <= 60
    other = client.get("/search/", {"q": "x"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200  # another client has its own allowance


def test_api_writes_are_limited(client, monkeypatch):
    monkeypatch.setenv("PICDESK_API_WRITE_RATE", "1")
    _, key = ApiToken.issue("bot")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    first = client.post("/api/v1/photos", data=agency_jpeg("a"), content_type="image/jpeg", **auth)
    second = client.post("/api/v1/photos", data=agency_jpeg("b"), content_type="image/jpeg", **auth)
    assert (first.status_code, second.status_code) == (201, 429)
