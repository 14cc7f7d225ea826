"""End to end through the command line: `picdesk import` a folder, `picdesk
serve` it, and read the pages and images over HTTP from the real server and
its real worker."""

import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.waiting import wait_for
from tests.factories import agency_jpeg, make_jpeg
from tests.operator_db import operator_database_url


def picdesk_env(database: str = "", **overrides) -> dict:
    """The environment of an operator's shell: picdesk's own settings, not the
    test suite's (which swap the task backend for a dummy), and none of the
    browser tests' allowances. On PostgreSQL, the test's own database (or
    its database ``database``: see tests/operator_db.py)."""
    test_only = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    if url := operator_database_url(database):
        env["DATABASE_URL"] = url
    return {**env, **overrides}


def picdesk(home: Path, *args: str, stdin: str | None = None, database: str = "") -> subprocess.CompletedProcess:
    """Run the ``picdesk`` command on ``home`` as an operator would."""
    return subprocess.run(
        [sys.executable, "-m", "picdesk", "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=picdesk_env(database),
    )


def picdesk_shell(home: Path, code: str) -> str:
    """The last line ``code`` prints in ``picdesk manage shell`` on ``home``."""
    result = picdesk(home, "manage", "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as err:
        return err.code, "", b""


@pytest.fixture
def folder(tmp_path):
    photos = tmp_path / "incoming"
    (photos / "day2").mkdir(parents=True)
    # Written out of order: the slideshow must follow file names.
    (photos / "day2" / "c.jpg").write_bytes(agency_jpeg("Third photo caption.", width=900, height=600))
    (photos / "a.jpg").write_bytes(agency_jpeg("First photo caption.", width=900, height=600))
    (photos / "b.jpg").write_bytes(agency_jpeg("Second photo caption.", width=600, height=900))
    good = make_jpeg(800, 600)
    (photos / "broken.jpg").write_bytes(good[: len(good) // 2])
    (photos / "notes.txt").write_text("not a photo, and not named like one: skipped")
    return photos


def test_import_reports_the_broken_file_and_imports_the_rest(tmp_path, folder):
    home = tmp_path / "home"
    result = picdesk(home, "import", str(folder), "--slideshow", "Floods in the north",
                     "--summary", "Rivers burst their banks.", "--date", "2024-06-01", "--publish")
    assert result.returncode == 1
    assert "broken.jpg: damaged image data" in result.stderr
    assert "4/4" in result.stderr  # the progress bar: files done / total
    assert "imported 3 photos into published slideshow" in result.stdout
    assert "/pictures/floods-in-the-north/" in result.stdout

    again = picdesk(home, "import", str(folder / "a.jpg"), "--slideshow", "Again")
    assert again.returncode == 0
    assert "already imported: a.jpg" in again.stdout
    assert "draft slideshow" in again.stdout


def test_bad_date_is_refused(tmp_path, folder):
    result = picdesk(tmp_path / "home", "import", str(folder), "--slideshow", "X", "--date", "June 1st")
    assert result.returncode == 2
    assert "is not YYYY-MM-DD" in result.stderr


def test_served_page_and_renditions_from_the_worker(tmp_path, folder):
    home = tmp_path / "home"
    picdesk(home, "import", str(folder), "--slideshow", "Floods in the north", "--publish")
    port = free_port()
    env = picdesk_env(PICDESK_WORKERS="1", PICDESK_RENDITION_WIDTHS="320,640")
    server = subprocess.Popen(
        [sys.executable, "-m", "picdesk", "--home", str(home), "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert f"serving http://127.0.0.1:{port}/" in server.stdout.readline()
        html = _wait_for(lambda: _page_with_webp(base + "/pictures/floods-in-the-north/"))
        order = [html.index(f"{n} photo caption.") for n in ("First", "Second", "Third")]
        assert order == sorted(order)
        assert "AGENCY/Jane Doe" in html
        image = re.search(r'srcset="([^" ]+\.jpg) 320w', html).group(1)
        status, content_type, body = get(base + image)
        assert (status, content_type) == (200, "image/jpeg") and body[:2] == b"\xff\xd8"
        status, _, home_html = get(base + "/")
        assert status == 200 and b"Floods in the north" in home_html
        _assert_static_is_fingerprinted_and_compressed(base, html)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _assert_static_is_fingerprinted_and_compressed(base, html):
    css = re.search(r'href="(/static/reader/picdesk\.[0-9a-f]{12}\.css)"', html).group(1)
    request = urllib.request.Request(base + css, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] in {"br", "gzip"}
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]


def _page_with_webp(url, photos=3):
    status, _, body = get(url)
    html = body.decode()
    # Every photo has WebP renditions once the worker has run.
    return html if status == 200 and html.count('<source type="image/webp"') == photos else None


def _wait_for(probe):
    return wait_for(probe, "the worker never made the renditions", every=0.5)
