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


def test_behind_a_trusted_proxy_each_reader_has_an_allowance(client, monkeypatch):
    monkeypatch.setenv("PICDESK_SEARCH_RATE", "2")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def search(forwarded):
        return client.get("/search/", {"q": "x"}, HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code

    # No proxy configured: the header is the client's own word, and ignored.
    assert [search("198.51.100.1"), search("198.51.100.2"), search("198.51.100.3")] == [200, 200, 429]
    monkeypatch.setenv("PICDESK_TRUSTED_PROXY_HEADER", "X-Forwarded-For")
    # The proxy appends the address it saw; what a client put before it counts for nothing.
    assert [search("198.51.100.1"), search("198.51.100.1"), search("198.51.100.1")] == [200, 200, 429]
    assert search("198.51.100.1, 198.51.100.2") == 200
    assert search("203.0.113.9, 198.51.100.1") == 429


def test_counts_are_shared_by_every_web_process(client, shared_cache, tmp_path, monkeypatch):
    """With PICDESK_CACHE_URL, another process's requests count against the same allowance."""
    from picdesk.core.ratelimit import count, used
    from tests.test_cli import picdesk

    client.get("/search/", {"q": "x"}, REMOTE_ADDR="203.0.113.5")
    client.get("/search/", {"q": "x"}, REMOTE_ADDR="203.0.113.5")
    monkeypatch.setenv("PICDESK_CACHE_URL", shared_cache)
    other = picdesk(tmp_path, "manage", "shell", "-c",
                    "from picdesk.core.ratelimit import count; print(count('search', '203.0.113.5'))")
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip().splitlines()[-1] == "3"
    assert used("search", "203.0.113.5") == 3
    assert count("search", "203.0.113.6") == 1
