"""The purgers' requests, as each service documents them, received by a local
HTTP server standing in for the service (its address through
PICDESK_PURGE_URLS); and a purge that fails is handed to the workers."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from picdesk.core.purging import CLOUDFLARE_TAGS_PER_CALL, purge_http_caches, purge_now


@pytest.fixture
def service(monkeypatch):
    """A stand-in for a purge API on 127.0.0.1; yields the requests it got."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            received.append((self.command, self.path, self.headers, self.rfile.read(length)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}')

        do_POST = do_PURGE = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("PICDESK_PURGE_URLS", f"http://127.0.0.1:{server.server_port}/")
    monkeypatch.setenv("PICDESK_PURGE_SERVICE", "SERVICE-ID")
    monkeypatch.setenv("PICDESK_PURGE_TOKEN", "secret-token")
    yield received
    server.shutdown()


def test_varnish_gets_one_purge_with_every_key(service, monkeypatch):
    monkeypatch.setenv("PICDESK_PURGER", "varnish")
    purge_http_caches(["listings", "p7", "s3"])
    ((method, path, headers, _),) = service
    assert (method, path, headers["xkey-purge"]) == ("PURGE", "/", "listings p7 s3")


def test_fastly_purges_surrogate_keys_with_its_api_key(service, monkeypatch):
    monkeypatch.setenv("PICDESK_PURGER", "fastly")
    purge_http_caches(["p7", "s3"])
    ((method, path, headers, _),) = service
    assert (method, path) == ("POST", "/service/SERVICE-ID/purge")
    assert headers["Surrogate-Key"] == "p7 s3" and headers["Fastly-Key"] == "secret-token"


def test_cloudflare_purges_cache_tags_thirty_at_a_time(service, monkeypatch):
    monkeypatch.setenv("PICDESK_PURGER", "cloudflare")
    keys = [f"p{n}" for n in range(CLOUDFLARE_TAGS_PER_CALL + 5)]
    purge_http_caches(keys)
    assert [(m, p) for m, p, _, _ in service] == [("POST", "/client/v4/zones/SERVICE-ID/purge_cache")] * 2
    assert service[0][2]["Authorization"] == "Bearer secret-token"
    sent = [json.loads(body)["tags"] for _, _, _, body in service]
    assert sent == [keys[:CLOUDFLARE_TAGS_PER_CALL], keys[CLOUDFLARE_TAGS_PER_CALL:]]


@pytest.mark.django_db
def test_a_purge_that_fails_is_retried_by_the_workers(monkeypatch, settings):
    from tests.test_cli import free_port

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    monkeypatch.setenv("PICDESK_PURGER", "varnish")
    monkeypatch.setenv("PICDESK_PURGE_URLS", f"http://127.0.0.1:{free_port()}/")  # nothing listens
    purge_now(["s1"])
    from django_tasks import default_task_backend

    (queued,) = default_task_backend.results
    assert queued.task.name == "purge_later" and queued.args == [["s1"]]
