"""Every web process `picdesk serve` starts answers, every time: nothing
that holds a lock or a thread (libvips, the Redis and S3 clients, the
thread that announces the address) is passed to a web process, which is
spawned, never forked. Seen before: about one start in five left a process
whose every request waited for ever on a lock taken before the fork."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import agency_jpeg
from tests.test_cli import free_port, picdesk, picdesk_env
from tests.waiting import wait_for

pytestmark = pytest.mark.slow

STARTS = 20
REQUESTS = 16  # each on a connection of its own: with 2 processes, both get some (all but surely)


def _get(url: str) -> int:
    request = urllib.request.Request(url, headers={"Connection": "close"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as answer:
        return answer.code


def test_every_web_process_answers_on_each_of_20_starts(tmp_path, object_storage, redis_url, monkeypatch):
    monkeypatch.setenv("PICDESK_CACHE_URL", redis_url)
    monkeypatch.setenv("PICDESK_BROKER_URL", redis_url)
    home, photo = tmp_path / "home", tmp_path / "photo.jpg"
    photo.write_bytes(agency_jpeg("Served by every process.", width=1200, height=800))
    imported = picdesk(home, "import", str(photo), "--slideshow", "Fork safety", "--publish")
    assert imported.returncode == 0, imported.stderr
    key = picdesk(home, "manage", "shell", "-c",
                  "from picdesk.photos.models import Photo; print(Photo.objects.get().public_key)")
    public_key = key.stdout.strip().splitlines()[-1]
    env = picdesk_env(PICDESK_WEB_PROCESSES="2", PICDESK_WORKERS="0")
    for start in range(STARTS):
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                  start_new_session=True)
        try:
            wait_for(lambda: server.stdout.readline().startswith("picdesk is serving"), "serve never started")
            base = f"http://127.0.0.1:{port}"
            # A page (the page cache on Redis), a rendition (S3) and readiness (both, and the broker).
            addresses = [f"{base}/pictures/fork-safety/", f"{base}/media/r/{public_key}/640.webp",
                         f"{base}/readyz", f"{base}/"] * (REQUESTS // 4)
            with ThreadPoolExecutor(4) as pool:
                statuses = list(pool.map(_get, addresses))
            assert all(status in (200, 302) for status in statuses), (start, statuses)
        finally:
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=60) == 0, f"start {start}: serve did not stop cleanly"
